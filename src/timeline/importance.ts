import type { Breakpoint, Point } from '../domain/types';

/**
 * Which breakpoints a person should see. The detector reports every regime change it can defend
 * (hundreds in a 6 h window of a real fleet, many of them slope wiggles of a few percent); a
 * timeline lists the ones that changed something.
 */

/** Minimum confidence of a breakpoint shown. @default 0.8 */
export const MIN_CONFIDENCE = 0.8;
/** Minimum relative change (see `relativeChange`) of a breakpoint shown. @default 0.25 */
export const MIN_RELATIVE_CHANGE = 0.25;
/** A breakpoint projected to exhaust its limit within this long weighs triple, ms. @default 6 h */
const EXHAUSTION_HORIZON_MS = 6 * 3_600_000;

/**
 * Size of the change relative to the old level: the level shift, or for slopes the shift the new
 * trend makes in an hour, over `|before.level|` (floored at 1 so near-zero series do not explode).
 *
 *   relativeChange({ before: { level: 100, slope: 0 }, after: { level: 150, slope: 0 } })  // 0.5
 */
export function relativeChange(b: Pick<Breakpoint, 'before' | 'after'>): number {
  // Slopes are per hour: the slope difference is the shift one hour of the new trend makes.
  const shift = Math.max(Math.abs(b.after.level - b.before.level), Math.abs(b.after.slope - b.before.slope));
  return shift / Math.max(Math.abs(b.before.level), 1);
}

/** Worth listing and drawing: confident and big enough (see MIN_CONFIDENCE, MIN_RELATIVE_CHANGE). */
export function isNotable(b: Breakpoint): boolean {
  return b.confidence >= MIN_CONFIDENCE && relativeChange(b) >= MIN_RELATIVE_CHANGE;
}

/** A new level at this share of the limit counts as having reached it. @default 0.9 */
const AT_LIMIT_SHARE = 0.9;

/**
 * Ranking weight: confidence × log(1 + relative change), tripled when the new level is at its
 * limit or the new trend reaches it within 6 h — a limit reached is what pages people.
 */
export function importance(b: Breakpoint): number {
  const atLimit = b.limit !== undefined && b.limit > 0 && b.after.level >= AT_LIMIT_SHARE * b.limit;
  const heading = atLimit || (b.exhaustionAt !== undefined && b.exhaustionAt - b.time <= EXHAUSTION_HORIZON_MS) ? 3 : 1;
  return b.confidence * Math.log1p(relativeChange(b)) * heading;
}

/**
 * How much of a breakpoint's shift is still there later, in [0,1]: the median of `points` after it
 * (until `until`) measured from the old level toward the new one. A restart dip that is back in
 * two minutes scores ≈0, the fd climb still there at the page ≈1. 1 when fewer than 3 points.
 */
export function persistence(b: Breakpoint, points: readonly Point[] | undefined, until: number): number {
  const vs = (points ?? []).filter((p) => p.t > b.time && p.t <= until).map((p) => p.v).sort((x, y) => x - y);
  const shift = b.after.level - b.before.level;
  if (vs.length < 3 || shift === 0) return 1;
  const median = vs[Math.floor(vs.length / 2)] as number;
  return Math.max(0, Math.min(1, (median - b.before.level) / shift));
}

/** Baseline before a breakpoint: from this long before it … @default 60 min */
const BASELINE_FROM_MS = 60 * 60_000;
/** … to this long before it (skipping a dip just before a rebound). @default 10 min */
const BASELINE_TO_MS = 10 * 60_000;

/**
 * How new a breakpoint's level is, in [0,1]: its distance from the series' baseline (median of
 * `points` from an hour to 10 min before it) over the size of the shift. The rebound after a
 * restart dip goes back to the baseline and scores ≈0; a climb to a new level ≈1. 1 when fewer
 * than 3 baseline points.
 */
export function novelty(b: Breakpoint, points: readonly Point[] | undefined): number {
  const vs = (points ?? []).filter((p) => p.t >= b.time - BASELINE_FROM_MS && p.t < b.time - BASELINE_TO_MS).map((p) => p.v).sort((x, y) => x - y);
  const shift = Math.abs(b.after.level - b.before.level);
  if (vs.length < 3 || shift === 0) return 1;
  const baseline = vs[Math.floor(vs.length / 2)] as number;
  return Math.max(0, Math.min(1, Math.abs(b.after.level - baseline) / shift));
}
