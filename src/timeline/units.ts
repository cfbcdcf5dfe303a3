import { fmtNum } from './format';

/**
 * Values for people, in the series' own unit (OpenTelemetry/UCUM unit strings): bytes in binary
 * multiples, seconds as durations, counts (`{file}`, `1`) as plain numbers.
 */

export type UnitKind = 'bytes' | 'seconds' | 'milliseconds' | 'count';

/** What kind of quantity a unit string names. */
export function unitKind(unit: string | undefined): UnitKind {
  if (unit === 'By' || unit === 'bytes' || unit === 'B') return 'bytes';
  if (unit === 's') return 'seconds';
  if (unit === 'ms') return 'milliseconds';
  return 'count';
}

const BINARY: readonly [number, string][] = [
  [2 ** 40, 'TiB'],
  [2 ** 30, 'GiB'],
  [2 ** 20, 'MiB'],
  [2 ** 10, 'KiB'],
];

/** A display scale for a chart: divide values by `factor` and label the axis `label`. */
export interface DisplayScale {
  readonly factor: number;
  readonly label: string;
}

/**
 * The scale a chart of `unit` whose values reach `maxAbs` is drawn in, so its axis reads `400 MiB`
 * rather than `419,430,400`: `displayScale('By', 4.3e8)` → `{ factor: 1048576, label: 'MiB' }`.
 * Counts keep their values and need no axis label (see `countNoun`).
 */
export function displayScale(unit: string | undefined, maxAbs: number): DisplayScale {
  switch (unitKind(unit)) {
    case 'bytes': {
      const hit = BINARY.find(([f]) => maxAbs >= f);
      return hit === undefined ? { factor: 1, label: 'bytes' } : { factor: hit[0], label: hit[1] };
    }
    case 'seconds':
      return maxAbs < 1 ? { factor: 1e-3, label: 'ms' } : { factor: 1, label: 's' };
    case 'milliseconds':
      return maxAbs >= 10_000 ? { factor: 1000, label: 's' } : { factor: 1, label: 'ms' };
    default:
      return { factor: 1, label: '' };
  }
}

/** One value with its unit: `fmtValue(4.3e8, 'By')` → `410 MiB`, `fmtValue(0.25, 's')` → `250 ms`, `fmtValue(1024, '{file}')` → `1,024`. */
export function fmtValue(v: number, unit: string | undefined): string {
  if (!Number.isFinite(v)) return String(v);
  const kind = unitKind(unit);
  if (kind === 'count') return fmtNum(v);
  const s = displayScale(unit, Math.abs(v));
  return `${fmtNum(v / s.factor)} ${s.label}`;
}

/** A trend per minute from a slope per hour (the detector's unit), signed: `+14.9/min`, `−2.5 GiB/min`. */
export function fmtSlope(perHour: number, unit: string | undefined): string {
  const perMin = perHour / 60;
  if (perMin === 0) return 'flat';
  const text = fmtValue(Math.abs(perMin), unit);
  return `${perMin < 0 ? '−' : '+'}${text}/min`;
}

/** What a count counts, for captions: `{file}` → `files`, `{connection}` → `connections`; '' for `1` or none. */
export function countNoun(unit: string | undefined): string {
  const m = /^\{([^}]+)\}$/.exec(unit ?? '');
  if (m?.[1] === undefined) return unit === undefined || unit === '1' || unitKind(unit) !== 'count' ? '' : unit;
  return m[1].endsWith('s') ? m[1] : `${m[1]}s`;
}
