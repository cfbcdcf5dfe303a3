/**
 * An OTLP/JSON request whose names a plain-object label map or a UTF-8 encoder would mangle:
 * `__proto__` and `constructor` attributes on the resource and on the point, and lone UTF-16
 * surrogates (written as JSON escapes, as a producer would) in the metric name, the unit, an
 * attribute key and an attribute value. Shared by the unit test (MemoryStore) and the
 * ClickHouse integration test, which must read back the same series.
 */
import { kv } from './otlp';

export const LONE_HIGH = '\ud800';
export const LONE_LOW = '\udc00';

export function hostileOtlp(service: string, t0: number, n: number): string {
  const points = Array.from({ length: n }, (_, i) => ({
    timeUnixNano: String(BigInt(t0 + i * 60_000) * 1_000_000n),
    asDouble: 100 + i,
    attributes: [kv('__proto__', 'point-proto'), kv('constructor', 'point-ctor'), kv(`peer${LONE_LOW}`, `db${LONE_HIGH}-1`)],
  }));
  // JSON.stringify writes lone surrogates as \ud800 escapes: what arrives over the wire.
  return JSON.stringify({
    resourceMetrics: [{
      resource: { attributes: [kv('service.name', service), kv('__proto__', 'resource-proto'), kv('team', `a${LONE_HIGH}`)] },
      scopeMetrics: [{ scope: { name: 'test' }, metrics: [
        { name: `fds${LONE_HIGH}x`, unit: `{file${LONE_LOW}}`, gauge: { dataPoints: points } },
        // No point attributes: the resource's __proto__ is the series' own.
        { name: 'threads', gauge: { dataPoints: points.map((p) => ({ ...p, attributes: [] })) } },
      ] }],
    }],
  });
}

export interface ExpectedSeries {
  metric: string;
  unit: string | undefined;
  /** Sorted entries. */
  labels: [string, string][];
}

/** The two series that request must produce wherever it is stored, sorted by metric. */
export function expectedSeries(service: string): ExpectedSeries[] {
  return [
    {
      metric: 'fds\ufffdx',
      unit: '{file\ufffd}',
      labels: [['__proto__', 'point-proto'], ['constructor', 'point-ctor'], ['peer\ufffd', 'db\ufffd-1'], ['service.name', service], ['team', 'a\ufffd']],
    },
    { metric: 'threads', unit: undefined, labels: [['__proto__', 'resource-proto'], ['service.name', service], ['team', 'a\ufffd']] },
  ];
}

/** A stored series in the shape of ExpectedSeries, plus its id and whether its labels have a prototype. */
export function seenSeries(s: { metric: string; unit?: string; labels: object }): ExpectedSeries & { proto: unknown } {
  const labels = Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) as [string, string][];
  return { metric: s.metric, unit: s.unit, labels, proto: Object.getPrototypeOf(s.labels) };
}
