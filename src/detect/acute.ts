import type { Point } from '../domain/types';
import { median } from '../stats';

/**
 * Acute trouble: a burst of latency, errors or saturation that has not (yet) become a lasting new
 * level. The breakpoint detectors rightly ignore lone outliers in steady series and need many
 * samples to confirm a new regime; at page time the trouble may be only minutes old. This finds a
 * SUSTAINED excursion — at least `minSamples` of `runOf` consecutive samples far outside the
 * series' normal range — in a window after a reference time, measured against the series' own
 * baseline before it (robust: median and MAD, so earlier bursts in the baseline barely move it).
 */
export interface AcuteOptions {
  /** Samples beyond `zMin` needed within a run of `runOf` consecutive samples. @default 2 */
  readonly minSamples: number;
  /** @default 3 */
  readonly runOf: number;
  /** Robust z a sample must exceed, in the bad direction. @default 4 */
  readonly zMin: number;
  /** Baseline samples needed. @default 3 */
  readonly minBaseline: number;
  /**
   * Floor of the noise scale relative to the baseline level: a 3 % wiggle of a very steady series
   * is not trouble. @default 0.05
   */
  readonly relFloor: number;
  /**
   * The level at which the series means "all good" (a success ratio's 100 %), when it has one:
   * the noise floor and the size are then measured from it. A 5 % dip of a success ratio at
   * 100 % is 5 % of requests failing, not a 5 % wiggle. @default none (measured from the level)
   */
  readonly ceiling?: number;
  /** The least move that counts, in the series' units (one percentage point of a ratio). @default 0 */
  readonly least?: number;
  /**
   * A burst cut short by the end of the data: the series' last sample alone counts when it is
   * `lone` × `zMin` out (and the one before it was not). With a 5-minute step the page may come
   * one sample after the cause, and no later sample can ever confirm it; a lone outlier in the
   * middle of the data is still ignored. @default 2 (undefined: never)
   */
  readonly lone?: number;
  /**
   * The level the series cannot pass (a utilization's 1, a declared fd limit), when it has one.
   * Samples within NEAR_LIMIT of it are trouble, never the normal range: they are left out of the
   * baseline. A pod pinned at its CPU limit again after ten calm minutes is news, however long it
   * was pinned earlier in the hour. @default none
   */
  readonly limit?: number;
}

/** Share of its limit beyond which a resource is near it (as `nearLimit` in the context). */
export const NEAR_LIMIT = 0.8;

/**
 * Share of the farthest baseline samples left out of the mean deviation: earlier trouble in the
 * hour (other incidents, deploy blips) can take a fifth of it without passing for normal straying.
 */
const TRIM = 0.2;

/** Mean |v − level| over all but the farthest `trim` share of `xs`. */
export function trimmedMeanDeviation(xs: readonly number[], level: number, trim: number): number {
  const dev = xs.map((v) => Math.abs(v - level)).sort((a, b) => a - b);
  const keep = Math.max(1, Math.ceil(dev.length * (1 - trim)));
  let sum = 0;
  for (let i = 0; i < keep; i++) sum += dev[i] ?? 0;
  return sum / keep;
}

export const ACUTE_DEFAULTS: AcuteOptions = { minSamples: 2, runOf: 3, zMin: 4, minBaseline: 5, relFloor: 0.05, lone: 2 };

export interface Excursion {
  /** Time of the first sample of the sustained excursion, epoch ms. */
  readonly start: number;
  /**
   * Time of the series' last sample before `start` (`start` when it has none): the excursion began
   * somewhere in (since, start], and nothing in the data says where.
   */
  readonly since: number;
  /**
   * The sample at `since` was already beyond `zMin`: the excursion was under way before the
   * window looked (an earlier burst still going), so `start` is not when it began.
   */
  readonly ongoing: boolean;
  /** A single sample, the series' last (see `AcuteOptions.lone`): what no later sample could confirm. */
  readonly lone: boolean;
  /** A steady climb rather than a jump (see `rampExcursion`): `start` is where its line leaves the baseline. */
  readonly ramp?: boolean;
  /** Robust z of the excursion: the `minSamples`-th largest in the run (what was sustained, not the peak). */
  readonly z: number;
  /** Size relative to the baseline level (1 = doubled); Infinity from a zero baseline. */
  readonly relative: number;
  readonly baseline: number;
  /** Sustained value (same rank as `z`), series units. */
  readonly value: number;
  /** Time of the last sample still beyond `zMin` (the burst may be over by the page). */
  readonly end: number;
  /**
   * Share of the excursion beyond what the series already reached in its baseline (its 90th
   * percentile in the bad direction), in [0,1]: 0 for a series that bursts like this anyway.
   */
  readonly novelty: number;
}

