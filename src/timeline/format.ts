/**
 * Small formatting helpers shared by the timeline text and its renderers. Everything is UTC, so a
 * timeline reads the same for the whole incident channel whatever the reader's time zone.
 */
import { confidencePct } from '../domain/text';

/** `2024-05-01 14:03:20Z` */
export function fmtDateTime(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** `14:03:20` (UTC). */
export function fmtClock(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  return new Date(ms).toISOString().slice(11, 19);
}

/** Compact file-name stamp: `20240501T140320Z`. */
export function fmtStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Offset of `ms` from a reference, for "T−12m" columns: `T−1h05m`, `T+30s`, `T±0`.
 * Uses the true minus sign so it does not read as a hyphen in tables.
 */
export function fmtRelative(ms: number, ref: number): string {
  const d = Math.round((ms - ref) / 1000);
  if (d === 0) return 'T±0';
  const sign = d < 0 ? '−' : '+';
  let s = Math.abs(d);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h > 0) return `T${sign}${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `T${sign}${m}m${s === 0 ? '' : `${String(s).padStart(2, '0')}s`}`;
  return `T${sign}${s}s`;
}

/** A duration in words: `18m`, `2h05m`, `40s`. */
export function fmtDuration(ms: number): string {
  return fmtRelative(Math.abs(ms), 0).slice(2);
}

/** Numbers for people: 3 significant digits below 1000 (`0.25`, `12.3`), grouped integers up to a million (`1,024`), then `4.5M`, `1.14G`, `2T`. */
export function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  for (const [unit, suffix] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
  ] as const) {
    if (a >= unit) return `${Number((v / unit).toPrecision(3))}${suffix}`;
  }
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a === 0) return '0';
  return String(Number(v.toPrecision(3)));
}

/** A suspect's score as a whole percentage: `87%`, `>99%`, `<1%` (src/domain/text.ts). */
export const fmtPct = confidencePct;

/** `level_up` → `level up`. */
export function humanKind(kind: string): string {
  return kind.replace(/_/g, ' ');
}

/** A moment with its date, to the minute: `2026-03-13 06:03Z` (exhaustion times can be days away). */
export function fmtDateTimeShort(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}
