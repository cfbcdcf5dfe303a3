import type { Labels } from '../domain/types';
import { GARBAGE_COLLECTION, metricClass, RESOURCE_CLASSES, type MetricClass } from './signals';

/**
 * Golden signals: what a metric says about a service's health, and which way is bad. Read from
 * the OpenTelemetry semantic conventions (`http.server.request.duration`, `rpc.client.duration`,
 * `http.client.open_connections`, `process.*`, `container.*`, `k8s.*`, `system.*`, …) and from a
 * shop's own rules for names the conventions do not cover (config/metrics.yaml).
 */
export type GoldenSignal = 'latency' | 'errors' | 'success' | 'traffic' | 'saturation' | 'ignore';

export interface Golden {
  readonly signal: GoldenSignal;
  /** 'client': measured by the caller about its calls (a dependency's trouble shows here first). */
  readonly side: 'server' | 'client';
  /** +1 higher is bad, −1 lower is bad, 0 no bad direction (traffic). */
  readonly bad: 1 | -1 | 0;
}

/** A service's health as its callers feel it: its latency, errors and success (not its saturation). */
export const HEALTH: ReadonlySet<GoldenSignal> = new Set(['latency', 'errors', 'success']);

/** A service's own health (`HEALTH`, measured server side): what it serves, not how its calls fare. */
export function ownHealth(g: Golden): boolean {
  return HEALTH.has(g.signal) && g.side === 'server';
}

/** A shop's rule: `match` is an exact metric name, or a regular expression written as `/…/`. */
export interface MetricRule {
  readonly match: string;
  readonly signal: GoldenSignal;
  readonly side?: 'server' | 'client';
  /** 'up' or 'down' is bad; defaults by signal (latency, errors, saturation up; success down). */
  readonly bad?: 'up' | 'down' | 'none';
}

/** Suffix of the failed share of a duration histogram's requests that failures.ts derives. */
export const FAILURE_RATIO = '.failure_ratio';

const DEFAULT_BAD: Record<GoldenSignal, 1 | -1 | 0> = { latency: 1, errors: 1, success: -1, traffic: 0, saturation: 1, ignore: 0 };

function ruleMatches(rule: MetricRule, metric: string): boolean {
  if (rule.match.length > 2 && rule.match.startsWith('/') && rule.match.endsWith('/')) {
    try {
      return new RegExp(rule.match.slice(1, -1), 'i').test(metric);
    } catch {
      return false; // validated where the rules are decoded; a bad pattern never matches
    }
  }
  return rule.match === metric;
}

/**
 * The side from the name (`http.client.*`, `rpc.client.*`, `*.client.*`) or the span kind. The
 * Collector's span metrics write the kind as `SPAN_KIND_CLIENT` (`span_kind` once in Prometheus);
 * a producer's spans, like a client's, time what it sends to others.
 */
function sideOf(m: string, labels: Labels): 'server' | 'client' {
  const kind = (labels['span.kind'] ?? labels['span_kind'] ?? '').toLowerCase().replace(/^span_kind_/, '');
  if (/(^|[._])client[._]/.test(m) || kind === 'client' || kind === 'producer') return 'client';
  return 'server';
}

/**
 * The Collector's span metrics count spans in `calls` (`traces.span.metrics.calls`, Prometheus
 * `traces_span_metrics_calls_total`; `calls` in older versions): requests, split by `status.code`.
 */
function spanCalls(metric: string): boolean {
  return /(^|[._])calls(_total)?$/i.test(metric);
}

/**
 * A counter of requests, which a Prometheus client splits by outcome: client_golang's and
 * prom-client's `http_requests_total{code}`, go-grpc-prometheus's `grpc_server_handled_total
 * {grpc_code}`, Istio's `istio_requests_total{response_code}`, Linkerd's `response_total
 * {classification}`, the span metrics' `calls`. Not a gauge of requests in flight or waiting
 * (`http.server.active_requests`, `…pending_requests`), nor a name that already says failed.
 */
export function requestCounter(metric: string): boolean {
  const m = metric.toLowerCase();
  if (spanCalls(m)) return true;
  return /(^|[._])(requests?|handled|responses?)([._](total|count))?$/.test(m) && !/error|fail|exception|5xx|fault/.test(m) && !RESOURCE_CLASSES.has(metricClass(m));
}

/**
 * Classify one series. The first matching rule wins; then the conventions. Unknown names are
 * 'ignore': no decision may rest on a name nobody has explained.
 */
