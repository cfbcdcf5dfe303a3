/**
 * What OTel instrumentations record of a ./world.ts world, as OTLP/JSON lines (one
 * ExportMetricsServiceRequest per pod and sample, as the Collector's Kafka exporter or a file
 * exporter writes them): a duration histogram per pod split by outcome, optionally the client
 * side per callee (`server.address`), process CPU and memory, and for the pool story the caller's
 * `http.client.open_connections` and the callee's open file descriptors.
 */
import type { Pod, Style, World } from './world';

const NAMES: Record<Style, { server: string; client: string; ms: boolean }> = {
  semconv: { server: 'http.server.request.duration', client: 'http.client.request.duration', ms: false },
  old: { server: 'http.server.duration', client: 'http.client.duration', ms: true },
  rpc: { server: 'rpc.server.duration', client: 'rpc.client.duration', ms: true },
  prom: { server: 'http_server_request_duration_seconds', client: 'http_client_request_duration_seconds', ms: false },
};
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

type Attr = { key: string; value: { stringValue: string } | { intValue: string } };
const str = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const int = (key: string, v: number): Attr => ({ key, value: { intValue: String(v) } });

/**
 * Spring Boot's Micrometer timers as the Collector's Prometheus receiver turns them into OTLP: a
 * summary without quantiles (count and sum) per uri, method, status, outcome and exception; the
 * client's per `client.name` (the host called).
 */
const MICROMETER = { server: 'http_server_requests_seconds', client: 'http_client_requests_seconds', ms: false };
/**
 * A Go service instrumented with client_golang's promhttp, as the Prometheus receiver turns it into
 * OTLP: `http_requests_total` counted per `code` and `method`, and a duration histogram per method
 * only, so failures show in the counter alone.
 */
const CLIENT_GOLANG = { server: 'http_request_duration_seconds', client: 'http_client_request_duration_seconds', ms: false };
const micrometerOutcome = (ok: boolean): Attr[] => [str('uri', '/api/items'), str('method', 'GET'), str('status', ok ? '200' : '500'), str('outcome', ok ? 'SUCCESS' : 'SERVER_ERROR'), str('exception', ok ? 'None' : 'IOException')];

/** How each convention marks a request's outcome. */
function outcome(style: Style, ok: boolean): Attr[] {
  if (style === 'semconv') return [str('http.request.method', 'GET'), int('http.response.status_code', ok ? 200 : 500)];
  if (style === 'old') return [str('http.method', 'GET'), int('http.status_code', ok ? 200 : 503)];
  if (style === 'rpc') return [str('rpc.system', 'grpc'), int('rpc.grpc.status_code', ok ? 0 : 14)];
  return [str('method', 'GET'), str('code', ok ? '200' : '500')];
}

interface State { readonly latency: Map<string, number>; readonly failure: Map<string, number> }

/** Per pod and per service at `t`: own latency and failures, plus what the services called add. */
function state(w: World, t: number): State & { readonly service: State } {
  const order = [...w.svcs].sort((a, b) => (w.depth.get(b) ?? 0) - (w.depth.get(a) ?? 0));
  const pod = { latency: new Map<string, number>(), failure: new Map<string, number>() };
  const service = { latency: new Map<string, number>(), failure: new Map<string, number>() };
  for (const s of order) {
    let below = 0;
    let belowFail = 0;
    for (const [c, k] of w.calls.get(s) ?? []) {
      below += k * (service.latency.get(c) ?? 0);
      belowFail += (service.failure.get(c) ?? 0) * w.propagate;
    }
    const alive = w.pods.filter((p) => p.svc === s && p.from <= t && t < p.to);
    const broken = t >= w.onset && s === w.broken && (w.mechanism === 'config' || w.mechanism === 'pool');
    let l = 0;
    let f = 0;
    for (const p of alive) {
      const bad = p.bad || broken;
      const own = (w.base.get(s) ?? 0.01) * (bad ? w.badLatency : 1);
      const fail = 1 - (1 - (bad ? w.badFailure : 0)) * (1 - Math.min(1, belowFail));
      pod.latency.set(p.id, own + below);
      pod.failure.set(p.id, fail);
      l += own + below;
      f += fail;
    }
    service.latency.set(s, alive.length === 0 ? 0 : l / alive.length);
    service.failure.set(s, alive.length === 0 ? 0 : f / alive.length);
  }
  return { ...pod, service };
}

