/**
 * Reading the Nezha fault-injection data set (../shared/data/nezha, MIT; layout in its README):
 * per-pod metric CSVs, the entry service's front_service.csv, the fault list and the call graph
 * of one day. This file does the I/O and the parsing of the data set's own quirks; convert.ts turns
 * a day into the project's input formats.
 *
 * What is trusted and why:
 * - Times come from the TEXT columns (`Time` of the metric rows, `inject_time` of the faults), read
 *   as UTC: the metric `Time` carries an explicit "+0000 UTC"; `inject_time` has no zone, but read
 *   as UTC it lands on the minute where the injected pod's metrics move, and the text columns agree
 *   with each other. The epoch columns do not: some pod files' `TimeStamp` is off by exactly
 *   200,000,000 s, and Train Ticket's `inject_timestamp` is ~8 h behind its `inject_time` (a local
 *   clock) and once repeats the previous fault's value.
 * - `PodSuccessRate(%)` is 0 in every row of every pod file and Train Ticket's front `SuccessRate(%)`
 *   likewise (never filled in): a constant 0 % success would read as a total outage, so those
 *   columns are dropped. Online Boutique's front `SuccessRate(%)` varies and is kept.
 * - Empty or NaN cells (a pod that served nothing that minute) are missing samples, not zeros.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export type FaultType = 'cpu_contention' | 'cpu_consumed' | 'network_delay' | 'return' | 'exception';
export const FAULT_TYPES: readonly FaultType[] = ['cpu_contention', 'cpu_consumed', 'network_delay', 'return', 'exception'];
/** Resource faults become `change.infra`; code faults (wrong return value, thrown exception) `change.deploy`. */
export const CODE_FAULTS: ReadonlySet<FaultType> = new Set(['return', 'exception']);

export interface Fault {
  /** epoch ms, from `inject_time` read as UTC */
  readonly time: number;
  readonly pod: string;
  readonly service: string;
  readonly type: FaultType;
}

/** One CSV table: column names and rows of numbers (NaN where empty), with the row time from `Time`. */
export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly { readonly t: number; readonly v: readonly number[] }[];
}

export interface NezhaDay {
  readonly day: string;
  readonly system: 'online-boutique' | 'train-ticket';
  /** The service a user pages about: `frontend` or `ts-ui-dashboard`. */
  readonly entry: string;
  readonly pods: readonly { readonly pod: string; readonly service: string; readonly table: Table }[];
  /** front_service.csv: the entry service's own success rate and latency percentiles. */
  readonly front: Table;
  /** Caller → callee. */
  readonly edges: readonly (readonly [string, string])[];
  /**
   * Online Boutique only: median latency per call edge (columns `caller_callee`, seconds) as the
   * caller's side reports it (`source`) and as the callee's side does (`destination`).
   */
  readonly edgeLatency?: { readonly source: Table; readonly destination: Table };
  readonly faults: readonly Fault[];
}

export const DAYS = ['2022-08-22', '2022-08-23', '2023-01-29', '2023-01-30'] as const;

/** `frontend-579b9bff58-t2dbm` → `frontend`: a pod name without its two Kubernetes hash segments. */
export function serviceOfPod(pod: string): string {
  return pod.split('-').slice(0, -2).join('-');
}

/** "2022-08-22 03:51:19.799087274 +0000 UTC m=+0.305041286" (Go time string) → epoch ms; NaN if not one. */
export function parseGoTime(text: string): number {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)?(?: ([+-])(\d\d)(\d\d))?/.exec(text.trim());
  if (m === null) return NaN;
  const frac = m[3] === undefined ? 0 : Number(`0${m[3]}`) * 1000;
  const offset = m[4] === undefined ? 0 : (m[4] === '-' ? -1 : 1) * (Number(m[5]) * 60 + Number(m[6])) * 60_000;
  return Date.parse(`${m[1]}T${m[2]}Z`) + Math.round(frac) - offset;
}