export function classifyGolden(metric: string, labels: Labels = {}, rules: readonly MetricRule[] = []): Golden {
  for (const r of rules) {
    if (!ruleMatches(r, metric)) continue;
    const bad = r.bad === undefined ? DEFAULT_BAD[r.signal] : r.bad === 'up' ? 1 : r.bad === 'down' ? -1 : 0;
    return { signal: r.signal, side: r.side ?? sideOf(metric.toLowerCase(), labels), bad };
  }
  const m = metric.toLowerCase();
  const side = sideOf(m, labels);
  const of = (signal: GoldenSignal): Golden => ({ signal, side, bad: DEFAULT_BAD[signal] });
  if (m.endsWith(FAILURE_RATIO)) return of('errors');
  // Garbage collections are memory pressure, not how long requests take, and no request rate.
  if (GARBAGE_COLLECTION.test(m)) return of('saturation');
  // How long the event loop waits to run: the process is busy, not a request's latency.
  if (/event_?loop/.test(m)) return of('saturation');
  if (durationOfCount(metric, labels, rules) !== undefined || requestCounter(m)) return of(failedRequests(labels) ? 'errors' : 'traffic');
  if (/(\.|_)duration|latency|response_time|\.time$/.test(m) && !/cpu/.test(m)) return of('latency');
  // Prometheus clients name a duration by its unit: Micrometer's http_server_requests_seconds, go-grpc's grpc_server_handling_seconds.
  if (/(^|[._])(requests?|handling)_seconds($|[._])/.test(m)) return of('latency');
  if (/success|availability/.test(m)) return of('success');
  // Restarts too: a container that keeps crashing (k8s.container.restarts) is failing its requests.
  // Packets a network dropped or sent again are failures too (a lossy link, as fault injection makes one).
  if (/error|fail|exception|5xx|fault|restart|crash|dropped|retrans/.test(m)) return of('errors');
  if (/utilization|utilisation|saturation/.test(m) || RESOURCE_CLASSES.has(metricClass(m))) return of('saturation');
  // Disk and filesystem use (container_fs_writes_bytes_total, system.disk.io): a process thrashing
  // its disk waits on it. (Network bytes stay unexplained: they count a pod's calls out as well as in.)
  if (/(^|[._])(disk|fs|filesystem)([._]|$)/.test(m)) return of('saturation');
  if (/request|throughput|\.count$|rate|messages/.test(m)) return of('traffic');
  return of('ignore');
}

/**
 * What a series measures, for the breakpoint evidence: its class by name, or 'traffic' where only a
 * shop's rule says what it is (`dep_calls_total` with `signal: traffic`). A call count read as
 * "something else" passed for connections held to its callee: more calls sent looked like a
 * dependency got slower.
 */
export function seriesClass(metric: string, labels: Labels, rules: readonly MetricRule[]): MetricClass {
  const byName = metricClass(metric);
  // Failed requests are no request rate: their count leaps from nothing when a service fails.
  if (byName === 'traffic' && failedRequests(labels)) return 'other';
  if (byName !== 'other' || rules.length === 0) return byName;
  return classifyGolden(metric, labels, rules).signal === 'traffic' ? 'traffic' : 'other';
}

/**
 * The duration histogram whose count `metric` is, else undefined. The OTLP decoder turns a
 * histogram's count into `<name>.count`, per second (Prometheus names it `<name>_count`). Of a
 * duration histogram — how OTel instruments HTTP and RPC, with no request counter of its own —
 * that is the request rate, and the rate of failures for requests marked failed: not a latency.
 */
export function durationOfCount(metric: string, labels: Labels = {}, rules: readonly MetricRule[] = []): string | undefined {
  if (!/[._]count$/i.test(metric)) return undefined;
  const base = metric.slice(0, -'.count'.length);
  return classifyGolden(base, labels, rules).signal === 'latency' ? base : undefined;
}

/** Attributes holding an HTTP status (or its class, `5xx`): the conventions' (new and old), then Prometheus clients' and Istio's. */
const HTTP_STATUS = ['http.response.status_code', 'http.status_code', 'code', 'status', 'status_code', 'response_code', 'status_class'];
/** Attributes holding a gRPC status: the conventions', then go-grpc-prometheus's, Linkerd's and Istio's. */
const GRPC_STATUS = ['rpc.grpc.status_code', 'grpc_code', 'grpc_status', 'grpc_response_status'];
/**
 * Point attributes that say how a request ended rather than what it was: besides the statuses,
 * Micrometer's `outcome` and `exception`, Linkerd's `classification`, Istio's `response_flags`.
 * The failed share is taken over every outcome of one kind of request, so any of them left in
 * would split its successes from its failures.
 */
export const OUTCOME: ReadonlySet<string> = new Set(['error.type', 'status.code', 'otel.status_code', 'outcome', 'exception', 'error', 'classification', 'response_flags', ...GRPC_STATUS, ...HTTP_STATUS]);

/**
 * Requests marked as failed: by the semantic conventions (an `error.type`, a 5xx HTTP status, a
 * gRPC status other than OK (0)), by the Collector's span metrics (`status.code` ERROR), by a
 * Prometheus client's status label (`code`, `status`, `status_code`) holding a 5xx, by Istio's
 * `response_code`, Micrometer's `outcome` SERVER_ERROR, Linkerd's `classification` failure, or a
 * gRPC status label of go-grpc-prometheus, Linkerd or Istio other than OK.
 */
export function failedRequests(labels: Labels): boolean {
  if (labels['error.type'] !== undefined || labels['error'] === 'true') return true;
  for (const key of HTTP_STATUS) {
    const v = labels[key];
    if (v !== undefined && /^5(\d\d|xx)$/i.test(v)) return true;
  }
  if (labels['outcome'] === 'SERVER_ERROR' || labels['classification'] === 'failure') return true;
  if (/^(STATUS_CODE_)?ERROR$/i.test(labels['status.code'] ?? labels['otel.status_code'] ?? labels['status_code'] ?? '')) return true;
  return GRPC_STATUS.some((key) => {
    const grpc = labels[key];
    return grpc !== undefined && grpc !== '0' && grpc.toUpperCase() !== 'OK';
  });
}

/**
 * The least worsening of an error or success ratio that counts, in the series' units: one
 * percentage point. Ratios near zero double on noise (0.1 % → 0.2 % errors) and nobody rolls a
 * release back for that. 0 for other signals (their margins are relative to their level).
 */
export function ratioFloor(g: Golden, unit: string | undefined): number {
  if (g.signal !== 'errors' && g.signal !== 'success') return 0;
  return unit === '%' ? 1 : 0.01;
}
