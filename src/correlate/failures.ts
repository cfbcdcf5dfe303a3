import { makeSeries, seriesId } from '../domain/series';
import type { Labels, Point } from '../domain/types';
import { durationOfCount, failedRequests, FAILURE_RATIO, OUTCOME, requestCounter, type MetricRule } from './golden';
import type { StitchedSeries } from './stitch';

export { FAILURE_RATIO };

interface Group {
  /** The duration histogram whose counts these are. */
  readonly base: string;
  readonly all: StitchedSeries[];
  readonly failed: StitchedSeries[];
}

/**
 * The share of requests that failed, per instance and measurement, from a duration histogram's
 * counts split by outcome (`<name>.count` with `error.type`, a status code…), or from a request
 * counter split the same way (`http_requests_total{code}`, the span metrics' `calls` by
 * `status.code`): OTel's HTTP and RPC instrumentation records no error metric of its own. A failed
 * outcome's series begins with its first failure, so an instance that never failed has none; its
 * share is then 0, the baseline a canary or a burst is measured against.
 * Made only for services where some instance reported a failure in the window (the rest would be
 * zeros). Unit 1, named `<name>.failure_ratio`.
 */
export function failureRatios(series: readonly StitchedSeries[], rules: readonly MetricRule[]): StitchedSeries[] {
  const groups = new Map<string, Group>();
  const failing = new Set<string>();
  for (const s of series) {
    const m = s.series.metric;
    const base = durationOfCount(m, s.series.labels, rules) ?? (requestCounter(m) ? m : undefined);
    if (base === undefined) continue;
    const failed = failedRequests(s.series.labels);
    if (failed) failing.add(s.series.service);
    const key = kindKey(s);
    const g = groups.get(key) ?? { base, all: [], failed: [] };
    g.all.push(s);
    if (failed) g.failed.push(s);
    groups.set(key, g);
  }
  const out: StitchedSeries[] = [];
  for (const g of groups.values()) {
    const one = g.all[0];
    if (one === undefined || !failing.has(one.series.service)) continue;
    const total = new Map<number, number>();
    const bad = new Map<number, number>();
    for (const s of g.all) for (const p of s.points) total.set(p.t, (total.get(p.t) ?? 0) + p.v);
    for (const s of g.failed) for (const p of s.points) bad.set(p.t, (bad.get(p.t) ?? 0) + p.v);
    const points: Point[] = [...total].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]).map(([t, n]) => ({ t, v: Math.min(1, (bad.get(t) ?? 0) / n) }));
    if (points.length === 0) continue;
    out.push({ series: makeSeries(`${g.base}${FAILURE_RATIO}`, kindLabels(one), one.series.service, '1'), points, versions: versionsOf(g.all) });
  }
  return out;
}

/** Labels without the ones saying how a request ended: what kind of request a series counts. */
function kindLabels(s: StitchedSeries): Labels {
  return Object.fromEntries(Object.entries(s.series.labels).filter(([k]) => !OUTCOME.has(k)));
}

/** The versions an instance ran: of its longest-reporting outcome (they all share the process). */
function versionsOf(outcomes: readonly StitchedSeries[]): StitchedSeries['versions'] {
  return outcomes.reduce((a, b) => (b.points.length > a.points.length ? b : a)).versions;
}

/** One key per service, measurement and kind of request, whatever the outcome. */
function kindKey(s: StitchedSeries): string {
  return `${s.series.service}\u0000${seriesId(s.series.metric, kindLabels(s))}`;
}

const byTime = <T>(m: Map<number, T>): [number, T][] => [...m].sort((a, b) => a[0] - b[0]);

/**
 * One kind of request's series split by outcome (status code, `error.type`, …) joined back: its
 * request rate is the sum of its outcomes' rates, its mean latency their rate-weighted mean.
 * Apart, an outcome seen now and then — a 404, the first 500s — reads as a request rate or a
 * latency leaping from nothing and dates trouble that is not there; failures are read from the
 * failed share (`failureRatios`) instead. A kind seen with one outcome only loses that label too:
 * a new pod that has served only 200s so far and an old one that also served a few 500s measure the
 * same thing, and must stay comparable (canary, old pods, the mean over instances).
 */
export function joinOutcomes(series: readonly StitchedSeries[], rules: readonly MetricRule[]): StitchedSeries[] {
  const kinds = new Map<string, StitchedSeries[]>();
  const means = new Map<string, StitchedSeries>();
  for (const s of series) {
    const m = s.series.metric;
    if (/[._]mean$/i.test(m)) means.set(s.series.id, s);
    if (durationOfCount(m, s.series.labels, rules) === undefined && !requestCounter(m)) continue;
    const key = kindKey(s);
    const kind = kinds.get(key);
    if (kind === undefined) kinds.set(key, [s]);
    else kind.push(s);
  }
  const replaced = new Set<StitchedSeries>();
  const out: StitchedSeries[] = [];
  for (const counts of kinds.values()) {
    const one = counts[0];
    if (one === undefined || (counts.length < 2 && !Object.keys(one.series.labels).some((k) => OUTCOME.has(k)))) continue;
    const base = one.series.metric.replace(/[._]count$/i, '');
    const rate = new Map<number, number>();
    const weighted = new Map<number, [number, number]>();
    let unit: string | undefined;
    for (const c of counts) {
      replaced.add(c);
      const mean = base === one.series.metric ? undefined : means.get(seriesId(`${base}.mean`, c.series.labels));
      if (mean !== undefined) {
        replaced.add(mean);
        unit = mean.series.unit;
      }
      const at = new Map((mean?.points ?? []).map((p) => [p.t, p.v]));
      for (const p of c.points) {
        rate.set(p.t, (rate.get(p.t) ?? 0) + p.v);
        const v = at.get(p.t);
        if (v === undefined || p.v <= 0) continue;
        const w = weighted.get(p.t) ?? [0, 0];
        weighted.set(p.t, [w[0] + v * p.v, w[1] + p.v]);
      }
    }
    const labels = kindLabels(one);
    const versions = versionsOf(counts);
    out.push({ series: makeSeries(one.series.metric, labels, one.series.service, one.series.unit), points: byTime(rate).map(([t, v]) => ({ t, v })), versions });
    if (weighted.size > 0) out.push({ series: makeSeries(`${base}.mean`, labels, one.series.service, unit), points: byTime(weighted).map(([t, [sum, n]]) => ({ t, v: sum / n })), versions });
  }
  return replaced.size === 0 ? [...series] : [...series.filter((s) => !replaced.has(s)), ...out];
}
