import type { ChangeEvent } from '../../domain/types';
import { median, mannWhitneyU } from '../../stats';
import type { Context } from '../context';
import { classifyGolden } from '../golden';
import type { StitchedSeries } from '../stitch';

const MIN = 60_000;
/** Minutes after a deploy over which new and old instances are compared. @default 15 min */
export const CANARY_MS = 15 * MIN;

export interface CanaryEvidence {
  /** In [0,1]: new-version instances significantly worse than old ones (p ≤ 0.05), by how much. */
  readonly value: number;
  readonly metric?: string;
  readonly p?: number;
  readonly newMedian?: number;
  readonly oldMedian?: number;
}

/** The version a series ran at `t`: its stitched spans, else its label. */
function versionAt(s: StitchedSeries, t: number): string | undefined {
  const span = s.versions.find((v) => t >= v.from && t < v.to);
  return span?.version ?? s.series.labels['service.version'];
}

/**
 * Canary comparison across instances: in Kubernetes a release comes up on NEW pods (new
 * `service.instance.id`, new `service.version`) whose series have no "before". Compare the
 * changed service's new-version instances with its old-version ones over the same minutes after
 * the change, per golden-signal metric in its bad direction, with a one-sided Mann–Whitney U test
 * (works with 3–5 samples per instance).
 */
export function canaryEvidence(ctx: Context, c: ChangeEvent): CanaryEvidence {
  if (c.version === undefined) return { value: 0 };
  const to = Math.min(ctx.to, c.time + CANARY_MS);
  const groups = new Map<string, { dir: number; fresh: number[]; old: number[] }>();
  for (const s of ctx.series) {
    if (s.series.service !== c.service) continue;
    const g = classifyGolden(s.series.metric, s.series.labels, ctx.metricRules);
    if (g.bad === 0 || g.signal === 'ignore') continue;
    const key = `${s.series.metric}\u0000${s.series.labels['quantile'] ?? ''}`;
    const grp = groups.get(key) ?? { dir: g.bad, fresh: [], old: [] };
    for (const p of s.points) {
      if (p.t < c.time || p.t >= to) continue;
      const v = versionAt(s, p.t);
      if (v === undefined) continue;
      (v === c.version ? grp.fresh : grp.old).push(p.v);
    }
    groups.set(key, grp);
  }
  let best: CanaryEvidence = { value: 0 };
  for (const [key, g] of groups) {
    if (g.fresh.length < 3 || g.old.length < 3) continue;
    const r = mannWhitneyU(g.fresh.map((v) => g.dir * v), g.old.map((v) => g.dir * v));
    const nm = median(g.fresh) ?? 0;
    const om = median(g.old) ?? 0;
    if (r === undefined || r.p > 0.05) continue;
    const rel = (g.dir * (nm - om)) / Math.max(Math.abs(om), 1e-9);
    const value = 1 - Math.exp(-Math.max(0, rel) / 0.3);
    if (value > best.value) best = { value, metric: key.split('\u0000')[0] ?? key, p: r.p, newMedian: nm, oldMedian: om };
  }
  return best;
}