/** Requests per second arriving at each service: the entry's rate, multiplied down the calls. */
function rates(w: World, t: number): Map<string, number> {
  const rate = new Map<string, number>([[w.entry, w.entryRate * (1 + 0.05 * Math.sin(t / 600))]]);
  const top = [...w.svcs].sort((a, b) => (w.depth.get(a) ?? 0) - (w.depth.get(b) ?? 0));
  for (const s of top) for (const [c, k] of w.calls.get(s) ?? []) rate.set(c, (rate.get(c) ?? 0) + (rate.get(s) ?? 0) * k);
  return rate;
}

/** OTLP/JSON lines for the whole window. */
export function telemetry(w: World): string[] {
  const spring = w.labels.micrometer;
  const golang = w.labels.counter;
  const cumulative = w.cumulative || spring || golang;
  const names = spring ? MICROMETER : golang ? CLIENT_GOLANG : NAMES[w.style];
  const unit = names.ms ? 'ms' : 's';
  const bounds = BOUNDS.map((b) => (names.ms ? b * 1000 : b));
  const totals = new Map<string, { count: number; sum: number }>();
  const noise = (): number => Math.exp(0.08 * w.rng.normal());
  const ns = (s: number): string => `${s}000000000`;
  const point = (key: string, t: number, start: number, n: number, seconds: number, attributes: Attr[]): object => {
    const v = names.ms ? seconds * 1000 : seconds;
    const acc = cumulative ? totals.get(key) ?? { count: 0, sum: 0 } : { count: 0, sum: 0 };
    acc.count += n;
    acc.sum += n * v;
    totals.set(key, acc);
    const counts = [...bounds, Infinity].map((b, i) => (v <= b && (i === 0 || v > (bounds[i - 1] ?? 0)) ? acc.count : 0));
    return { attributes, startTimeUnixNano: ns(cumulative ? start : t - w.step), timeUnixNano: ns(t), count: String(acc.count), sum: acc.sum, explicitBounds: bounds, bucketCounts: counts.map(String) };
  };
  const counter = (key: string, t: number, start: number, n: number, attributes: Attr[]): object => {
    const acc = totals.get(key) ?? { count: 0, sum: 0 };
    acc.count += n;
    totals.set(key, acc);
    return { attributes, startTimeUnixNano: ns(start), timeUnixNano: ns(t), asInt: String(acc.count) };
  };
  // A summary has no temporality: always cumulative, so its points keep their start and drop the buckets.
  const summary = (p: object): object => {
    const { attributes, startTimeUnixNano, timeUnixNano, count, sum } = p as Record<string, unknown>;
    return { attributes, startTimeUnixNano, timeUnixNano, count, sum, quantileValues: [] };
  };
  const histogram = (name: string, points: object[]): object =>
    spring ? { name, unit, summary: { dataPoints: points.map(summary) } } : { name, unit, histogram: { aggregationTemporality: cumulative ? 2 : 1, dataPoints: points } };
  const gauge = (name: string, u: string, v: number, t: number, attributes: Attr[] = []): object => ({ name, unit: u, gauge: { dataPoints: [{ attributes, timeUnixNano: ns(t), asDouble: v }] } });
  const lines: string[] = [];
  for (let t = w.t0; t <= w.end; t += w.step) {
    const now = state(w, t);
    const rate = rates(w, t);
    for (const p of w.pods) {
      if (!(p.from <= t && t < p.to)) continue;
      const alive = w.pods.filter((q) => q.svc === p.svc && q.from <= t && t < q.to).length;
      const r = ((rate.get(p.svc) ?? 0) / alive) * noise();
      const total = Math.round(r * w.step);
      const failed = Math.round(total * (now.failure.get(p.id) ?? 0));
      const latency = (now.latency.get(p.id) ?? 0) * noise();
      const server: object[] = [];
      const counted: object[] = [];
      for (const [ok, n] of [[true, total - failed], [false, failed]] as const) {
        const key = `${p.id} server ${String(ok)}`;
        // An outcome's series begins with its first request, as in OTel SDKs.
        if (!(n > 0 || totals.has(key))) continue;
        if (golang) counted.push(counter(key, t, p.from, n, outcome(w.style, ok)));
        else server.push(point(key, t, p.from, n, latency, spring ? micrometerOutcome(ok) : outcome(w.style, ok)));
      }
      if (golang) server.push(point(`${p.id} server`, t, p.from, total, latency, [str('method', 'GET')]));
      const metrics: object[] = [histogram(names.server, server)];
      if (golang) metrics.push({ name: 'http_requests_total', unit: '', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: counted } });
      const callees = [...(w.calls.get(p.svc) ?? [])];
      if (w.clientSide && callees.length > 0) {
        metrics.push(histogram(names.client, callees.map(([c, k]) => point(`${p.id} client ${c}`, t, p.from, Math.round(r * w.step * k), (now.service.latency.get(c) ?? 0) * noise(), spring ? [str('client.name', c), ...micrometerOutcome(true)] : [str('server.address', c), ...(w.style === 'rpc' ? [str('rpc.service', c)] : [str('http.request.method', 'GET')])]))));
      }
      metrics.push(...extras(w, p, t, r, gauge, noise));
      const resource = { attributes: resourceOf(w, p) };
      lines.push(JSON.stringify({ resourceMetrics: [{ resource, scopeMetrics: [{ scope: { name: 'bench.otel' }, metrics }] }] }));
    }
  }
  return lines;
}

