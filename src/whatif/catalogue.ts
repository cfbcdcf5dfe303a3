import { median } from '../stats';
import type { Grid } from './grid';
import { round4 } from './model';
import type { Impact, MeasuredEffect, Quantities, SeriesModel } from './types';
import { pushTo } from './util';

const MIN = 60_000;
const DAY = 86_400_000;
/** Before: the hour up to the change; after: an hour starting 10 min later (pools fill, pods roll). */
const BEFORE_MS = 60 * MIN;
const AFTER_FROM_MS = 10 * MIN;
const AFTER_MS = 60 * MIN;
const MAX_EFFECTS = 20;

export interface PastChange {
  readonly id: string;
  readonly type: string;
  readonly service: string;
  readonly time: number;
  readonly keys: readonly string[];
  readonly quantities: Quantities;
}

function windowValues(v: Float64Array, grid: Grid, from: number, to: number): number[] {
  const out: number[] = [];
  const k0 = Math.max(0, Math.ceil((from - grid.from) / grid.stepMs));
  const k1 = Math.min(v.length, Math.ceil((to - grid.from) / grid.stepMs));
  for (let k = k0; k < k1; k++) if (Number.isFinite(v[k])) out.push(v[k]!);
  return out;
}

/**
 * What the same two hours did on other days (±1…7 days, where the grid has them): the median
 * after/before ratio, so the daily rise or fall between the two windows is not taken for an effect.
 * A profile learnt from the whole history would not do: it already holds the change's own effect.
 */
function dailyDrift(v: Float64Array, grid: Grid, t: number): number {
  const ratios: number[] = [];
  for (let d = -7; d <= 7; d++) {
    if (d === 0) continue;
    const s = t + d * DAY;
    const b = median(windowValues(v, grid, s - BEFORE_MS, s));
    const a = median(windowValues(v, grid, s + AFTER_FROM_MS, s + AFTER_FROM_MS + AFTER_MS));
    if (a !== undefined && b !== undefined && b > 0 && a > 0) ratios.push(a / b);
  }
  return median(ratios) ?? 1;
}

/**
 * One past change's effect on one series: after/before medians of the hour before and the hour
 * from 10 min after, against what the same hours did on other days, with a ~95 % interval from the noise.
 * Undefined when a window lacks data or the effect is within the noise.
 */
export function measureEffect(v: Float64Array, grid: Grid, m: SeriesModel, t: number): MeasuredEffect | undefined {
  const before = windowValues(v, grid, t - BEFORE_MS, t);
  const after = windowValues(v, grid, t + AFTER_FROM_MS, t + AFTER_FROM_MS + AFTER_MS);
  if (before.length < 3 || after.length < 3) return undefined;
  const b = median(before)!;
  const a = median(after)!;
  if (b <= 0) return undefined;
  const factor = a / b / dailyDrift(v, grid, t);
  // Median of n noisy samples: σ·1.25/√n each; the ratio's half-width in relative terms.
  const half = (1.96 * 1.25 * m.noise * Math.sqrt(1 / before.length + 1 / after.length)) / b;
  if (Math.abs(factor - 1) <= Math.max(0.03, 2 * half)) return undefined;
  return {
    service: m.service, metric: m.metric, ...(m.peer === undefined ? {} : { peer: m.peer }),
    before: round4(b), after: round4(a), factor: round4(factor), low: round4(factor - half), high: round4(factor + half),
  };
}

/**
 * The impact catalogue: every past change in the window with its measured effects on its own
 * service and its neighbours (callers and callees), keyed for lookup by type and config key.
 */
export function buildCatalogue(changes: readonly PastChange[], grid: Grid, models: ReadonlyMap<string, SeriesModel>, neighbours: (s: string) => readonly string[]): Impact[] {
  const bySvc = new Map<string, string[]>();
  for (const [key, m] of models) pushTo(bySvc, m.service, key);
  const out: Impact[] = [];
  for (const c of changes) {
    if (c.time - BEFORE_MS < grid.from || c.time + AFTER_FROM_MS + AFTER_MS > grid.from + grid.n * grid.stepMs) continue;
    const effects: MeasuredEffect[] = [];
    for (const s of [c.service, ...neighbours(c.service)]) {
      for (const key of bySvc.get(s) ?? []) {
        const m = models.get(key)!;
        if (m.role === 'other' || m.role === 'fdLimit') continue;
        const e = measureEffect(grid.series.get(key)!.values, grid, m, c.time);
        if (e !== undefined) effects.push(e);
      }
    }
    effects.sort((a, b) => Math.abs(Math.log(b.factor)) - Math.abs(Math.log(a.factor)));
    out.push({ id: c.id, type: c.type, service: c.service, time: c.time, keys: c.keys, ...(Object.keys(c.quantities).length > 0 ? { quantities: c.quantities } : {}), effects: effects.slice(0, MAX_EFFECTS) });
  }
  return out;
}

const numeric = (x: number | string): number => (typeof x === 'number' ? x : Number(x));

/**
 * How strongly past changes of config `key` moved their service's outbound connections: the median
 * elasticity log(connection factor) / log(to/from) over past changes with numeric quantities for
 * that key (a past change that moved nothing counts as 0). Undefined when none was measured.
 */
export function learntElasticity(impacts: readonly Impact[], key: string): { elasticity: number; n: number; ids: string[] } | undefined {
  const es: number[] = [];
  const ids: string[] = [];
  for (const imp of impacts) {
    const s = imp.quantities?.settings?.find((x) => x.key === key);
    if (s === undefined) continue;
    const ratio = numeric(s.to) / numeric(s.from);
    if (!Number.isFinite(ratio) || ratio <= 0 || Math.abs(Math.log(ratio)) < 0.05) continue;
    const conns = imp.effects.filter((e) => e.service === imp.service && e.peer !== undefined && (s.peer === undefined || e.peer === s.peer) && /conn/i.test(e.metric));
    const f = median(conns.map((e) => e.factor)) ?? 1;
    es.push(Math.log(f) / Math.log(ratio));
    ids.push(imp.id);
  }
  const e = median(es);
  return e === undefined ? undefined : { elasticity: e, n: es.length, ids };
}

/** Median effect factors per metric (and peer) of past changes of `type` on `service` (e.g. its past deploys); only effects seen in most of them. */
export function learntKindEffects(impacts: readonly Impact[], service: string, type: string): { metric: string; peer?: string; factor: number; n: number }[] {
  const past = impacts.filter((i) => i.service === service && i.type === type);
  if (past.length < 2) return [];
  const by = new Map<string, { metric: string; peer?: string; fs: number[] }>();
  for (const imp of past) {
    for (const e of imp.effects) {
      if (e.service !== service) continue;
      const k = `${e.metric}\u0000${e.peer ?? ''}`;
      const cur = by.get(k) ?? { metric: e.metric, ...(e.peer === undefined ? {} : { peer: e.peer }), fs: [] };
      cur.fs.push(e.factor);
      by.set(k, cur);
    }
  }
  const out: { metric: string; peer?: string; factor: number; n: number }[] = [];
  for (const v of by.values()) {
    if (v.fs.length * 2 <= past.length) continue;
    const all = [...v.fs, ...new Array<number>(past.length - v.fs.length).fill(1)];
    out.push({ metric: v.metric, ...(v.peer === undefined ? {} : { peer: v.peer }), factor: median(all)!, n: past.length });
  }
  return out;
}
