import type { Sample, SeriesRef } from '../../domain/types';
import { makeSeries } from '../../domain/series';
import type { EpicenterError } from '../../errors';
import { timeProblem, valueProblem } from '../checks';
import { isObject } from '../json';
import { bad, type Origin } from '../origin';
import { cachedSeries, cumulativeIncrease, seriesTable, type RateState, type SeriesTable } from '../rate';
import { nanosToMs } from '../time';
import { addAttributes, attributeKey } from './attributes';

/**
 * Hand-written checks of OTLP data points (zod per point is the decoding bottleneck), each
 * failure naming the exact field, e.g. `…metrics[2].gauge.dataPoints[5].asDouble`.
 */

/** Where the points of one metric come from and where decoded samples and errors go. */
export interface PointSink {
  readonly origin: Origin;
  /** Line of the request in its file, when it came from a file. */
  readonly line: number | undefined;
  readonly resourceLabels: Readonly<Record<string, string>>;
  /** attributeKey() of the resource attributes: part of the series cache key. */
  readonly resourceKey: string;
  readonly rates: RateState;
  readonly out: Sample[];
  readonly errors: EpicenterError[];
}

/** What every data point carries: time (ms), counter start (ms) when set, and its (checked) attributes. */
export interface PointBase {
  readonly t: number;
  readonly start: number | undefined;
  readonly attrs: unknown;
  /** attributeKey() of `attrs`. */
  readonly attrKey: string;
}

/** OTLP DataPointFlags.FLAG_NO_RECORDED_VALUE: the point marks a gap, not a sample. */
const NO_RECORDED_VALUE = 1;
const INT_RE = /^-?\d+$/;
const UINT_RE = /^\d+$/;

/** Checks time, start time and attributes of point `path`; reports and returns undefined when bad or flagged empty. */
export function pointBase(p: unknown, path: string, sink: PointSink): PointBase | undefined {
  if (!isObject(p)) return fail(sink, path, 'data point is not an object');
  const flags = p['flags'];
  if (typeof flags === 'number' && (flags & NO_RECORDED_VALUE) !== 0) return undefined;
  const t = nanosToMs(p['timeUnixNano']);
  if (t === undefined) return fail(sink, `${path}.timeUnixNano`, 'must be integer nanoseconds (decimal string or number)');
  const tp = timeProblem(t, sink.origin.now);
  if (tp !== undefined) return fail(sink, `${path}.timeUnixNano`, tp);
  let start: number | undefined;
  const rawStart = p['startTimeUnixNano'];
  if (rawStart !== undefined) {
    start = nanosToMs(rawStart);
    if (start === undefined) return fail(sink, `${path}.startTimeUnixNano`, 'must be integer nanoseconds (decimal string or number)');
    if (start === 0) start = undefined; // 0 means "not set" in OTLP
  }
  const attrs = p['attributes'];
  const attrKey = attributeKey(attrs);
  if (typeof attrKey !== 'string') return fail(sink, `${path}.attributes${attrKey.bad}`, 'attribute must be {key: non-empty string, value: AnyValue}');
  return { t, start, attrs, attrKey };
}

/** The number of a NumberDataPoint (asDouble or asInt), or undefined after reporting. */
export function numberValue(p: Record<string, unknown>, path: string, sink: PointSink): number | undefined {
  const d = p['asDouble'];
  if (d !== undefined) return checked(sink, `${path}.asDouble`, toDouble(d));
  const i = p['asInt'];
  if (i !== undefined) {
    const v = typeof i === 'string' && INT_RE.test(i) ? Number(i) : typeof i === 'number' && Number.isInteger(i) ? i : undefined;
    if (v === undefined) return fail(sink, `${path}.asInt`, `must be an integer (decimal string or number), got ${JSON.stringify(i)}`);
    return checked(sink, `${path}.asInt`, v);
  }
  return fail(sink, path, 'data point has neither asDouble nor asInt');
}

