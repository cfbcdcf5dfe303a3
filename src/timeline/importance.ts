import type { Breakpoint } from '../domain/types';

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

/**
 * Ranking weight: confidence × log(1 + relative change), tripled when the new trend reaches the
 * series' limit within 6 h — heading for a limit is what pages people.
 */
export function importance(b: Breakpoint): number {
  const heading = b.exhaustionAt !== undefined && b.exhaustionAt - b.time <= EXHAUSTION_HORIZON_MS ? 3 : 1;
  return b.confidence * Math.log1p(relativeChange(b)) * heading;
}
