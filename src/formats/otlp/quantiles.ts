import { isObject } from '../json';
import { fail, metricSeries, numberOrFail, seriesOf, type MetricSeries, type PointSink, type PointTime } from './points';

/**
 * Summary quantiles (latency percentiles as Prometheus summaries and the Collector's summary
 * metrics carry them) become one series per quantile: `<name>.p<100·q>` — 0.5 → `.p50`,
 * 0.99 → `.p99`, 0.999 → `.p99.9`, 0 → `.p0` (the minimum), 1 → `.p100` (the maximum) — in the
 * metric's unit, with the value as reported (summaries compute quantiles over their own window,
 * so there is nothing to difference).
 */

/** The quantile series of one summary metric in the current resource, made on first use. */
export class QuantileSeries {
  private readonly byQ = new Map<number, MetricSeries>();
  constructor(
    private readonly sink: PointSink,
    private readonly name: string,
    private readonly unit: string | undefined,
  ) {}

  of(q: number): MetricSeries {
    let s = this.byQ.get(q);
    if (s === undefined) {
      s = metricSeries(this.sink, `${this.name}.${quantileName(q)}`, this.unit);
      this.byQ.set(q, s);
    }
    return s;
  }
}

/** `p50`, `p99`, `p99.9`: the quantile as a percentile, at most 6 significant digits. */
export function quantileName(q: number): string {
  return `p${Number((q * 100).toPrecision(6))}`;
}

/** Emits one sample per entry of summary point `path[i]`'s `quantileValues`. */
export function emitQuantiles(sink: PointSink, qs: QuantileSeries, p: Record<string, unknown>, path: string, i: number, pt: PointTime): void {
  const list = p['quantileValues'];
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    fail(sink, path, i, '.quantileValues', 'must be an array of {quantile, value}');
    return;
  }
  for (let k = 0; k < list.length; k++) {
    const e: unknown = list[k];
    const at = `.quantileValues[${k}]`;
    if (!isObject(e)) {
      fail(sink, path, i, at, 'must be an object {quantile, value}');
      continue;
    }
    // proto3 leaves zeros out: an absent quantile is 0 (the minimum), an absent value 0.
    const q = e['quantile'] ?? 0;
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
      fail(sink, path, i, `${at}.quantile`, `must be a number from 0 to 1, got ${JSON.stringify(q)}`);
      continue;
    }
    const v = numberOrFail(e['value'] ?? 0, sink, path, i, `${at}.value`);
    if (v === undefined) continue;
    const ref = seriesOf(sink, qs.of(q), p, path, i);
    if (ref !== undefined) sink.out.push({ series: ref, t: pt.t, v });
  }
}
