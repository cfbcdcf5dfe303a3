/**
 * OTLP/JSON ExportMetricsServiceRequests as the Collector's Kafka exporter writes them (one
 * request per message), with exact accounting: every message carries a known set of distinct
 * (series, time) points, so "sent" is a number the tests can compare to what ClickHouse holds.
 */
export interface OtlpBatchSpec {
  service: string;
  instance: string;
  /** Metric names, one gauge series each (times connections by peer when peers are given). */
  metrics: readonly string[];
  /** Sample times, epoch ms. */
  times: readonly number[];
  value: (metric: string, t: number, i: number) => number;
}

const kv = (key: string, value: string): { key: string; value: { stringValue: string } } => ({ key, value: { stringValue: value } });

/** One request holding every metric × time of the spec; returns the JSON and its point count. */
export function otlpRequest(spec: OtlpBatchSpec): { json: string; points: number } {
  const metrics = spec.metrics.map((name) => ({
    name,
    unit: '1',
    gauge: { dataPoints: spec.times.map((t, i) => ({ timeUnixNano: `${t}000000`, asDouble: spec.value(name, t, i) })) },
  }));
  const json = JSON.stringify({
    resourceMetrics: [{ resource: { attributes: [kv('service.name', spec.service), kv('service.instance.id', spec.instance)] }, scopeMetrics: [{ scope: { name: 'epicenter-test' }, metrics }] }],
  });
  return { json, points: spec.metrics.length * spec.times.length };
}

/**
 * A steady stream: `messages` requests for `services` × `instances`, each with `pointsPerMessage`
 * distinct points, times stepping by `stepMs` from `start`. Keyed by service/instance like the
 * Collector's partition_metrics_by_resource_attributes.
 */
export function otlpStream(p: { services: number; instances: number; metricsPerInstance: number; timesPerMessage: number; messages: number; start: number; stepMs: number; prefix?: string }): { key: string; value: string; points: number }[] {
  const out: { key: string; value: string; points: number }[] = [];
  const metrics = Array.from({ length: p.metricsPerInstance }, (_, i) => `test.metric_${i}`);
  const senders = p.services * p.instances;
  for (let m = 0; m < p.messages; m++) {
    const s = m % senders;
    const round = Math.floor(m / senders);
    const service = `${p.prefix ?? 'svc'}-${Math.floor(s / p.instances)}`;
    const instance = `i-${s % p.instances}`;
    const times = Array.from({ length: p.timesPerMessage }, (_, k) => p.start + (round * p.timesPerMessage + k) * p.stepMs);
    const r = otlpRequest({ service, instance, metrics, times, value: (_name, t, i) => 100 + ((t / p.stepMs + i) % 7) });
    out.push({ key: `${service}/${instance}`, value: r.json, points: r.points });
  }
  return out;
}
