import { GOLDEN } from './golden';
import type { InstanceStream, MetricNameRule, MetricStream, Regime } from './types';
import { FD_METRIC, MEM_METRIC } from './world';

/**
 * A shop's own names for what the simulator reports under semantic-convention names: resource
 * counters as a Prometheus client library exports them, golden signals under names no convention
 * explains (so the correlator can only read them through the shop's rules, `SHOP_RULES`), latency
 * in milliseconds and errors as a success percentage.
 */
const SHOP: Readonly<Record<string, { name: string; scale?: (v: number) => number; unit?: string }>> = {
  [FD_METRIC]: { name: 'process_open_fds' },
  [MEM_METRIC]: { name: 'process_resident_memory_bytes' },
  'process.thread.count': { name: 'process_threads' },
  'process.cpu.utilization': { name: 'process_cpu_utilization_ratio' },
  'http.server.active_requests': { name: 'http_server_active_requests' },
  'http.server.request.count': { name: 'http_server_requests_total' },
  'messaging.client.queue.depth': { name: 'jobs_queue_depth' },
  'http.client.open_connections': { name: 'http_client_open_connections' },
  'db.client.connection.count': { name: 'db_pool_connections' },
  [GOLDEN.latencyP50]: { name: 'svc_resp_ms.p50', scale: (v) => v * 1000, unit: 'ms' },
  [GOLDEN.latencyP99]: { name: 'svc_resp_ms.p99', scale: (v) => v * 1000, unit: 'ms' },
  [GOLDEN.errors]: { name: 'svc_ok_pct', scale: (v) => Number.isNaN(v) ? v : 100 * (1 - v), unit: '%' },
  [GOLDEN.clientLatency]: { name: 'dep_call_ms.p99', scale: (v) => v * 1000, unit: 'ms' },
  [GOLDEN.dbClientLatency]: { name: 'dep_call_ms.p99', scale: (v) => v * 1000, unit: 'ms' },
  [GOLDEN.clientCalls]: { name: 'dep_calls_total' },
  [GOLDEN.dbClientCalls]: { name: 'dep_calls_total' },
};

/** What the shop writes in its config/metrics.yaml for the names above. */
export const SHOP_RULES: readonly MetricNameRule[] = [
  { match: '/^svc_resp_ms\\./', signal: 'latency' },
  { match: 'svc_ok_pct', signal: 'success' },
  { match: '/^dep_call_ms\\./', signal: 'latency', side: 'client' },
  { match: 'dep_calls_total', signal: 'traffic', side: 'client' },
];

/** The metric's name under the regime's naming. */
export function metricName(name: string, naming: Regime['naming']): string {
  return naming === 'shop' ? (SHOP[name]?.name ?? name) : name;
}

/** Streams under the regime's naming, and without resource counters when only golden signals are reported. */
export function renameStreams(streams: readonly InstanceStream[], naming: Regime['naming'], goldenOnly: boolean): InstanceStream[] {
  const golden = new Set<string>(Object.values(GOLDEN));
  return streams.map((st) => ({
    ...st,
    metrics: st.metrics
      .filter((m) => !goldenOnly || golden.has(m.name))
      .map((m): MetricStream => {
        const to = naming === 'shop' ? SHOP[m.name] : undefined;
        if (to === undefined) return m;
        return { ...m, name: to.name, unit: to.unit ?? m.unit, values: to.scale === undefined ? m.values : m.values.map(to.scale) };
      }),
  }));
}
