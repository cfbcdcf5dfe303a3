import { newLabels } from '../../domain/text';
import type { Sample } from '../../domain/types';
import type { Decoded, EpicenterError } from '../../errors';
import { inLineOrder, isObject, parseJsonDocs } from '../json';
import { bad, type Origin } from '../origin';
import { createRateState, cumulativeRate, exportClock, type RateState } from '../rate';
import { zodError } from '../zod';
import { addAttributes, attributeKey } from './attributes';
import {
  deltaRate, distributionSeries, emitDistribution, fail, metricSeries, numberValue, pointTime, seriesOf, type PointSink, type PointTime,
} from './points';
import { QuantileSeries, emitQuantiles } from './quantiles';
import { metricSchema, requestSchema, resourceMetricsSchema, scopeMetricsSchema, type Metric } from './schema';

/**
 * OTLP/JSON ExportMetricsServiceRequest: NDJSON (one request per line) or one document.
 * Without `rates`, counters are differenced within this text only.
 */
export function decodeOtlpMetrics(text: string, origin: Origin, rates: RateState = createRateState()): Decoded<Sample> {
  const { docs, errors } = parseJsonDocs(text, origin);
  const values: Sample[] = [];
  const held = { n: 0 };
  for (const d of docs) decodeInto(d.doc, origin, d.line, rates, values, errors, held);
  return { values, errors: inLineOrder(errors), held: held.n };
}

/** One parsed ExportMetricsServiceRequest (e.g. one Kafka message). */
export function decodeOtlpRequest(doc: unknown, origin: Origin, rates: RateState = createRateState()): Decoded<Sample> {
  const values: Sample[] = [];
  const errors: EpicenterError[] = [];
  const held = { n: 0 };
  decodeInto(doc, origin, origin.line, rates, values, errors, held);
  return { values, errors, held: held.n };
}

function decodeInto(doc: unknown, origin: Origin, line: number | undefined, rates: RateState, out: Sample[], errors: EpicenterError[], held: { n: number }): void {
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
    const resourceLabels = newLabels();
    const badAttr = addAttributes(rm.data.resource?.attributes, resourceLabels);
    if (badAttr !== undefined) {
      errors.push(bad(origin, line, `${rPath}.resource.attributes${badAttr}`, 'attribute must be {key: non-empty string, value: AnyValue}'));
      continue;
    }
    const resourceKey = attributeKey(rm.data.resource?.attributes) as string;
    const sink: PointSink = { origin, line, resourceLabels, resourceKey, rates, clock: exportClock(rates, resourceKey), out, errors, held };
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
    eachPoint(m.gauge.dataPoints, `${path}.gauge.dataPoints`, sink, (p, pp, i, pt) => {
      const v = numberValue(p, pp, i, sink);
      if (v === undefined) return;
      const ref = seriesOf(sink, series, p, pp, i);
      if (ref !== undefined) sink.out.push({ series: ref, t: pt.t, v });
    });
  } else if (m.sum !== undefined) {
    const { isMonotonic, aggregationTemporality: temp = 'unspecified' } = m.sum;
    if (isMonotonic === true && temp === 'unspecified') {
      sink.errors.push(bad(sink.origin, sink.line, `${path}.sum.aggregationTemporality`, 'a monotonic sum needs aggregationTemporality 1 (delta) or 2 (cumulative)'));
      return;
    }
    // A monotonic sum becomes a rate, so its unit gains "/s".
    const series = metricSeries(sink, m.name, isMonotonic === true ? rateUnit : unit);
    eachPoint(m.sum.dataPoints, `${path}.sum.dataPoints`, sink, (p, pp, i, pt) => {
      const v = numberValue(p, pp, i, sink);
      if (v === undefined) return;
      const ref = seriesOf(sink, series, p, pp, i);
      if (ref === undefined) return;
      const cumulative = isMonotonic === true && temp !== 'delta';
      const r = isMonotonic !== true ? v : cumulative ? cumulativeRate(sink.rates, ref, pt.t, v, pt.start, sink.clock) : deltaRate(v, pt, pp, i, sink);
      if (r !== undefined) sink.out.push({ series: ref, t: pt.t, v: r });
      else if (cumulative) sink.held.n++;
    });
  } else {
    const dist = m.histogram ?? m.exponentialHistogram;
    const kind = m.histogram !== undefined ? 'histogram' : m.exponentialHistogram !== undefined ? 'exponentialHistogram' : 'summary';
    if (dist === undefined && m.summary === undefined) {
      sink.errors.push(bad(sink.origin, sink.line, path, 'metric has no gauge, sum, histogram, exponentialHistogram or summary'));
      return;
    }
    // Summaries carry no temporality: they are cumulative by definition.
    const temp = dist === undefined ? 'cumulative' : (dist.aggregationTemporality ?? 'unspecified');
    if (temp === 'unspecified') {
      sink.errors.push(bad(sink.origin, sink.line, `${path}.${kind}.aggregationTemporality`, 'must be 1 (delta) or 2 (cumulative)'));
      return;
    }
    const ds = distributionSeries(sink, m.name, unit);
    const qs = dist === undefined ? new QuantileSeries(sink, m.name, unit) : undefined;
    eachPoint(dist === undefined ? m.summary?.dataPoints : dist.dataPoints, `${path}.${kind}.dataPoints`, sink, (p, pp, i, pt) => {
      emitDistribution(sink, ds, p, pp, i, pt, temp === 'cumulative');
      if (qs !== undefined) emitQuantiles(sink, qs, p, pp, i, pt);
    });
  }
}

function eachPoint(
  points: readonly unknown[] | undefined, path: string, sink: PointSink,
  fn: (p: Record<string, unknown>, path: string, i: number, pt: PointTime) => void,
): void {
  if (points === undefined) return;
  const pt: PointTime = { t: 0, start: undefined };
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (!isObject(p)) fail(sink, path, i, '', 'data point is not an object');
    else if (pointTime(p, path, i, sink, pt)) fn(p, path, i, pt);
  }
}
