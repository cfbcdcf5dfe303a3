import type { Sample, SeriesRef } from '../../domain/types';
import { makeSeries } from '../../domain/series';
import { newLabels } from '../../domain/text';
import type { EpicenterError } from '../../errors';
import { timeProblem, valueProblem } from '../checks';
import { bad, type Origin } from '../origin';
import { cumulativeIncrease, seriesRoot, type ExportClock, type MetricRoot, type RateState } from '../rate';
import { addSeries, findSeries } from '../series-cache';
import { nanosToMs } from '../time';
import { addAttributes } from './attributes';

/**
 * Hand-written checks of OTLP data points (zod per point is the decoding bottleneck), each
 * failure naming the exact field, e.g. `…metrics[2].gauge.dataPoints[5].asDouble`. Field paths
 * are built only when something fails: points arrive at hundreds of thousands per second.
 */

/** Where the points of one resource come from and where decoded samples and errors go. */
export interface PointSink {
  readonly origin: Origin;
  /** Line of the request in its file, when it came from a file. */
  readonly line: number | undefined;
  readonly resourceLabels: Readonly<Record<string, string>>;
  /** Identity of the resource attributes: the first level of the series cache. */
  readonly resourceKey: string;
  readonly rates: RateState;
  /** The resource's export times, to read a counter's first point (rate.ts). */
  readonly clock: ExportClock;
  readonly out: Sample[];
  readonly errors: EpicenterError[];
  /** Counts cumulative readings kept as a rate's base (see `Decoded.held`). */
  readonly held: { n: number };
}

/** Time (epoch ms) and counter start (epoch ms, when set) of a data point. */
export interface PointTime {
  t: number;
  start: number | undefined;
}

/** OTLP DataPointFlags.FLAG_NO_RECORDED_VALUE: the point marks a gap, not a sample. */
const NO_RECORDED_VALUE = 1;
const INT_RE = /^-?\d+$/;
const UINT_RE = /^\d+$/;
const NANOS = 'must be integer nanoseconds (decimal string or number)';

/** Reports a BAD_INPUT at `<path>[i]<suffix>` and returns undefined. */
export function fail(sink: PointSink, path: string, i: number, suffix: string, message: string): undefined {
  sink.errors.push(bad(sink.origin, sink.line, `${path}[${i}]${suffix}`, message));
  return undefined;
}

function rejected(sink: PointSink, path: string, i: number, suffix: string, message: string): false {
  fail(sink, path, i, suffix, message);
  return false;
}

/**
 * Time and start time of point `path[i]`, written into `into` (reused across points to spare
 * the garbage collector). False (after reporting) when bad, or silently when flagged empty.
 */
export function pointTime(p: Record<string, unknown>, path: string, i: number, sink: PointSink, into: PointTime): boolean {
  const flags = p['flags'];
  if (typeof flags === 'number' && (flags & NO_RECORDED_VALUE) !== 0) return false;
  const t = timeMemo.ms(p['timeUnixNano']);
  if (t === undefined) return rejected(sink, path, i, '.timeUnixNano', NANOS);
  const tp = timeProblem(t, sink.origin.now);
  if (tp !== undefined) return rejected(sink, path, i, '.timeUnixNano', tp);
  into.t = t;
  into.start = undefined;
  const rawStart = p['startTimeUnixNano'];
  if (rawStart === undefined) return true;
  const start = startMemo.ms(rawStart);
  if (start === undefined) return rejected(sink, path, i, '.startTimeUnixNano', NANOS);
  if (start !== 0) into.start = start; // 0 means "not set" in OTLP
  return true;
}

/**
 * nanosToMs remembering its last string: the points of one request mostly share their time and
 * start time, and comparing 19 characters is cheaper than converting them.
 */
class NanosMemo {
  private last = '';
  private lastMs: number | undefined;
  ms(x: unknown): number | undefined {
    if (typeof x !== 'string') return nanosToMs(x);
    if (x === this.last) return this.lastMs;
    this.last = x;
    return (this.lastMs = nanosToMs(x));
  }
}
const timeMemo = new NanosMemo();
const startMemo = new NanosMemo();

/** The number of a NumberDataPoint (asDouble or asInt), or undefined after reporting. */
export function numberValue(p: Record<string, unknown>, path: string, i: number, sink: PointSink): number | undefined {
  const d = p['asDouble'];
  if (d !== undefined) return checked(sink, path, i, '.asDouble', typeof d === 'number' ? d : toDouble(d));
  const n = p['asInt'];
  if (n !== undefined) {
    const v = typeof n === 'number' ? (Number.isInteger(n) ? n : undefined) : typeof n === 'string' && INT_RE.test(n) ? Number(n) : undefined;
    if (v === undefined) return fail(sink, path, i, '.asInt', `must be an integer (decimal string or number), got ${JSON.stringify(n)}`);
    return checked(sink, path, i, '.asInt', v);
  }
  return fail(sink, path, i, '', 'data point has neither asDouble nor asInt');
}

