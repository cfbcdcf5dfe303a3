import type { Point } from '../domain/types';
import { mannKendall, median, theilSen } from '../stats';
import { ACUTE_DEFAULTS, indexRange, NEAR_LIMIT, relativeTo, scaleOf, type AcuteOptions, type AcuteWindow, type Excursion } from './acute';

/**
 * A climb that began in the window: a leak (file descriptors, memory, threads) or a queue
 * building up, which a burst test misses because no sample is far out yet when it starts, and
 * a breakpoint detector misses in short or coarse histories because its warm-up takes them all.
 * The samples from `win.from` on (for five times the window's span) rise steadily (Mann–Kendall,
 * p ≤ `P_MAX`, and in their second half on its own), already in the window at a third of their
 * overall pace or more, and have climbed `zMin` noise scales above the baseline by the last of
 * them; the line through them (Theil–Sen)
 * leaves the baseline's level in the window (within a quarter of its span before it: a line
 * dates a climb that roughly). A series that was climbing before meets its baseline's level
 * long before the window and is no new climb. The climb is reported as an excursion starting at
 * the first sample past that point, so it is weighed and dated as a burst is.
 */
export function rampExcursion(points: readonly Point[], dir: 1 | -1, win: AcuteWindow, opts: AcuteOptions = ACUTE_DEFAULTS): Excursion | undefined {
  // Only the climb's first stretch: hours of data after it would let a later cause's climb in.
  const runTo = Math.min(win.runTo ?? win.to, win.from + RAMP_SPANS * (win.to - win.from));
  const [lo, hi] = indexRange(points, Math.min(win.baseFrom, win.from), Math.max(win.baseTo, runTo));
  const inBase = (p: Point): boolean => p.t >= win.baseFrom && p.t < win.baseTo && (opts.limit === undefined || p.v < NEAR_LIMIT * opts.limit);
  const inAfter = (p: Point): boolean => !(p.t >= win.baseFrom && p.t < win.baseTo) && p.t >= win.from && p.t < runTo;
  // Cheapest first, allocating nothing: it runs for every quiet series at every candidate's
  // minute. The baseline's median lies between its extremes, so this bounds the test below.
  let nBase = 0;
  let nAfter = 0;
  let low = Infinity;
  let small = Infinity;
  let sign = 0;
  let mixed = false;
  let last: Point | undefined;
  for (let i = lo; i < hi; i++) {
    const p = points[i] as Point;
    if (!Number.isFinite(p.v)) continue;
    if (inBase(p)) {
      nBase++;
      low = Math.min(low, dir * p.v);
      small = Math.min(small, Math.abs(p.v));
      if (sign === 0) sign = Math.sign(p.v);
      else if (Math.sign(p.v) !== sign) mixed = true;
    } else if (inAfter(p)) {
      nAfter++;
      if (last === undefined || p.t > last.t) last = p;
    }
  }
  if (nBase < opts.minBaseline || nAfter < MIN_SAMPLES || last === undefined) return undefined;
  if (opts.ceiling === undefined && !mixed && dir * last.v - low < opts.zMin * opts.relFloor * small) return undefined;
  const base: Point[] = [];
  let after: Point[] = [];
  for (let i = lo; i < hi; i++) {
    const p = points[i] as Point;
    if (!Number.isFinite(p.v)) continue;
    if (inBase(p)) base.push(p);
    else if (inAfter(p)) after.push(p);
  }
  after.sort((a, b) => a.t - b.t);
  const level = median(base.map((p) => p.v)) ?? 0;
  // The climb must have got far enough out for anyone to care, against the least noise scale
  // there can be (checked again against the full one below).
  const { ref, least } = scaleOf(opts, level);
  if (dir * (last.v - level) < opts.zMin * least) return undefined;
  const mad = median(base.map((p) => Math.abs(p.v - level))) ?? 0;
  const floor = Math.max(1.4826 * mad, least);
  if (dir * (last.v - level) < opts.zMin * floor) return undefined;
  if (after.length > MAX_SAMPLES) after = thin(after, MAX_SAMPLES);
  const ts = after.map((p) => p.t);
  const ys = after.map((p) => dir * p.v);
  const trend = mannKendall(ys);
  if (trend === undefined || trend.p > P_MAX) return undefined;
  // Still climbing in its second half on its own: a restart climbing back to its level and a
  // later cause's jump make a rise overall, but not a steady one; nor does a warm-up levelling off.
  const still = mannKendall(ys.slice(Math.floor(ys.length / 2)));
  if (still === undefined || still.p > P_HALF) return undefined;
  const line = theilSen(ts, ys);
  if (line === undefined || line.slope <= 0) return undefined;
  // Already climbing where a burst would have to start, at a third of the pace or more: flat
  // there and climbing later (a later cause's climb, or a jump later on) is not this climb.
  const n = ts.filter((t) => t < win.to).length;
  const opening = n < 3 ? undefined : theilSen(ts.slice(0, n), ys.slice(0, n));
  if (opening === undefined || opening.slope < line.slope / 3) return undefined;
  // Where the line leaves the baseline's level: when the climb began, as near as a line can say
  // (a quarter of the window's span either way). Dated as a burst is, between the samples around
  // that point: it began in (since, start].
  const crossing = (dir * level - line.intercept) / line.slope;
  if (!(crossing >= win.from - (win.to - win.from) / 4 && crossing < win.to)) return undefined;
  const k = after.findIndex((p) => p.t > crossing);
  const start = (after[Math.max(k, 0)] as Point).t;
  const reached = line.intercept + line.slope * last.t;
  const z = (reached - dir * level) / floor;
  if (z < opts.zMin) return undefined;
  const value = dir * reached;
  const since = k > 0 ? (after[k - 1] as Point).t : base.reduce((m, p) => Math.max(m, p.t), start);
  return { start, since: Math.min(since, start), ongoing: false, lone: false, ramp: true, z, relative: relativeTo(value, level, ref), baseline: level, value, end: last.t, novelty: 1 };
}

/** Samples a climb needs: fewer cannot tell a trend from noise. */
const MIN_SAMPLES = 5;
/** At most this many samples are tested (evenly thinned): the test is O(n²). */
const MAX_SAMPLES = 30;
/** One-sided Mann–Kendall p a climb must reach … */
const P_MAX = 0.01;
/** … and its second half on its own (half the samples, so a looser bound). */
const P_HALF = 0.1;
/** The climb is followed for this many times the window a burst may start in (30 min at 1-minute steps). */
const RAMP_SPANS = 5;

/** `n` points spread evenly over `ps`, keeping the first and the last. */
function thin(ps: readonly Point[], n: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < n; i++) out.push(ps[Math.round((i * (ps.length - 1)) / (n - 1))] as Point);
  return out;
}
