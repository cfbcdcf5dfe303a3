/**
 * A Nezha day in the project's own input formats, following the protocol of the data set's README:
 * OTLP/JSON metrics (OpenTelemetry semantic-convention names where one exists, the raw column
 * names otherwise), CloudEvents changes (each fault as a change of the faulty service, a harmless
 * decoy change on every other service within ±3 min, the earlier faults of the day as real changes)
 * and topology YAML (from dependency.csv / trainticket-calls.csv). Pure: nezha.ts reads the files.
 */
import type { ChangeEvent, ChangeType, Topology } from '../../src/domain/types';
import { createRng } from '../../src/sim';
import { CODE_FAULTS, type Fault, type NezhaDay, type Table } from './nezha';

/** How one CSV column becomes an OTLP metric. */
interface Mapping {
  readonly name: string;
  readonly unit: string;
  readonly scale?: number;
  readonly attrs?: Readonly<Record<string, string>>;
}

const q = (p: string): Record<string, string> => ({ quantile: p });

/** Pod columns → metrics. `PodSuccessRate(%)` is left out: 0 in every row (see nezha.ts). */
export const POD_COLUMNS: Readonly<Record<string, Mapping>> = {
  'CpuUsage(m)': { name: 'container.cpu.usage', unit: '{cpu}', scale: 1 / 1000 },
  'CpuUsageRate(%)': { name: 'k8s.pod.cpu_limit_utilization', unit: '1', scale: 1 / 100 },
  'MemoryUsage(Mi)': { name: 'container.memory.usage', unit: 'By', scale: 2 ** 20 },
  'MemoryUsageRate(%)': { name: 'k8s.pod.memory_limit_utilization', unit: '1', scale: 1 / 100 },
  SyscallRead: { name: 'SyscallRead', unit: '{syscall}' },
  SyscallWrite: { name: 'SyscallWrite', unit: '{syscall}' },
  NetworkReceiveBytes: { name: 'NetworkReceiveBytes', unit: 'By' },
  NetworkTransmitBytes: { name: 'NetworkTransmitBytes', unit: 'By' },
  'PodClientLatencyP90(s)': { name: 'http.client.request.duration', unit: 's', attrs: q('0.9') },
  'PodServerLatencyP90(s)': { name: 'http.server.request.duration', unit: 's', attrs: q('0.9') },
  'PodClientLatencyP95(s)': { name: 'http.client.request.duration', unit: 's', attrs: q('0.95') },
  'PodServerLatencyP95(s)': { name: 'http.server.request.duration', unit: 's', attrs: q('0.95') },
  'PodClientLatencyP99(s)': { name: 'http.client.request.duration', unit: 's', attrs: q('0.99') },
  'PodServerLatencyP99(s)': { name: 'http.server.request.duration', unit: 's', attrs: q('0.99') },
  'PodWorkload(Ops)': { name: 'PodWorkload(Ops)', unit: '{request}/s' },
  'NodeCpuUsageRate(%)': { name: 'NodeCpuUsageRate(%)', unit: '%' },
  'NodeMemoryUsageRate(%)': { name: 'NodeMemoryUsageRate(%)', unit: '%' },
  NodeNetworkReceiveBytes: { name: 'NodeNetworkReceiveBytes', unit: 'By' },
};

/** front_service.csv → the entry service's own series (no instance: the service-level view). */
export const FRONT_COLUMNS: Readonly<Record<string, Mapping>> = {
  'SuccessRate(%)': { name: 'SuccessRate(%)', unit: '%' },
  'LatencyP50(s)': { name: 'http.server.request.duration', unit: 's', attrs: q('0.5') },
  'LatencyP90(s)': { name: 'http.server.request.duration', unit: 's', attrs: q('0.9') },
  'LatencyP95(s)': { name: 'http.server.request.duration', unit: 's', attrs: q('0.95') },
  'LatencyP99(s)': { name: 'http.server.request.duration', unit: 's', attrs: q('0.99') },
};

const kv = (o: Readonly<Record<string, string>>): { key: string; value: { stringValue: string } }[] =>
  Object.keys(o).sort().map((key) => ({ key, value: { stringValue: o[key] ?? '' } }));

/** OTLP/JSON requests (one per line, `batch` rows each) for one table under one resource. */
function tableLines(table: Table, columns: Readonly<Record<string, Mapping>>, resource: Record<string, string>, batch: number, keep: (col: string) => boolean): string[] {
  const out: string[] = [];
  const used = table.columns.map((c, i) => ({ i, m: columns[c], c })).filter((x): x is { i: number; m: Mapping; c: string } => x.m !== undefined && keep(x.c));
  for (let k0 = 0; k0 < table.rows.length; k0 += batch) {
    const rows = table.rows.slice(k0, k0 + batch);
    const metrics = used
      .map(({ i, m }) => {
        const dataPoints = rows
          .filter((r) => Number.isFinite(r.v[i]))
          .map((r) => {
            const p: Record<string, unknown> = { timeUnixNano: `${Math.round(r.t)}000000`, asDouble: (r.v[i] ?? 0) * (m.scale ?? 1) };
            if (m.attrs !== undefined) p['attributes'] = kv(m.attrs);
            return p;
          });
        return { name: m.name, unit: m.unit, gauge: { dataPoints } };
      })
      .filter((m) => m.gauge.dataPoints.length > 0);
    if (metrics.length > 0) out.push(JSON.stringify({ resourceMetrics: [{ resource: { attributes: kv(resource) }, scopeMetrics: [{ scope: { name: 'nezha-convert', version: '1' }, metrics }] }] }));
  }
  return out;
}