/** A pod's resource attributes, as the SDK alone or the k8sattributes processor too labels them (see `World.labels`). */
function resourceOf(w: World, p: Pod): Attr[] {
  const all = labelled(w, p);
  return w.labels.versionless ? all.filter((a) => a.key !== 'service.version' && a.key !== 'container.image.tag') : all;
}

function labelled(w: World, p: Pod): Attr[] {
  const sdk = [str('service.name', p.svc), ...(w.labels.instanceId ? [str('service.instance.id', p.id)] : []), str('k8s.pod.name', p.id), ...(w.labels.version ? [str('service.version', p.version)] : [])];
  if (w.labels.style === 'sdk') return sdk;
  // The pod-template hash Kubernetes derives from the pod spec: one per version of the service.
  const hash = [...`${p.svc}@${p.version}`].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7).toString(36).replace(/[aeiouy013]/g, 'b').padEnd(9, 'x');
  const node = [...p.id].reduce((h, ch) => (h * 33 + ch.charCodeAt(0)) >>> 0, 5) % w.labels.nodes;
  return [
    ...sdk,
    str('k8s.namespace.name', 'shop'),
    str('k8s.deployment.name', p.svc),
    str('k8s.replicaset.name', `${p.svc}-${hash}`),
    str('k8s.node.name', `node-${node}`),
    str('k8s.pod.start_time', new Date(p.from * 1000).toISOString()),
    str('container.image.name', `registry.example.com/${p.svc}`),
    str('container.image.tag', p.version),
  ];
}

/** Process CPU and memory when the world has them; the pool story's connections and descriptors. */
function extras(w: World, p: Pod, t: number, rate: number, gauge: (name: string, unit: string, v: number, t: number, attributes?: Attr[]) => object, noise: () => number): object[] {
  const out: object[] = [];
  const broken = p.bad || (p.svc === w.broken && t >= w.onset && (w.mechanism === 'config' || w.mechanism === 'pool'));
  if (w.resources) {
    out.push(gauge('process.cpu.utilization', '1', Math.min(1, ((rate * (w.base.get(p.svc) ?? 0.01) * (broken ? w.badLatency : 1)) / 4) * noise()), t));
    out.push(gauge('process.memory.usage', 'By', Math.round(2e8 * noise()), t));
  }
  if (w.mechanism === 'pool') {
    const pushed = t >= w.pushAt ? w.poolFactor : 1;
    // Both are UpDownCounters in the conventions: non-monotonic cumulative sums.
    const upDown = (name: string, u: string, v: number, attributes: Attr[] = []): object => ({ name, unit: u, sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: [{ attributes, startTimeUnixNano: `${p.from}000000000`, timeUnixNano: `${t}000000000`, asInt: String(Math.round(v)) }] } });
    if (p.svc === w.culprit) out.push(upDown('http.client.open_connections', '{connection}', 20 * pushed * noise(), [str('server.address', w.broken), str('http.connection.state', 'active')]));
    if (p.svc === w.broken) out.push(upDown('process.open_file_descriptor.count', '{count}', 60 * pushed * noise()));
  }
  return out;
}
