import type { Breakpoint, Point } from '../domain/types';

/**
 * How far back toward the pre-incident level a breakpoint must bring a series to count as a
 * recovery: the distance to the old level must at least halve. @default 0.5
 */
export const RECOVERY_FRACTION = 0.5;

/** How long after a recovery the series must stay back (checked on the points when known), ms. @default 15 min */
export const RECOVERY_HOLD_MS = 15 * 60_000;

/** The points after `b` stay near the old level: their median is within RECOVERY_FRACTION of the way back. A spike down is not a recovery. */
function holds(b: Breakpoint, pre: number, away: number, points: readonly Point[] | undefined): boolean {
  const after = (points ?? []).filter((p) => p.t >= b.time && p.t < b.time + RECOVERY_HOLD_MS).map((p) => p.v).sort((x, y) => x - y);
  if (after.length < 3) return true; // nothing to check against: trust the breakpoint
  const median = after[Math.floor(after.length / 2)] as number;
  return Math.abs(median - pre) <= RECOVERY_FRACTION * away;
}

/**
 * Breakpoints after which a series returns toward where it was before the incident.
 *
 * Per series, the pre-incident level is the `before.level` of its earliest breakpoint; a later
 * breakpoint recovers when `|after − pre| ≤ RECOVERY_FRACTION · |before − pre|`. A series whose
 * first breakpoint already is the return (incident began before the window) is not flagged: we
 * cannot know its old level. With `pointsFor` (e.g. every instance of the service's metric), the
 * points must also stay back for RECOVERY_HOLD_MS: one instance restarting is not the service recovering.
 *
 *   findRecoveries([up(120→900 @t1), down(900→130 @t2)])  // → [the t2 breakpoint]
 */
export function findRecoveries(breakpoints: readonly Breakpoint[], pointsFor?: (b: Breakpoint) => readonly Point[] | undefined): Breakpoint[] {
  const bySeries = new Map<string, Breakpoint[]>();
  for (const b of breakpoints) {
    const list = bySeries.get(b.series.id);
    if (list === undefined) bySeries.set(b.series.id, [b]);
    else list.push(b);
  }
  const out: Breakpoint[] = [];
  for (const list of bySeries.values()) {
    list.sort((a, b) => a.time - b.time);
    const first = list[0];
    if (first === undefined) continue;
    const pre = first.before.level;
    for (const b of list.slice(1)) {
      const away = Math.abs(b.before.level - pre);
      const after = Math.abs(b.after.level - pre);
      if (away > 0 && after <= RECOVERY_FRACTION * away && holds(b, pre, away, pointsFor?.(b))) out.push(b);
    }
  }
  return out.sort((a, b) => a.time - b.time);
}
