import type { Breakpoint, Burst, ChangeEvent, SeriesRef } from '../domain/types';
import { instanceLabel } from '../domain/series';
import { fmtClock, fmtDateTimeShort, humanKind } from './format';
import type { Trouble } from './trouble';
import { PEER_LABELS } from '../topology';
import { PROCESS_LABELS } from '../correlate/churn';
import { fmtSlope, fmtValue } from './units';

/** Resource attributes that name the emitter rather than the series; left out of titles. */
const NOISY_LABELS = new Set([
  'service.name',
  'service.namespace',
  'host',
  'deployment.environment',
  'deployment.environment.name',
  'telemetry.sdk.name',
  'telemetry.sdk.language',
  'telemetry.sdk.version',
  // The instance, version, host, pod, node and image (the process), and the workload it belongs to.
  ...PROCESS_LABELS,
  'k8s.cluster.name',
  'k8s.namespace.name',
  'k8s.deployment.name',
  'k8s.statefulset.name',
  'k8s.daemonset.name',
  'k8s.container.name',
  'container.name',
  'container.image.name',
]);

/** `http.client.open_connections{server.address=A}`: the metric plus up to two telling labels. */
export function seriesTitle(ref: SeriesRef): string {
  // The other end of a call or connection says most: named first.
  const peerFirst = (k: string): number => ((PEER_LABELS as readonly string[]).includes(k) ? 0 : 1);
  const extra = Object.keys(ref.labels)
    .filter((k) => !NOISY_LABELS.has(k))
    .sort((a, b) => peerFirst(a) - peerFirst(b) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, 2)
    .map((k) => `${k}=${ref.labels[k] ?? ''}`);
  return extra.length === 0 ? ref.metric : `${ref.metric}{${extra.join(',')}}`;
}

/** The instance a series belongs to, when it names one (see `instanceLabel` in domain/series.ts). */
export function instanceOf(ref: SeriesRef): string | undefined {
  return instanceLabel(ref.labels);
}

/** Share of its limit at which a series counts as at the limit rather than heading for it. @default 0.9 */
const AT_LIMIT_SHARE = 0.9;

/** Projected exhaustion further out than this is not worth a mention, ms. @default 7 days */
const EXHAUSTION_SHOWN_MS = 7 * 86_400_000;

/** A slope in words, per minute; `flat` when it would move the level by less than 0.1 % an hour. */
function slopeText(perHour: number, level: number, unit: string | undefined): string {
  return Math.abs(perHour) < 1e-3 * Math.max(Math.abs(level), 1) ? 'flat' : fmtSlope(perHour, unit);
}

/**
 * What a breakpoint changed, without the series: `level up 461 → 1,013`, `trend flat → +88.5/min
 * at 25.1`, `level down 454 MiB → 336 MiB`, with `; at 99% of its limit 1,024` or `; reaches limit
 * 1,024 ≈2026-03-13 06:03Z` when a limit is known (and reached within a week).
 */
export function describeShift(b: Breakpoint): string {
  const u = b.series.unit;
  const slopes = `${slopeText(b.before.slope, b.before.level, u)} → ${slopeText(b.after.slope, b.after.level, u)}`;
  let what: string;
  if (b.kind === 'slope_change') what = `trend ${slopes} at ${fmtValue(b.after.level, u)}`;
  else if (b.kind === 'variance_change') what = `variance change at ${fmtValue(b.after.level, u)}`;
  else what = `${humanKind(b.kind)} ${fmtValue(b.before.level, u)} → ${fmtValue(b.after.level, u)}`;
  if (b.limit !== undefined && b.limit > 0 && b.after.level >= AT_LIMIT_SHARE * b.limit) what += `; at ${Math.round((100 * b.after.level) / b.limit)}% of its limit ${fmtValue(b.limit, u)}`;
  else if (b.exhaustionAt !== undefined && b.limit !== undefined && b.exhaustionAt - b.time <= EXHAUSTION_SHOWN_MS) what += `; reaches limit ${fmtValue(b.limit, u)} ≈${fmtDateTimeShort(b.exhaustionAt)}`;
  return what;
}

/** `process.open_file_descriptor.count on A [a-1]: level up 120 → 900; …` (the instance named when one series, `suffix` e.g. ` (3 series)` otherwise). */
export function describeBreakpoint(b: Breakpoint, suffix = ''): string {
  const inst = instanceOf(b.series);
  const who = suffix === '' && inst !== undefined ? ` [${inst}]` : suffix;
  return `${seriesTitle(b.series)} on ${b.series.service}${who}: ${describeShift(b)}`;
}

/** `burst of http.client.request.duration on checkoutservice (to paymentservice): 0.0037 → 0.75 (×205), evidence for suspect #1` (`climb of …` for a steady climb) */
export function describeBurst(b: Burst, rank: number): string {
  const inst = instanceOf(b.series);
  const ratio = Math.abs(b.baseline) > 1e-12 ? ` (×${fmtValue(b.value / b.baseline, undefined)})` : '';
  const whose = b.role === 'callers' ? `calls of a caller of suspect #${rank}` : `suspect #${rank}'s own ${b.signal}`;
  if (b.role === 'callees') return `${seriesTitle(b.series)} of ${b.series.service}${inst === undefined ? '' : ` [${inst}]`} all but stopped: ${fmtValue(b.baseline, b.series.unit)} → ${fmtValue(b.value, b.series.unit)} — suspect #${rank} stopped calling it`;
  return `${b.climb === true ? 'climb' : 'burst'} of ${seriesTitle(b.series)} on ${b.series.service}${inst === undefined ? '' : ` [${inst}]`}: ${fmtValue(b.baseline, b.series.unit)} → ${fmtValue(b.value, b.series.unit)}${ratio} — ${whose}`;
}

/** Where the paged series was before the onset and around the page: `≈120 before the onset, ≈1,020 around the page`. */
export function troubleRange(t: Trouble): string | undefined {
  const u = t.top.series.unit;
  if (t.baseline === undefined) return undefined;
  return `≈${fmtValue(t.baseline, u)} before the onset${t.peak === undefined ? '' : `, ≈${fmtValue(t.peak, u)} around the page`}`;
}

/** The recovery of the trouble that paged: `process.open_file_descriptor.count on A back in its normal range (≈120 before the onset, ≈1,020 around the page)`. */
export function describeRecovery(t: Trouble, service: string): string {
  const r = troubleRange(t);
  const range = r === undefined ? '' : ` (${r})`;
  return `${seriesTitle(t.top.series)} on ${service} back in its normal range${range}`;
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
