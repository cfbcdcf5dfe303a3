/**
 * OTLP/JSON requests shaped like the Collector's Kafka exporter output after its batch processor:
 * one resource (service + instance) per request, `metrics` gauges (with a `server.address`
 * attribute, as connection counts carry), `times` points each. Built as strings (the bench
 * measures epicenter, not the generator).
 */
import { REQUEST_TYPE } from '../../src/formats/otlp/proto';

export interface GenSpec {
  /** Distinct resources (service × instance). */
  readonly resources: number;
  /** Gauge series per resource. */
  readonly metrics: number;
  /** Points per series per request. */
  readonly times: number;
  /** Sampling step, ms. */
  readonly stepMs: number;
  /** Gauges (the default), or monotonic cumulative sums: counters, which also keep rate state. */
  readonly kind?: 'gauge' | 'sum';
}

/** Request `k` (round-robin over resources; each round advances time by `times` steps). */
export function request(spec: GenSpec, k: number, t0: number): { key: string; value: string; points: number } {
  const r = k % spec.resources;
  const round = Math.floor(k / spec.resources);
  const service = `svc-${Math.floor(r / 5)}`;
  const instance = `${service}-i${r % 5}`;
  const metrics: string[] = [];
  for (let m = 0; m < spec.metrics; m++) {
    const pts: string[] = [];
    for (let j = 0; j < spec.times; j++) {
      const step = round * spec.times + j;
      const t = t0 + step * spec.stepMs;
      // A level with noise and, for a few series, a shift: detectors do real work.
      const level = 100 + (m % 17) + ((step * 7 + m) % 11) + (m % 50 === 0 && step > 30 ? 80 : 0);
      // a counter's total: its rate is about the gauge's level
      const v = spec.kind === 'sum' ? step * 100 + level : level;
      pts.push(`{"timeUnixNano":"${t}000000","asDouble":${v},"attributes":[{"key":"server.address","value":{"stringValue":"peer-${m % 20}"}}]}`);
    }
    const data = spec.kind === 'sum' ? `"sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[${pts.join(',')}]}` : `"gauge":{"dataPoints":[${pts.join(',')}]}`;
    metrics.push(`{"name":"bench.metric_${m}","unit":"{connection}",${data}}`);
  }
  const value =
    `{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"${service}"}},` +
    `{"key":"service.instance.id","value":{"stringValue":"${instance}"}},{"key":"service.version","value":{"stringValue":"1.4.2"}}]},` +
    `"scopeMetrics":[{"scope":{"name":"bench"},"metrics":[${metrics.join(',')}]}]}]}`;
  return { key: `${service}/${instance}`, value, points: spec.metrics * spec.times };
}

export type Encoding = 'otlp_proto' | 'otlp_json';

/** Request `k` as the Kafka exporter writes it with `encoding` (protobuf by protobufjs from the official definitions). */
export function encodedRequest(spec: GenSpec, k: number, t0: number, encoding: Encoding): { key: string; value: Buffer; points: number } {
  const r = request(spec, k, t0);
  const value = encoding === 'otlp_json' ? Buffer.from(r.value) : Buffer.from(REQUEST_TYPE.encode(REQUEST_TYPE.fromObject(JSON.parse(r.value) as object)).finish());
  return { key: r.key, value, points: r.points };
}