/** Baseline [baseFrom, baseTo); excursions start in [from, to) and may run on until `runTo` (default `to`). */
export interface AcuteWindow {
  readonly baseFrom: number;
  readonly baseTo: number;
  readonly from: number;
  readonly to: number;
  readonly runTo?: number;
}

/**
 * The strongest sustained excursion in `dir` (+1 up is bad, −1 down is bad) among samples in
 * [from, to), against the baseline of samples in [baseFrom, baseTo). Undefined when the baseline
 * is too short or nothing is sustained.
 */
export function acuteExcursion(points: readonly Point[], dir: 1 | -1, win: AcuteWindow, opts: AcuteOptions = ACUTE_DEFAULTS): Excursion | undefined {
  const runTo = win.runTo ?? win.to;
  const [lo, hi] = indexRange(points, Math.min(win.baseFrom, win.from), Math.max(win.baseTo, win.to));
  // First pass over the baseline and the window where an excursion may start only: most series
  // have nothing there, and it is called per series for every candidate's minute.
  const base: number[] = [];
  let peak = -Infinity;
  for (let i = lo; i < hi; i++) {
    const p = points[i] as Point;
    if (!Number.isFinite(p.v)) continue;
    if (p.t >= win.baseFrom && p.t < win.baseTo) {
      if (opts.limit === undefined || p.v < NEAR_LIMIT * opts.limit) base.push(p.v);
    } else if (p.t >= win.from && p.t < win.to && dir * p.v > peak) peak = dir * p.v;
  }
  if (base.length < opts.minBaseline || peak === -Infinity) return undefined;
  const level = median(base) ?? 0;
  const { ref, least } = scaleOf(opts, level);
  // Nothing can reach zMin (or a lone sample its bound) against a scale at least `floor`; the
  // slack keeps rounding from deciding. Checked before and after the MAD, which costs a median.
  const reach = peak - dir * level;
  const out = (floor: number): boolean => reach < 0.999 * Math.min(1, opts.lone ?? 1) * opts.zMin * floor;
  if (out(least)) return undefined;
  const mad = median(base.map((v) => Math.abs(v - level))) ?? 0;
  const floor = Math.max(1.4826 * mad, least);
  if (out(floor)) return undefined;
  const after: Point[] = [];
  const [from, to] = indexRange(points, win.from, runTo);
  for (let i = from; i < to; i++) {
    const p = points[i] as Point;
    if (Number.isFinite(p.v) && !(p.t >= win.baseFrom && p.t < win.baseTo) && p.t >= win.from && p.t < runTo) after.push(p);
  }
  // Mostly-idle series (a pod serving nothing most minutes) have MAD 0: their mean deviation
  // still says how far they usually stray. Without the farthest fifth: earlier incidents' bursts
  // in the hour would otherwise pass for normal straying and hide this one.
  const meanDev = trimmedMeanDeviation(base, level, TRIM);
  const scale = Math.max(floor, 1.25 * meanDev);
  const z = after.map((p) => (dir * (p.v - level)) / scale);
  let best: Excursion | undefined;
  for (let i = 0; i + opts.minSamples <= after.length; i++) {
    if ((after[i]?.t ?? Infinity) >= win.to) break;
    if ((z[i] ?? 0) < opts.zMin) continue;
    const run = z.slice(i, i + opts.runOf);
    if (run.filter((v) => v >= opts.zMin).length < opts.minSamples) continue;
    const sustained = [...run].sort((a, b) => b - a)[opts.minSamples - 1] ?? 0;
    if (best !== undefined && sustained <= best.z) continue;
    const value = level + (dir * sustained * scale);
    const start = best?.start ?? after[i]?.t ?? win.from;
    const prev = best === undefined ? lastBefore(points, start) : undefined;
    const since = best?.since ?? prev?.t ?? start;
    const ongoing = best?.ongoing ?? (prev !== undefined && (dir * (prev.v - level)) / scale >= opts.zMin);
    best = { start, since, ongoing, lone: false, z: sustained, relative: relativeTo(value, level, ref), baseline: level, value, end: win.from, novelty: 1 };
  }
  best ??= loneLast(points, after, z, win, opts, level, scale, ref);
  if (best === undefined) return undefined;
  const sorted = base.map((v) => dir * v).sort((a, b) => a - b);
  const high = sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))] ?? dir * level;
  const span = dir * (best.value - level);
  const novelty = span > 0 ? Math.min(1, Math.max(0, (dir * best.value - high) / span)) : 0;
  // The end of THIS excursion: followed from its start while samples stay beyond `zMin` (one
  // sample's gap allowed); a later, separate burst is not its continuation.
  let k = after.findIndex((p) => p.t === best.start);
  let end = best.start;
  while (k < after.length && ((z[k] ?? 0) >= opts.zMin || (z[k + 1] ?? 0) >= opts.zMin)) {
    if ((z[k] ?? 0) >= opts.zMin) end = after[k]?.t ?? end;
    k++;
  }
  return { ...best, end, novelty };
}

