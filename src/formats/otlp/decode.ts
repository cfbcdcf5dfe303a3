import type { Sample } from '../../domain/types';
import type { Decoded, EpicenterError } from '../../errors';
import { inLineOrder, parseJsonDocs } from '../json';
import { bad, type Origin } from '../origin';
import { createRateState, cumulativeRate, type RateState } from '../rate';
import { zodError } from '../zod';
import { addAttributes, attributeKey } from './attributes';
import {
  countValue, deltaRate, distributionSeries, emitDistribution, fail, metricSeries, numberValue, pointBase, seriesOf, sumValue, type PointSink,
} from './points';
import { metricSchema, requestSchema, resourceMetricsSchema, scopeMetricsSchema, type Metric } from './schema';

/**
 * OTLP/JSON ExportMetricsServiceRequest: NDJSON (one request per line) or one document.
 * Without `rates`, counters are differenced within this text only.
 */
export function decodeOtlpMetrics(text: string, origin: Origin, rates: RateState = createRateState()): Decoded<Sample> {
  const { docs, errors } = parseJsonDocs(text, origin);
  const values: Sample[] = [];
  for (const d of docs) decodeInto(d.doc, origin, d.line, rates, values, errors);
  return { values, errors: inLineOrder(errors) };
}

/** One parsed ExportMetricsServiceRequest (e.g. one Kafka message). */
export function decodeOtlpRequest(doc: unknown, origin: Origin, rates: RateState = createRateState()): Decoded<Sample> {
  const values: Sample[] = [];
  const errors: EpicenterError[] = [];
  decodeInto(doc, origin, origin.line, rates, values, errors);
  return { values, errors };
}

function decodeInto(doc: unknown, origin: Origin, line: number | undefined, rates: RateState, out: Sample[], errors: EpicenterError[]): void {
  const req = requestSchema.safeParse(doc);
  if (!req.success) {
    errors.push(zodError(req.error, origin, line, ''));
    return;
  }
  const rms = req.data.resourceMetrics ?? [];
  for (let r = 0; r < rms.length; r++) {
    const rPath = `resourceMetrics[${r}]`;
    const rm = resourceMetricsSchema.safeParse(rms[r]);
    if (!rm.success) {
      errors.push(zodError(rm.error, origin, line, rPath));
      continue;
    }
    const resourceLabels: Record<string, string> = {};
    const badAttr = addAttributes(rm.data.resource?.attributes, resourceLabels);
    if (badAttr !== undefined) {
      errors.push(bad(origin, line, `${rPath}.resource.attributes${badAttr}`, 'attribute must be {key: non-empty string, value: AnyValue}'));
      continue;
    }
    const resourceKey = attributeKey(rm.data.resource?.attributes) as string;
    const sink: PointSink = { origin, line, resourceLabels, resourceKey, rates, out, errors };
    const sms = rm.data.scopeMetrics ?? [];
    for (let s = 0; s < sms.length; s++) {
      const sPath = `${rPath}.scopeMetrics[${s}]`;
      const sm = scopeMetricsSchema.safeParse(sms[s]);
      if (!sm.success) {
        errors.push(zodError(sm.error, origin, line, sPath));
        continue;
      }
      const ms = sm.data.metrics ?? [];
      for (let m = 0; m < ms.length; m++) {
        const mPath = `${sPath}.metrics[${m}]`;
        const metric = metricSchema.safeParse(ms[m]);
        if (!metric.success) errors.push(zodError(metric.error, origin, line, mPath));
        else decodeMetric(metric.data, mPath, sink);
      }
    }
  }
}

function decodeMetric(m: Metric, path: string, sink: PointSink): void {
  const unit = m.unit === undefined || m.unit === '' ? undefined : m.unit;
  const rateUnit = `${unit ?? '1'}/s`;
  if (m.gauge !== undefined) {
    const series = metricSeries(sink, m.name, unit);
    eachPoint(m.gauge.dataPoints, `${path}.gauge.dataPoints`, sink, (p, pp, base) => {
      const v = numberValue(p, pp, sink);
      if (v !== undefined) sink.out.push({ series: seriesOf(sink, series, base), t: base.t, v });
    });
  } else if (m.sum !== undefined) {
    const { isMonotonic, aggregationTemporality: temp = 'unspecified' } = m.sum;
    if (isMonotonic === true && temp === 'unspecified') {
      fail(sink, `${path}.sum.aggregationTemporality`, 'a monotonic sum needs aggregationTemporality 1 (delta) or 2 (cumulative)');
      return;
    }
    // A monotonic sum becomes a rate, so its unit gains "/s".
    const series = metricSeries(sink, m.name, isMonotonic === true ? rateUnit : unit);
    eachPoint(m.sum.dataPoints, `${path}.sum.dataPoints`, sink, (p, pp, base) => {
      const v = numberValue(p, pp, sink);
      if (v === undefined) return;
      const ref = seriesOf(sink, series, base);
      const r = isMonotonic !== true ? v : temp === 'delta' ? deltaRate(v, base, pp, sink) : cumulativeRate(sink.rates, ref.id, base.t, v, base.start);
      if (r !== undefined) sink.out.push({ series: ref, t: base.t, v: r });
    });
  } else {
    const dist = m.histogram ?? m.exponentialHistogram;
    const kind = m.histogram !== undefined ? 'histogram' : m.exponentialHistogram !== undefined ? 'exponentialHistogram' : 'summary';
    const temp = dist === undefined ? 'cumulative' : (dist.aggregationTemporality ?? 'unspecified');
    const points = dist === undefined ? m.summary?.dataPoints : dist.dataPoints;
    if (dist === undefined && m.summary === undefined) {
      fail(sink, path, 'metric has no gauge, sum, histogram, exponentialHistogram or summary');
      return;
    }
    if (temp === 'unspecified') {
      fail(sink, `${path}.${kind}.aggregationTemporality`, 'must be 1 (delta) or 2 (cumulative)');
      return;
    }
    const ds = distributionSeries(sink, m.name, unit);
    eachPoint(points, `${path}.${kind}.dataPoints`, sink, (p, pp, base) => {
      const count = countValue(p, pp, sink);
      const sum = count === undefined ? undefined : sumValue(p, pp, sink);
      if (count !== undefined && sum !== undefined) emitDistribution(sink, ds, base, count, sum, temp === 'cumulative', pp);
    });
  }
}

function eachPoint(
  points: readonly unknown[] | undefined, path: string, sink: PointSink,
  fn: (p: Record<string, unknown>, pointPath: string, base: NonNullable<ReturnType<typeof pointBase>>) => void,
): void {
  if (points === undefined) return;
  for (let i = 0; i < points.length; i++) {
    const pp = `${path}[${i}]`;
    const p = points[i];
    const base = pointBase(p, pp, sink);
    if (base !== undefined) fn(p as Record<string, unknown>, pp, base);
  }
}
