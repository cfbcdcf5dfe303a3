import type { Breakpoint, Point, Topology } from '../domain/types';
import type { SeriesData } from '../ports';
import { NEAR_LIMIT } from '../detect/acute';
import { MIN_CONFIDENCE } from './importance';
import { findRecoveries, RECOVERY_FRACTION, RECOVERY_HOLD_MS } from './recovery';
import { chartKey } from './select';

/**
 * The trouble that paged: which of the victim's charts it is about, when it began and whether it
 * went away. The onset and the recovery are read on that chart only, so a small slope change on
 * an unrelated edge cannot start the story and a connection pool settling cannot end it.
 */
export interface Trouble {
  /** Chart key (`chartKey`) of the paged series. */
  readonly key: string;
  readonly metric: string;
  /** +1 when the trouble is a rise (fds, latency), −1 a fall (throughput). */
  readonly direction: 1 | -1;
  /** Its strongest breakpoint up to the page. */
  readonly top: Breakpoint;
  /** The first breakpoint of the burst that led to `top`. */
  readonly first: Breakpoint;
  /** Median of the chart's points in the hour before the onset, when known. */
  readonly baseline?: number;
  /** How far it went: 90th percentile (10th for a fall) from the top breakpoint to the page. */
  readonly peak?: number;
  /** When the chart came back to its normal range and stayed there, epoch ms. */
  readonly recoveredAt?: number;
  /** Time of the chart's last point: "not recovered" holds until then. */
  readonly seenUntil?: number;
  readonly limit?: number;
}

/** "Well under the limit": a recovered limited series stays below this share of it. @default 0.8 */
const WELL_UNDER_LIMIT = 0.8;
/** Breakpoints of the paged chart at most this far apart form one burst. @default 10 min */
const BURST_GAP_MS = 10 * 60_000;
/** Baseline: the hour before the onset. */
const BASELINE_MS = 60 * 60_000;
/** Share of points in the hold window that must be back for a recovery (restart blips allowed). @default 0.9 */
const HOLD_SHARE = 0.9;

function median(vs: number[]): number | undefined {
  if (vs.length === 0) return undefined;
  vs.sort((a, b) => a - b);
  return vs[Math.floor(vs.length / 2)];
}

function quantile(vs: number[], q: number): number | undefined {
  if (vs.length === 0) return undefined;
  vs.sort((a, b) => a - b);
  return vs[Math.min(vs.length - 1, Math.floor(q * vs.length))];
}

function directionOf(b: Breakpoint): 1 | -1 {
  const d = b.after.level - b.before.level;
  if (d !== 0) return d > 0 ? 1 : -1;
  return b.after.slope >= b.before.slope ? 1 : -1;
}

export interface TroubleArgs {
  readonly victim: string;
  readonly at: number;
  /** Notable breakpoints (see `isNotable`): what can be the top of the trouble. */
  readonly notable: readonly Breakpoint[];
  /** Every breakpoint in the window: smaller confident steps may begin the burst. */
  readonly all: readonly Breakpoint[];
  readonly series: readonly SeriesData[];
  readonly weightOf: (b: Breakpoint) => number;
  readonly topology?: Topology;
  /** The metric the alert is about, when the caller knows it (else found from limits and weights). */
  readonly pagedMetric?: string;
}

/** The victim's chart the page is about: the given metric, else a limited resource near its limit at the page, else the chart of the heaviest breakpoint. */
function pagedKey(a: TroubleArgs, byChart: ReadonlyMap<string, readonly Point[]>, before: readonly Breakpoint[]): string | undefined {
  const heaviest = (bs: readonly Breakpoint[]): Breakpoint | undefined => [...bs].sort((x, y) => a.weightOf(y) - a.weightOf(x))[0];
  if (a.pagedMetric !== undefined) {
    const b = heaviest(before.filter((x) => x.series.metric === a.pagedMetric));
    if (b !== undefined) return chartKey(b.series);
  }
  const limits = a.topology?.services.find((s) => s.name === a.victim)?.limits ?? {};
  let best: { key: string; share: number } | undefined;
  for (const s of a.series) {
    const limit = limits[s.series.metric];
    if (s.series.service !== a.victim || limit === undefined || limit <= 0) continue;
    const key = chartKey(s.series);
    const near = (byChart.get(key) ?? []).filter((p) => p.t > a.at - 30 * 60_000 && p.t <= a.at).map((p) => p.v);
    const share = (quantile(near, 0.9) ?? 0) / limit;
    // Near its limit by the page, as the correlator reads it: the paged chart.
    if (share >= NEAR_LIMIT && (best === undefined || share > best.share) && before.some((b) => chartKey(b.series) === key)) best = { key, share };
  }
  if (best !== undefined) return best.key;
  const top = heaviest(before);
  return top === undefined ? undefined : chartKey(top.series);
}

