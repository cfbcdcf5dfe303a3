import type { Breakpoint } from '../domain/types';

/**
 * How far back toward the pre-incident level a breakpoint must bring a series to count as a
 * recovery: the distance to the old level must at least halve. @default 0.5
 */
export const RECOVERY_FRACTION = 0.5;

/**
 * Breakpoints after which a series returns toward where it was before the incident.
 *
 * Per series, the pre-incident level is the `before.level` of its earliest breakpoint; a later
 * breakpoint recovers when `|after − pre| ≤ RECOVERY_FRACTION · |before − pre|`. A series whose
 * first breakpoint already is the return (incident began before the window) is not flagged: we
 * cannot know its old level.
 *
 *   findRecoveries([up(120→900 @t1), down(900→130 @t2)])  // → [the t2 breakpoint]
 */
export function findRecoveries(breakpoints: readonly Breakpoint[]): Breakpoint[] {
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
      if (away > 0 && after <= RECOVERY_FRACTION * away) out.push(b);
    }
  }
  return out.sort((a, b) => a.time - b.time);
}
