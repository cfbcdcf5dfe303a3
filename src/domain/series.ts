import { normalLabels, wellFormed } from './text';
import type { Labels, SeriesRef, SeriesSpan } from './types';

/**
 * Canonical series id: `metric{k1="v1",k2="v2"}` with keys sorted, so the same series decoded
 * from any source, in any attribute order, gets the same id (it is the Kafka key and the ClickHouse key).
 */
export function seriesId(metric: string, labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return metric;
  const parts = keys.map((k) => `${k}=${JSON.stringify(labels[k])}`);
  // One join builds one flat string: `metric{` + … + `}` would keep a tree of three concatenation
  // nodes (about 100 bytes) alive beside the text for as long as the series lives.
  parts[0] = `${metric}{${parts[0] as string}`;
  parts[parts.length - 1] += '}';
  return parts.join(',');
}

/**
 * The one place series identities are made (every decoder calls it): names, unit and labels are
 * normalised here (see ./text.ts), so every column stored and every id derive from the same
 * strings; labels come back prototype-free.
 */
export function makeSeries(metric: string, labels: Labels, service?: string, unit?: string): SeriesRef {
  const m = wellFormed(metric);
  const l = normalLabels(labels);
  const svc = wellFormed(service ?? l['service.name'] ?? 'unknown');
  // Two literals, not a spread of one: V8 gives a spread copy its own hidden class (about 250
  // bytes per series), a literal shares one per shape.
  const id = seriesId(m, l);
  return unit === undefined ? { id, service: svc, metric: m, labels: l } : { id, service: svc, metric: m, labels: l, unit: wellFormed(unit) };
}

/** Widen `span` to take in a sample at `t` (epoch ms). */
export function widenSpan(span: SeriesSpan, t: number): void {
  if (t < span.first) span.first = t;
  else if (t > span.last) span.last = t;
}