/** A histogram/summary `count` (uint64, string or number), or undefined after reporting. */
export function countValue(p: Record<string, unknown>, path: string, sink: PointSink): number | undefined {
  const c = p['count'];
  if (c === undefined) return 0; // proto3 omits zero
  const v = typeof c === 'string' && UINT_RE.test(c) ? Number(c) : typeof c === 'number' && Number.isInteger(c) && c >= 0 ? c : undefined;
  if (v === undefined) return fail(sink, `${path}.count`, `must be a non-negative integer, got ${JSON.stringify(c)}`);
  return checked(sink, `${path}.count`, v);
}

/** A histogram/summary `sum` when present (null when absent), or undefined after reporting. */
export function sumValue(p: Record<string, unknown>, path: string, sink: PointSink): number | null | undefined {
  const s = p['sum'];
  if (s === undefined) return null;
  return checked(sink, `${path}.sum`, toDouble(s));
}

/** Protobuf JSON doubles may be numbers or strings ("1.5", "NaN", "Infinity"). */
function toDouble(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && x.trim() !== '') return Number(x);
  return Number.NaN;
}

function checked(sink: PointSink, field: string, v: number): number | undefined {
  const problem = valueProblem(v);
  return problem === undefined ? v : fail(sink, field, problem);
}

export function fail(sink: PointSink, field: string, message: string): undefined {
  sink.errors.push(bad(sink.origin, sink.line, field, message));
  return undefined;
}

/** The series one metric name and unit produce in the current resource; look it up once per metric. */
export interface MetricSeries {
  readonly metric: string;
  readonly unit: string | undefined;
  readonly table: SeriesTable;
}

export function metricSeries(sink: PointSink, metric: string, unit: string | undefined): MetricSeries {
  return { metric, unit, table: seriesTable(sink.rates, sink.resourceKey, `${metric}\u0000${unit ?? ''}`) };
}

/** The series of this point: resource attributes merged with point attributes (point wins). */
export function seriesOf(sink: PointSink, ms: MetricSeries, base: PointBase): SeriesRef {
  return cachedSeries(sink.rates, ms.table, base.attrKey, () => {
    const labels: Record<string, string> = { ...sink.resourceLabels };
    addAttributes(base.attrs, labels);
    return makeSeries(ms.metric, labels, undefined, ms.unit);
  });
}

/** Per-second rate of a delta count over [start, t]; reports a missing or non-increasing start. */
export function deltaRate(v: number, base: PointBase, path: string, sink: PointSink): number | undefined {
  if (base.start === undefined) return fail(sink, `${path}.startTimeUnixNano`, 'a delta point needs a start time to make a rate');
  if (base.t <= base.start) return fail(sink, `${path}.startTimeUnixNano`, 'start time is not before the point time');
  return (v * 1000) / (base.t - base.start);
}

/** The two series a histogram or summary metric produces. */
export interface DistributionSeries {
  readonly count: MetricSeries;
  readonly mean: MetricSeries;
}

export function distributionSeries(sink: PointSink, name: string, unit: string | undefined): DistributionSeries {
  return { count: metricSeries(sink, `${name}.count`, '1/s'), mean: metricSeries(sink, `${name}.mean`, unit) };
}

/**
 * Emits `<name>.count` (per second) and `<name>.mean` for a histogram or summary point. A
 * cumulative one is differenced against its previous point (the mean is over that interval).
 */
export function emitDistribution(
  sink: PointSink, ds: DistributionSeries, base: PointBase, count: number, sum: number | null, cumulative: boolean, path: string,
): void {
  const countSeries = seriesOf(sink, ds.count, base);
  if (!cumulative) {
    const r = deltaRate(count, base, path, sink);
    if (r !== undefined) sink.out.push({ series: countSeries, t: base.t, v: r });
    if (sum !== null && count > 0) sink.out.push({ series: seriesOf(sink, ds.mean, base), t: base.t, v: sum / count });
    return;
  }
  const inc = cumulativeIncrease(sink.rates, countSeries.id, base.t, count, base.start, sum ?? undefined);
  if (inc === undefined) return;
  sink.out.push({ series: countSeries, t: base.t, v: (inc.increase * 1000) / inc.ms });
  if (inc.auxIncrease !== undefined && inc.increase > 0) sink.out.push({ series: seriesOf(sink, ds.mean, base), t: base.t, v: inc.auxIncrease / inc.increase });
}