/** All of a day's metrics as OTLP/JSON NDJSON: every pod under its service, plus the entry's front view. */
export function dayOtlp(day: NezhaDay, batch = 30): string {
  const lines: string[] = [];
  for (const p of day.pods) {
    const resource = { 'service.name': p.service, 'service.instance.id': p.pod, 'k8s.pod.name': p.pod, 'k8s.namespace.name': day.system };
    lines.push(...tableLines(p.table, POD_COLUMNS, resource, batch, () => true));
  }
  // Train Ticket's front SuccessRate(%) is 0 throughout (never filled in): dropped, as PodSuccessRate(%).
  const keepFront = (c: string): boolean => c !== 'SuccessRate(%)' || day.front.rows.some((r) => (r.v[day.front.columns.indexOf(c)] ?? 0) > 0);
  lines.push(...tableLines(day.front, FRONT_COLUMNS, { 'service.name': day.entry, 'k8s.namespace.name': day.system }, batch, keepFront));
  if (day.edgeLatency !== undefined) lines.push(...edgeLines(day, day.edgeLatency, batch));
  return `${lines.join('\n')}\n`;
}

/** `checkoutservice_emailservice` → [caller, callee], split where both halves are services of the day. */
export function splitEdge(column: string, services: ReadonlySet<string>): [string, string] | undefined {
  for (let i = column.indexOf('_'); i > 0; i = column.indexOf('_', i + 1)) {
    const a = column.slice(0, i);
    const b = column.slice(i + 1);
    if (services.has(a) && services.has(b)) return [a, b];
  }
  return undefined;
}

/**
 * Per-edge median latency as a service mesh reports it: the caller's side as its client duration
 * naming the callee (`server.address`, so the call graph and the callee's trouble can be read
 * from it), the callee's side as its server duration naming the caller (`client.address`).
 */
function edgeLines(day: NezhaDay, t: { readonly source: Table; readonly destination: Table }, batch: number): string[] {
  const services = new Set([...day.pods.map((p) => p.service), ...day.edges.flat()]);
  const out: string[] = [];
  for (const [table, side] of [[t.source, 'client'], [t.destination, 'server']] as const) {
    for (const col of table.columns) {
      const edge = splitEdge(col, services);
      if (edge === undefined) continue;
      const [caller, callee] = edge;
      const attrs: Record<string, string> = side === 'client' ? { quantile: '0.5', 'server.address': callee } : { quantile: '0.5', 'client.address': caller };
      const mapping: Mapping = { name: `http.${side}.request.duration`, unit: 's', attrs };
      out.push(...tableLines(table, { [col]: mapping }, { 'service.name': side === 'client' ? caller : callee, 'k8s.namespace.name': day.system }, batch, () => true));
    }
  }
  return out;
}

/** Caller → callee edges as topology YAML's structure; each service its own team. */
export function dayTopology(day: NezhaDay): Topology {
  const names = [...new Set([...day.pods.map((p) => p.service), ...day.edges.flat()])].sort();
  return {
    services: names.map((name) => ({
      name,
      team: name,
      dependsOn: [...new Set(day.edges.filter(([a]) => a === name).map(([, b]) => b))].sort(),
      limits: {},
    })),
  };
}

const DECOY_TYPES: readonly ChangeType[] = ['deploy', 'config', 'flag', 'scale', 'infra'];
/** Decoys land within this much of the fault, either side. */
export const DECOY_SPREAD_MS = 3 * 60_000;

export const faultId = (day: NezhaDay, k: number): string => `nezha-${day.day}-${String(k).padStart(2, '0')}-fault`;

/**
 * The day's change log: each fault as a change of its service (resource faults `change.infra`, code
 * faults `change.deploy`) and a decoy change on every other service within ±3 min (type drawn from
 * deploy/config/flag/scale/infra, seeded by the day so every run sees the same log). Summaries are
 * neutral ("infra change of cartservice"): nothing but the telemetry tells the fault apart.
 */
export function dayChanges(day: NezhaDay, topology: Topology): ChangeEvent[] {
  const rng = createRng(`nezha-${day.day}`);
  const out: ChangeEvent[] = [];
  const change = (id: string, service: string, type: ChangeType, time: number): ChangeEvent => ({
    id, source: '//nezha.example/changes', type, rawType: `com.example.change.${type}`, service, team: service, time, summary: `${type} change of ${service}`,
  });
  day.faults.forEach((f: Fault, k) => {
    out.push(change(faultId(day, k), f.service, CODE_FAULTS.has(f.type) ? 'deploy' : 'infra', f.time));
    for (const s of topology.services) {
      if (s.name === f.service) continue;
      const t = Math.round(f.time + rng.uniform(-DECOY_SPREAD_MS, DECOY_SPREAD_MS));
      out.push(change(`nezha-${day.day}-${String(k).padStart(2, '0')}-${s.name}`, s.name, rng.pick(DECOY_TYPES), t));
    }
  });
  return out.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
}

/** The question asked about one fault: the entry service, `askAfterMs` after the injection. */
export interface Incident {
  readonly id: string;
  readonly day: string;
  readonly system: NezhaDay['system'];
  readonly fault: Fault;
  readonly causeId: string;
  readonly service: string;
  readonly at: number;
}

/** Asked 4 minutes after the injection: a page comes a few minutes into the trouble. */
export const ASK_AFTER_MS = 4 * 60_000;

export function dayIncidents(day: NezhaDay, askAfterMs = ASK_AFTER_MS): Incident[] {
  return day.faults.map((fault, k) => ({
    id: faultId(day, k), day: day.day, system: day.system, fault, causeId: faultId(day, k), service: day.entry, at: fault.time + askAfterMs,
  }));
}