/**
 * Find the trouble that paged (see `Trouble`); undefined when the victim has no breakpoint up to
 * the page. The onset walks back from the strongest breakpoint through confident breakpoints of the
 * same chart moving the same way, at most BURST_GAP_MS apart.
 */
export function findTrouble(a: TroubleArgs): Trouble | undefined {
  const byChart = new Map<string, Point[]>();
  for (const d of a.series) {
    const k = chartKey(d.series);
    const list = byChart.get(k);
    if (list === undefined) byChart.set(k, [...d.points]);
    else for (const p of d.points) list.push(p);
  }
  for (const list of byChart.values()) list.sort((x, y) => x.t - y.t);
  const before = a.notable.filter((b) => b.series.service === a.victim && b.time <= a.at);
  const key = pagedKey(a, byChart, before);
  if (key === undefined) return undefined;
  const top = [...before.filter((b) => chartKey(b.series) === key)].sort((x, y) => a.weightOf(y) - a.weightOf(x))[0];
  if (top === undefined) return undefined;
  const limit = a.topology?.services.find((s) => s.name === a.victim)?.limits[top.series.metric] ?? top.limit;
  const direction = limit !== undefined ? 1 : directionOf(top);
  const steps = a.all
    .filter((b) => chartKey(b.series) === key && b.time <= top.time && b.confidence >= MIN_CONFIDENCE && b.kind !== 'variance_change' && directionOf(b) === direction)
    .sort((x, y) => y.time - x.time);
  let first = top;
  for (const b of steps) {
    if (first.time - b.time > BURST_GAP_MS) break;
    if (b.time < first.time) first = b;
  }
  const points = byChart.get(key) ?? [];
  const seenUntil = points[points.length - 1]?.t;
  const base = { key, metric: top.series.metric, direction, top, first, ...(limit === undefined ? {} : { limit }), ...(seenUntil === undefined ? {} : { seenUntil }) };
  const baseline = median(points.filter((p) => p.t >= first.time - BASELINE_MS && p.t < first.time).map((p) => p.v));
  const during = points.filter((p) => p.t >= top.time && p.t <= Math.max(a.at, top.time + RECOVERY_HOLD_MS)).map((p) => p.v);
  const peak = quantile(during, direction > 0 ? 0.9 : 0.1);
  if (baseline === undefined || peak === undefined || points.filter((p) => p.t < first.time).length < 3) {
    // No points to judge by: fall back to the breakpoints' levels on this chart.
    const rec = findRecoveries(a.all.filter((b) => chartKey(b.series) === key && b.time >= first.time)).find((b) => limit === undefined || b.after.level < WELL_UNDER_LIMIT * limit);
    return rec === undefined ? base : { ...base, recoveredAt: rec.time };
  }
  const recoveredAt = recoveryTime(points, { from: top.time, baseline, peak, direction, ...(limit === undefined ? {} : { limit }) });
  return { ...base, baseline, peak, ...(recoveredAt === undefined ? {} : { recoveredAt }) };
}

/**
 * First time after `from` (and after the chart has left its normal range) at which its points (every instance) are back in the normal
 * range and stay there for RECOVERY_HOLD_MS: within RECOVERY_FRACTION of the way from `peak` back
 * to `baseline`, and below WELL_UNDER_LIMIT of the limit — for at least HOLD_SHARE of the points.
 * Undefined while the data does not show it (nor when it ends before a full hold).
 */
export function recoveryTime(points: readonly Point[], o: { from: number; baseline: number; peak: number; direction: 1 | -1; limit?: number }): number | undefined {
  const away = o.direction * (o.peak - o.baseline);
  if (!(away > 0)) return undefined;
  const back = (v: number): boolean => o.direction * (v - o.baseline) <= RECOVERY_FRACTION * away && (o.limit === undefined || o.direction < 0 || v < WELL_UNDER_LIMIT * o.limit);
  const last = points[points.length - 1]?.t ?? -Infinity;
  // Coming back needs having been away: scan from the first point out of the normal range.
  const away0 = points.findIndex((p) => p.t >= o.from && !back(p.v));
  if (away0 < 0) return undefined;
  for (let i = away0; i < points.length; i++) {
    const p = points[i] as Point;
    if (!back(p.v)) continue;
    if (p.t + RECOVERY_HOLD_MS > last) return undefined;
    let n = 0;
    let ok = 0;
    for (let j = i; j < points.length && (points[j] as Point).t <= p.t + RECOVERY_HOLD_MS; j++) {
      n++;
      if (back((points[j] as Point).v)) ok++;
    }
    if (ok >= HOLD_SHARE * n) return p.t;
  }
  return undefined;
}