function readTable(file: string): Table {
  const records: string[][] = parse(readFileSync(file, 'utf8'), { skip_empty_lines: true });
  const [header, ...body] = records;
  if (header === undefined) throw new Error(`${file}: empty file`);
  // Pod files say `Time`, the per-edge files `time`: the same Go time strings.
  const timeCol = header.indexOf('Time') >= 0 ? header.indexOf('Time') : header.indexOf('time');
  if (timeCol < 0) throw new Error(`${file}:1: no Time column`);
  const rows: { t: number; v: number[] }[] = [];
  body.forEach((r, i) => {
    const t = parseGoTime(r[timeCol] ?? '');
    if (!Number.isFinite(t)) throw new Error(`${file}:${i + 2}:Time: not a Go time string: ${JSON.stringify(r[timeCol])}`);
    rows.push({ t, v: r.map((cell) => (cell.trim() === '' ? NaN : Number(cell))) });
  });
  rows.sort((a, b) => a.t - b.t);
  return { columns: header, rows };
}

function readEdges(file: string): [string, string][] {
  const records = parse<Record<string, string>>(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true });
  return records.map((r, i) => {
    if (r['Source'] === undefined || r['Target'] === undefined) throw new Error(`${file}:${i + 2}: needs Source and Target`);
    return [r['Source'], r['Target']];
  });
}

interface RawFault { inject_time?: string; inject_pod?: string; inject_type?: string }

function readFaults(file: string): Fault[] {
  const byHour = JSON.parse(readFileSync(file, 'utf8')) as Record<string, RawFault[]>;
  const out: Fault[] = [];
  for (const [hour, list] of Object.entries(byHour)) {
    list.forEach((f, i) => {
      const where = `${file}: hour ${hour}, fault ${i}`;
      const time = Date.parse(`${(f.inject_time ?? '').replace(' ', 'T')}Z`);
      if (!Number.isFinite(time)) throw new Error(`${where}: inject_time ${JSON.stringify(f.inject_time)} is not "YYYY-MM-DD HH:MM:SS"`);
      if (f.inject_pod === undefined || !FAULT_TYPES.includes(f.inject_type as FaultType)) throw new Error(`${where}: needs inject_pod and a known inject_type`);
      out.push({ time, pod: f.inject_pod, service: serviceOfPod(f.inject_pod), type: f.inject_type as FaultType });
    });
  }
  return out.sort((a, b) => a.time - b.time);
}

/** Load one day of `root` (the folder holding rca_data/ and trainticket-calls.csv). */
export function loadDay(root: string, day: string): NezhaDay {
  const dir = join(root, 'rca_data', day);
  const metric = join(dir, 'metric');
  const pods = readdirSync(metric)
    .filter((f) => f.endsWith('_metric.csv'))
    .sort()
    .map((f) => {
      const pod = f.slice(0, -'_metric.csv'.length);
      return { pod, service: serviceOfPod(pod), table: readTable(join(metric, f)) };
    });
  const ob = existsSync(join(metric, 'dependency.csv'));
  const edges = ob ? readEdges(join(metric, 'dependency.csv')) : readEdges(join(root, 'trainticket-calls.csv'));
  // Train Ticket's entry is a proxy in front of the gateway (every trace starts at the gateway, so
  // the trace-derived call graph cannot show it): declared here as an operator would.
  if (!ob) edges.push(['ts-ui-dashboard', 'ts-gateway-service']);
  return {
    day,
    system: ob ? 'online-boutique' : 'train-ticket',
    entry: ob ? 'frontend' : 'ts-ui-dashboard',
    pods,
    front: readTable(join(metric, 'front_service.csv')),
    edges,
    ...(ob && existsSync(join(metric, 'source_50.csv')) && existsSync(join(metric, 'destination_50.csv'))
      ? { edgeLatency: { source: readTable(join(metric, 'source_50.csv')), destination: readTable(join(metric, 'destination_50.csv')) } }
      : {}),
    faults: readFaults(join(dir, `${day}-fault_list.json`)),
  };
}
