import type { Point } from '../domain/types';
import { firstSustained } from './signals';

/**
 * A move dated at `t` that went away and came back is two moves: the series returned to its
 * earlier level (at least `RETURN` samples in a row within 30 % of the move) before moving again.
 * Detectors confirm a new regime late and may date it at the first of two bursts; what is still
 * there at the page started with the second. Returns the start of the last sustained move after
 * the last such return (3 of 4 samples beyond 30 % of the move), or `t` when the move never left.
 */
export function lastOnset(points: readonly Point[], t: number, before: number, after: number): number {
  const size = after - before;
  if (size === 0) return t;
  const moved = (v: number): boolean => (v - before) / size > 0.3;
  const from = points.findIndex((p) => p.t >= t);
  // Returns count only once the series has moved: a climb that has not yet crossed the line (a
  // restarted process warming up, a leak's slow start) is the move beginning, not a return.
  let i = from < 0 ? -1 : firstSustained(points, from, points.length, moved);
  if (i < 0) return t;
  let start = t;
  while (i < points.length) {
    const back = returnAt(points, i, moved);
    if (back < 0) break;
    const again = firstSustained(points, back, points.length, moved);
    if (again < 0) break;
    start = points[again]?.t ?? start;
    i = again;
  }
  return start;
}

/** Samples in a row back at the earlier level that make a return. */
const RETURN = 3;

/** Index just after the first run of RETURN finite samples not moved, from `from`; -1 if none. */
function returnAt(points: readonly Point[], from: number, moved: (v: number) => boolean): number {
  let run = 0;
  for (let i = from; i < points.length; i++) {
    const v = points[i]?.v ?? NaN;
    if (!Number.isFinite(v)) continue;
    run = moved(v) ? 0 : run + 1;
    if (run >= RETURN) return i + 1;
  }
  return -1;
}
