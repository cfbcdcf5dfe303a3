/**
 * Plausibility limits shared by every metric and change decoder. A value outside them is a bad
 * record (BAD_INPUT naming the field), never silently clamped.
 */

/** 2000-01-01T00:00:00Z in epoch ms: anything earlier is a unit mistake (seconds vs ns) or a zero. */
export const MIN_TIME_MS = 946_684_800_000;
/** How far after `Origin.now` a timestamp may lie: 1 day, in ms. */
export const FUTURE_SLACK_MS = 86_400_000;
/** Largest accepted |value|: beyond it a sample is garbage (uninitialised memory, wrong unit). */
export const MAX_ABS_VALUE = 1e15;

/** Why `t` (epoch ms) is not acceptable, or undefined when it is. */
export function timeProblem(t: number, now: number | undefined): string | undefined {
  if (!Number.isFinite(t)) return 'timestamp is not a finite number';
  if (t < MIN_TIME_MS) return `timestamp ${new Date(t).toISOString()} is before 2000-01-01`;
  if (now !== undefined && t > now + FUTURE_SLACK_MS) return `timestamp ${new Date(t).toISOString()} is more than 1 day in the future`;
  return undefined;
}

/** Why `v` is not an acceptable sample value, or undefined when it is. */
export function valueProblem(v: number): string | undefined {
  if (Number.isNaN(v)) return 'value is NaN';
  if (!Number.isFinite(v)) return 'value is infinite';
  if (Math.abs(v) > MAX_ABS_VALUE) return `value ${v} exceeds ±1e15`;
  return undefined;
}
