import type { Labels, SeriesRef } from './types';

/**
 * Canonical series id: `metric{k1="v1",k2="v2"}` with keys sorted, so the same series decoded
 * from any source, in any attribute order, gets the same id (it is the Kafka key and the ClickHouse key).
 */
export function seriesId(metric: string, labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return metric;
  const parts = keys.map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${metric}{${parts.join(',')}}`;
}

export function makeSeries(metric: string, labels: Labels, service?: string, unit?: string): SeriesRef {
  const svc = service ?? labels['service.name'] ?? 'unknown';
  const ref: SeriesRef = { id: seriesId(metric, labels), service: svc, metric, labels };
  return unit === undefined ? ref : { ...ref, unit };
}
