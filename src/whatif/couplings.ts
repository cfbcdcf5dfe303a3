import { median, theilSen } from '../stats';
import type { Grid, GridSeries } from './grid';
import { round4, rSquared } from './model';
import type { Coupling } from './types';
import { pushTo } from './util';

/** Theil–Sen is O(n²): fit on at most this many block medians. */
const FIT_POINTS = 96;

export interface Fit {
  readonly slope: number;
  readonly intercept: number;
  readonly r2: number;
  readonly n: number;
  readonly driverSpread: number;
}

function blockMedians(xs: ArrayLike<number>, ys: ArrayLike<number>): { x: number[]; y: number[] } {
  const n = Math.min(xs.length, ys.length);
  const block = Math.max(1, Math.ceil(n / FIT_POINTS));
  const x: number[] = [];
  const y: number[] = [];
  if (block === 1) {
    for (let k = 0; k < n; k++) {
      if (Number.isFinite(xs[k]) && Number.isFinite(ys[k])) {
        x.push(xs[k]!);
        y.push(ys[k]!);
      }
    }
    return { x, y };
  }
  for (let k0 = 0; k0 < n; k0 += block) {
    const bx: number[] = [];
    const by: number[] = [];
    for (let k = k0; k < Math.min(n, k0 + block); k++) {
      if (Number.isFinite(xs[k]) && Number.isFinite(ys[k])) {
        bx.push(xs[k]!);
        by.push(ys[k]!);
      }
    }
    const mx = median(bx);
    const my = median(by);
    if (mx !== undefined && my !== undefined) {
      x.push(mx);
      y.push(my);
    }
  }
  return { x, y };
}

/**
 * y ≈ intercept + slope·x by Theil–Sen on block medians of the aligned history, with R² and the
 * driver's relative spread (10th–90th percentile over its median): a flat driver explains nothing.
 *
 * @example fitCoupling([1, 2, 3, 4], [12, 14, 16, 18]) // slope 2, intercept 10, r2 1
 */
export function fitCoupling(xs: ArrayLike<number>, ys: ArrayLike<number>): Fit | undefined {
  const { x, y } = blockMedians(xs, ys);
  if (x.length < 6) return undefined;
  const line = theilSen(x, y);
  if (line === undefined) return undefined;
  const sorted = [...x].sort((a, b) => a - b);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  const spread = mid === 0 ? 0 : (sorted[Math.floor(sorted.length * 0.9)]! - sorted[Math.floor(sorted.length * 0.1)]!) / Math.abs(mid);
  return { slope: line.slope, intercept: line.intercept, r2: rSquared(x, y, line.slope, line.intercept), n: x.length, driverSpread: spread };
}

/** Fleet load index: per grid step, the median over services of traffic relative to its own median (1 = typical). */
export function loadIndex(grid: Grid): Float64Array {
  const rel: Float64Array[] = [];
  for (const g of grid.series.values()) {
    if (g.role !== 'traffic') continue;
    const m = median(Array.from(g.values));
    if (m !== undefined && m > 0) rel.push(g.values.map((v) => v / m));
  }
  const out = new Float64Array(grid.n).fill(NaN);
  if (rel.length === 0) return out;
  const col: number[] = new Array<number>(rel.length);
  for (let k = 0; k < grid.n; k++) {
    for (let i = 0; i < rel.length; i++) col[i] = rel[i]![k]!;
    out[k] = median(col) ?? NaN;
  }
  return out;
}

function sumInto(acc: Float64Array, v: Float64Array, w: number): void {
  for (let k = 0; k < acc.length; k++) if (Number.isFinite(v[k])) acc[k] = acc[k]! + w * v[k]!;
}

/**
 * Couplings learnt from history: a service's fds on the connections it holds (outbound plus its
 * callers' connections to it per instance), its threads and memory on its traffic, and each
 * caller's connections to a peer on the caller's traffic (or the fleet load when it reports none).
 */
export function learnCouplings(grid: Grid, load: Float64Array): Coupling[] {
  const bySvc = new Map<string, GridSeries[]>();
  for (const g of grid.series.values()) pushTo(bySvc, g.service, g);
  const inst = (s: string): number => grid.instances.get(s) ?? 1;
  const held = new Map<string, Float64Array>();
  const heldOf = (s: string): Float64Array => {
    let h = held.get(s);
    if (h === undefined) held.set(s, (h = new Float64Array(grid.n)));
    return h;
  };
  for (const g of grid.series.values()) {
    if (g.role !== 'connections') continue;
    sumInto(heldOf(g.service), g.values, 1);
    if (g.peer !== undefined) sumInto(heldOf(g.peer), g.values, inst(g.service) / inst(g.peer));
  }
  const out: Coupling[] = [];
  const push = (kind: Coupling['kind'], g: GridSeries, driver: string, x: ArrayLike<number>, peer?: string): void => {
    const f = fitCoupling(x, g.values);
    if (f === undefined) return;
    out.push({
      kind, service: g.service, metric: g.metric, ...(peer === undefined ? {} : { peer }), driver,
      slope: round4(f.slope), intercept: round4(f.intercept), r2: round4(f.r2), n: f.n, driverSpread: round4(f.driverSpread),
    });
  };
  for (const [svc, list] of bySvc) {
    const traffic = list.find((g) => g.role === 'traffic');
    const drive = traffic?.values ?? load;
    const driveName = traffic === undefined ? 'fleet load index' : `${svc} ${traffic.metric} per instance`;
    for (const g of list) {
      const h = held.get(svc);
      if (g.role === 'fd' && h !== undefined) push('fd~held', g, 'connections held (outbound + inbound per instance)', h);
      else if (g.role === 'threads') push('threads~traffic', g, driveName, drive);
      else if (g.role === 'memory') push('memory~traffic', g, driveName, drive);
      else if (g.role === 'connections') push('conns~traffic', g, driveName, drive, g.peer);
    }
  }
  return out;
}
