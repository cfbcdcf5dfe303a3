import { z } from 'zod';
import { parseIsoTime } from '../formats/time';

/**
 * Parsing of the time and duration values people type into requests and slash commands.
 * Times become epoch ms, durations ms.
 */

/** 2000-01-01 .. 2100-01-01 in epoch ms: outside it, a number is a unit mistake (seconds, ns). */
const MIN_T = 946_684_800_000;
const MAX_T = 4_102_444_800_000;

/** "2024-05-01T12:00:00Z" (zone optional: UTC), "2024-05-01", or epoch ms ("1714564800000" or a number). */
export function parseTime(v: unknown): number | undefined {
  let t: number | undefined;
  if (typeof v === 'number') t = v;
  else if (typeof v === 'string' && /^\d{1,15}$/.test(v.trim())) t = Number(v.trim());
  else if (typeof v === 'string') t = parseIsoTime(v.trim());
  if (t === undefined || !Number.isInteger(t) || t < MIN_T || t > MAX_T) return undefined;
  return t;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "6h", "90m", "1h30m", "45s", "2d", "500ms", or a number of ms (number or digit string). */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (/^\d{1,15}$/.test(s)) return Number(s);
  if (!/^(\d+(\.\d+)?(ms|min|s|m|h|d|w))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|min|s|m|h|d|w)/g)) total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? NaN);
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** zod: a time as above → epoch ms. */
export const timeParam = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const t = parseTime(v);
  if (t === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time (e.g. 2024-05-01T12:00:00Z) or epoch milliseconds between 2000 and 2100' });
    return z.NEVER;
  }
  return t;
});

/** zod: a duration as above → ms, within [min, max]. */
export function durationParam(min: number, max: number) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const d = parseDuration(v);
    if (d === undefined || d < min || d > max) {
      ctx.addIssue({ code: 'custom', message: `must be a duration such as "6h", "90m" or milliseconds, between ${min / 60_000} min and ${max / 86_400_000} d` });
      return z.NEVER;
    }
    return d;
  });
}

/** Service names: what OpenTelemetry's service.name and our topology allow, bounded. */
export const serviceParam = z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters');
