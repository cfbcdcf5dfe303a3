import type { Breakpoint, ChangeEvent, SeriesRef } from '../domain/types';
import { fmtClock, fmtNum, humanKind } from './format';

/** Resource attributes that name the emitter rather than the series; left out of titles. */
const NOISY_LABELS = new Set([
  'service.name',
  'service.namespace',
  'service.version',
  'service.instance.id',
  'host.name',
  'host',
  'deployment.environment',
  'deployment.environment.name',
  'telemetry.sdk.name',
  'telemetry.sdk.language',
  'telemetry.sdk.version',
]);

/** `http.client.open_connections{server.address=A}`: the metric plus up to two telling labels. */
export function seriesTitle(ref: SeriesRef): string {
  const extra = Object.keys(ref.labels)
    .filter((k) => !NOISY_LABELS.has(k))
    .sort()
    .slice(0, 2)
    .map((k) => `${k}=${ref.labels[k] ?? ''}`);
  return extra.length === 0 ? ref.metric : `${ref.metric}{${extra.join(',')}}`;
}

function signed(v: number): string {
  return `${v > 0 ? '+' : ''}${fmtNum(v)}`;
}

/** `process.open_file_descriptor.count on A: level up 120 → 900; reaches limit 1,024 ≈14:20:00`, `…: trend +20/h → +2,700/h at 489`. */
export function describeBreakpoint(b: Breakpoint, suffix = ''): string {
  const what =
    b.kind === 'slope_change' && b.before.level === b.after.level
      ? `trend ${signed(b.before.slope)}/h → ${signed(b.after.slope)}/h at ${fmtNum(b.after.level)}`
      : `${humanKind(b.kind)} ${fmtNum(b.before.level)} → ${fmtNum(b.after.level)}${b.kind === 'slope_change' ? ` (trend ${signed(b.before.slope)}/h → ${signed(b.after.slope)}/h)` : ''}`;
  let s = `${seriesTitle(b.series)} on ${b.series.service}${suffix}: ${what}`;
  if (b.exhaustionAt !== undefined && b.limit !== undefined) s += `; reaches limit ${fmtNum(b.limit)} ≈${fmtClock(b.exhaustionAt)}`;
  return s;
}

/** `config change on B: raise pool size (keys: http.pool.max)`, `deploy of A v2.3.1: …`. */
export function describeChange(c: ChangeEvent, reverted?: ChangeEvent): string {
  const what = c.summary ?? c.rawType;
  const keys = c.keys !== undefined && c.keys.length > 0 ? ` (keys: ${c.keys.slice(0, 5).join(', ')}${c.keys.length > 5 ? ', …' : ''})` : '';
  switch (c.type) {
    case 'deploy':
      return `deploy of ${c.service}${c.version === undefined ? '' : ` ${c.version}`}: ${what}`;
    case 'rollback': {
      const of = reverted === undefined ? (c.revertOf === undefined ? '' : ` reverting ${c.revertOf}`) : ` reverting ${describeRevertTarget(reverted)}`;
      return `rollback on ${c.service}${of}: ${what}`;
    }
    default:
      return `${c.type} change on ${c.service}: ${what}${keys}`;
  }
}

function describeRevertTarget(c: ChangeEvent): string {
  if (c.type === 'deploy' && c.version !== undefined) return `the deploy of ${c.version} at ${fmtClock(c.time)}`;
  return `the ${c.type} change at ${fmtClock(c.time)}`;
}