/**
 * Whether each array's points are in time order, learnt once per array: they are read once per
 * candidate minute. Callers hand in arrays they no longer append to (the correlator builds them per
 * analysis); an array grown out of order afterwards would keep its first answer.
 */
const ORDERED = new WeakMap<readonly Point[], boolean>();

/**
 * Index range of `points` that may hold times in [from, to): found by bisection when the points
 * are in time order (as stitched series are), else the whole array.
 */
export function indexRange(points: readonly Point[], from: number, to: number): [number, number] {
  let ordered = ORDERED.get(points);
  if (ordered === undefined) {
    ordered = points.every((p, i) => i === 0 || (points[i - 1] as Point).t <= p.t);
    ORDERED.set(points, ordered);
  }
  return ordered ? [firstAtOrAfter(points, from), firstAtOrAfter(points, to)] : [0, points.length];
}

/** Index of the first point at or after `t` in time-ordered `points` (length when none). */
function firstAtOrAfter(points: readonly Point[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid] as Point).t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The reference level a move is measured against (`level`, or its distance from `ceiling`) and the
 * least noise scale a series at `level` can have: `relFloor` of that reference, or `least` spread
 * over `zMin` scales.
 */
export function scaleOf(opts: AcuteOptions, level: number): { readonly ref: number; readonly least: number } {
  const ref = Math.abs(opts.ceiling === undefined ? level : opts.ceiling - level);
  return { ref, least: Math.max(opts.relFloor * ref, (opts.least ?? 0) / opts.zMin, 1e-9) };
}

/** Size of a move from `level` to `value` against the reference level `ref` (Infinity from zero). */
export function relativeTo(value: number, level: number, ref: number): number {
  return ref > 1e-9 ? (value - level) / ref : Infinity;
}

/** The last finite sample of `points` before `t` (undefined when there is none). */
function lastBefore(points: readonly Point[], t: number): Point | undefined {
  let last: Point | undefined;
  for (const p of points) if (p.t < t && (last === undefined || p.t > last.t) && Number.isFinite(p.v)) last = p;
  return last;
}

/**
 * The last sample as a burst of its own (see `AcuteOptions.lone`): `lone` × `zMin` out, the sample
 * before it not beyond `zMin`, and the series' data ending there, no sooner than its own pace
 * allows before `runTo` (a series that stopped earlier, a pod gone, is not cut short).
 */
