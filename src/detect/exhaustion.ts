const HOUR_MS = 3_600_000;

/**
 * When a linear trend reaches a limit: `now` (epoch ms) + (limit − level) / slope, with the slope
 * in units per hour. Limits are ceilings (fds, connections, memory): a level already at or above
 * the limit is exhausted `now`; a flat or falling trend below it never gets there (undefined).
 * Non-finite input → undefined.
 *
 * @example exhaustionTime(0, 900, 62, 1024) // 7_200_000 (2 h: 124 fds to go at 62 per hour)
 */
export function exhaustionTime(now: number, level: number, slopePerHour: number, limit: number): number | undefined {
  if (![now, level, slopePerHour, limit].every(Number.isFinite)) return undefined;
  if (level >= limit) return now;
  if (slopePerHour <= 0) return undefined;
  return now + ((limit - level) / slopePerHour) * HOUR_MS;
}