/** A histogram/summary `count` (uint64, string or number), or undefined after reporting. */
export function countValue(p: Record<string, unknown>, path: string, i: number, sink: PointSink): number | undefined {
  const c = p['count'];
  if (c === undefined) return 0; // proto3 JSON omits zero
  const v = typeof c === 'string' && UINT_RE.test(c) ? Number(c) : typeof c === 'number' && Number.isInteger(c) && c >= 0 ? c : undefined;
  if (v === undefined) return fail(sink, path, i, '.count', `must be a non-negative integer, got ${JSON.stringify(c)}`);
  return checked(sink, path, i, '.count', v);
}

/** A histogram/summary `sum` when present (null when absent), or undefined after reporting. */
export function sumValue(p: Record<string, unknown>, path: string, i: number, sink: PointSink): number | null | undefined {
  const s = p['sum'];
  return s === undefined ? null : checked(sink, path, i, '.sum', toDouble(s));
}

/** A double field (number or protobuf-JSON string) at `path[i]<suffix>`, or undefined after reporting. */
export function numberOrFail(x: unknown, sink: PointSink, path: string, i: number, suffix: string): number | undefined {
  return checked(sink, path, i, suffix, toDouble(x));
}

/** Protobuf JSON doubles may be numbers or strings ("1.5", "NaN", "Infinity"). */
function toDouble(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && x.trim() !== '') return Number(x);
  return Number.NaN;
}

function checked(sink: PointSink, path: string, i: number, suffix: string, v: number): number | undefined {
  const problem = valueProblem(v);
  return problem === undefined ? v : fail(sink, path, i, suffix, problem);
}

/** Per-second rate of a delta count over [start, t]; reports a missing or non-increasing start. */
export function deltaRate(v: number, pt: PointTime, path: string, i: number, sink: PointSink): number | undefined {
  if (pt.start === undefined) return fail(sink, path, i, '.startTimeUnixNano', 'a delta point needs a start time to make a rate');
  if (pt.t <= pt.start) return fail(sink, path, i, '.startTimeUnixNano', 'start time is not before the point time');
  return (v * 1000) / (pt.t - pt.start);
}

/** The series one metric name and unit produce in the current resource; resolve once per metric. */
export type MetricSeries = MetricRoot;

export function metricSeries(sink: PointSink, metric: string, unit: string | undefined): MetricSeries {
  return seriesRoot(sink.rates, sink.resourceKey, metric, unit);
}

/**
 * The series of point `path[i]`: resource attributes merged with the point's attributes (the
 * point wins on a clash). Undefined, after reporting, when an attribute is malformed.
 */
export function seriesOf(sink: PointSink, ms: MetricSeries, p: Record<string, unknown>, path: string, i: number): SeriesRef | undefined {
  const attrs = p['attributes'];
  const found = findSeries(ms.root, attrs);
  if (typeof found === 'string') return fail(sink, path, i, `.attributes${found}`, 'attribute must be {key: non-empty string, value: AnyValue}');
  if (found !== undefined) return found;
  const labels = Object.assign(newLabels(), sink.resourceLabels);
  addAttributes(attrs, labels);
  ms.counter.seriesCount++;
  const ref = makeSeries(ms.metric, labels, undefined, ms.unit, ms.internTail);
  addSeries(ms.root, attrs, ref, ms.internName);
  return ref;
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
 * Emits `<name>.count` (per second) and `<name>.mean` for histogram or summary point `path[i]`.
 * A cumulative one is differenced against its previous point (the mean is over that interval).
 */
export function emitDistribution(sink: PointSink, ds: DistributionSeries, p: Record<string, unknown>, path: string, i: number, pt: PointTime, cumulative: boolean): void {
  const count = countValue(p, path, i, sink);
  const sum = count === undefined ? undefined : sumValue(p, path, i, sink);
  if (count === undefined || sum === undefined) return;
  const countSeries = seriesOf(sink, ds.count, p, path, i);
  if (countSeries === undefined) return;
  const mean = (v: number) => {
    const s = seriesOf(sink, ds.mean, p, path, i);
    if (s !== undefined) sink.out.push({ series: s, t: pt.t, v });
  };
  if (!cumulative) {
    const r = deltaRate(count, pt, path, i, sink);
    if (r !== undefined) sink.out.push({ series: countSeries, t: pt.t, v: r });
    if (sum !== null && count > 0) mean(sum / count);
    return;
  }
  const inc = cumulativeIncrease(sink.rates, countSeries, pt.t, count, pt.start, sum ?? undefined, sink.clock);
  if (inc === undefined) {
    sink.held.n++;
    return;
  }
  sink.out.push({ series: countSeries, t: pt.t, v: (inc.increase * 1000) / inc.ms });
  if (inc.auxIncrease !== undefined && inc.increase > 0) mean(inc.auxIncrease / inc.increase);
}