function loneLast(points: readonly Point[], after: readonly Point[], z: readonly number[], win: AcuteWindow, opts: AcuteOptions, level: number, scale: number, ref: number): Excursion | undefined {
  const k = after.length - 1;
  const last = after[k];
  const zl = z[k] ?? 0;
  if (opts.lone === undefined || last === undefined || last.t >= win.to || zl < opts.lone * opts.zMin || (z[k - 1] ?? 0) >= opts.zMin) return undefined;
  const prev = lastBefore(points, last.t);
  if (prev === undefined || (win.runTo ?? win.to) - last.t > last.t - prev.t) return undefined;
  // Cut short by the end of the data, not by the window: a later sample would have said.
  if (points.some((p) => p.t > last.t && Number.isFinite(p.v))) return undefined;
  const value = level + (zl * scale * Math.sign(last.v - level));
  return { start: last.t, since: prev.t, ongoing: false, lone: true, z: zl, relative: relativeTo(value, level, ref), baseline: level, value, end: last.t, novelty: 1 };
}

/** A run of samples at which a rate all but stopped (see `quietRun`). */
export interface QuietRun {
  /** First sample of the run, epoch ms. */
  readonly start: number;
  /** The sample before it (`start` when none): the rate stopped somewhere in (since, start]. */
  readonly since: number;
  /** Last sample of the run. */
  readonly end: number;
  /** Samples in the run. */
  readonly samples: number;
  /** How often the baseline was that low (smoothed), per sample. */
  readonly lowShare: number;
  /** The baseline's median, and the run's median: series units. */
  readonly baseline: number;
  readonly value: number;
}

/** "All but stopped": at most this share of the baseline's median. @default 0.25 */
export const QUIET_LEVEL = 0.25;

/**
 * The first run of at least two consecutive samples starting in [from, to) at which a rate (of
 * requests, of calls) all but stopped — at most QUIET_LEVEL of its baseline median — with how
 * often the baseline itself was that low. A fall cannot reach the 4 noise scales a burst needs
 * when a rate wanders ±30 % (zero lies 3 of them below), but a rate that never stopped in the hour
 * and stops for minutes on end says something: what matters is how rarely it was that low.
 */
export function quietRun(points: readonly Point[], win: AcuteWindow): QuietRun | undefined {
  const base: number[] = [];
  for (const p of points) if (Number.isFinite(p.v) && p.t >= win.baseFrom && p.t < win.baseTo) base.push(p.v);
  const level = median(base) ?? 0;
  if (base.length < ACUTE_DEFAULTS.minBaseline || !(level > 0)) return undefined;
  const low = (v: number): boolean => v <= QUIET_LEVEL * level;
  const lowShare = (base.filter(low).length + 1) / (base.length + 2);
  const after = points.filter((p) => p.t >= win.from && p.t < (win.runTo ?? win.to));
  for (let i = 0; i < after.length; i++) {
    const first = after[i] as Point;
    if (first.t >= win.to) break;
    // A missing value (a pod that served nothing reports no latency, and may report no rate) is quiet too.
    if (Number.isFinite(first.v) && !low(first.v)) continue;
    let k = i;
    while (k + 1 < after.length && (!Number.isFinite(after[k + 1]?.v ?? NaN) || low(after[k + 1]?.v ?? 0))) k++;
    if (k > i) {
      const run = after.slice(i, k + 1).map((p) => (Number.isFinite(p.v) ? p.v : 0));
      return { start: first.t, since: lastBefore(points, first.t)?.t ?? first.t, end: (after[k] as Point).t, samples: k - i + 1, lowShare, baseline: level, value: median(run) ?? 0 };
    }
    i = k;
  }
  return undefined;
}

/**
 * Strength of a quiet run in [0,1], by the chance of the baseline showing as long a run of its own
 * low samples (lowShare^samples, as if independent): nothing at 1 in 100, all at 1 in 10,000. A
 * rate that stopped once in the hour and now stops for three samples is a strong sign; one that is
 * idle half the time (a pod serving a request a minute) never is.
 */
export function quietStrength(q: QuietRun): number {
  const surprise = -q.samples * Math.log10(q.lowShare);
  return Math.min(1, Math.max(0, (surprise - 2) / 2));
}
