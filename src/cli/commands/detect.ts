import type { Command } from 'commander';
import { detectAll, groupSamples, type DetectorOptions } from '../../detect';
import type { Breakpoint, Topology } from '../../domain/types';
import { EpicenterError } from '../../errors';
import { EXIT_REJECTED, loadMetricFiles, loadTopologyFile, reportRejected } from '../io';
import type { Register } from './index';

export interface DetectCommandOptions {
  /** Metrics file: OTLP/JSON (NDJSON or one document), collectd JSON, or CSV `timestamp,value`. */
  input: string;
  /** Topology YAML: limits turn slopes into projected exhaustion times. */
  topology?: string;
  json?: boolean;
  /** A CSV series' owner. @default unknown */
  service?: string;
  /** A CSV series' metric name. @default the file's base name */
  metric?: string;
  /** Learn the daily profile (commander's `--no-seasonal` sets false). @default true */
  seasonal?: boolean;
}

export interface DetectCommandResult {
  readonly breakpoints: Breakpoint[];
  /** Every record rejected while reading the inputs (already described, file:line: field). */
  readonly rejected: EpicenterError[];
  readonly series: number;
  readonly points: number;
}

/** Read, decode, detect. Throws BAD_INPUT (exit 2) when a file cannot be read or gives no point; bad records are returned. */
export function runDetectCommand(o: DetectCommandOptions): DetectCommandResult {
  if (o.service?.trim() === '') throw new EpicenterError('BAD_REQUEST', 'is empty: name the service the CSV series belongs to', { origin: { field: '--service' } });
  const m = loadMetricFiles([o.input], { ...(o.service === undefined ? {} : { service: o.service }), ...(o.metric === undefined ? {} : { metric: o.metric }) });
  const rejected = m.rejected;
  let topology: Topology | undefined;
  if (o.topology !== undefined) {
    const t = loadTopologyFile(o.topology);
    topology = t.topology;
    for (const e of t.rejected) rejected.push(e);
  }
  const series = groupSamples(m.samples);
  const opts: Partial<DetectorOptions> = o.seasonal === false ? { seasonal: false } : {};
  const breakpoints = detectAll(series, opts, topology);
  return { breakpoints, rejected, series: series.length, points: m.samples.length };
}

const iso = (t: number): string => new Date(t).toISOString();

/** The JSON document printed by `--json`. */
export function detectJson(r: DetectCommandResult): string {
  const breakpoints = r.breakpoints.map((b) => ({
    series: b.series.id,
    metric: b.series.metric,
    service: b.series.service,
    labels: b.series.labels,
    time: iso(b.time),
    detectedAt: iso(b.detectedAt),
    kind: b.kind,
    before: b.before,
    after: b.after,
    magnitude: b.magnitude,
    confidence: b.confidence,
    ...(b.limit === undefined ? {} : { limit: b.limit }),
    ...(b.exhaustionAt === undefined ? {} : { exhaustionAt: iso(b.exhaustionAt) }),
  }));
  return `${JSON.stringify({ breakpoints, rejected: r.rejected.length }, null, 2)}\n`;
}

/** Three significant digits, no exponent for everyday sizes. */
function num(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e6 || a < 1e-3 ? x.toExponential(2) : String(Number(x.toPrecision(3)));
}

/** One compact table per series with breakpoints, then a summary line. */
export function detectText(r: DetectCommandResult): string {
  const bySeries = new Map<string, Breakpoint[]>();
  for (const b of r.breakpoints) {
    const list = bySeries.get(b.series.id);
    if (list === undefined) bySeries.set(b.series.id, [b]);
    else list.push(b);
  }
  const lines: string[] = [];
  for (const [id, bs] of bySeries) {
    lines.push(`${id}  (service ${bs[0]!.series.service})`);
    const rows = bs.map((b) => [
      iso(b.time),
      b.kind,
      `${num(b.before.level)} ${b.before.slope >= 0 ? '+' : ''}${num(b.before.slope)}/h`,
      `${num(b.after.level)} ${b.after.slope >= 0 ? '+' : ''}${num(b.after.slope)}/h`,
      `${num(b.magnitude)}σ`,
      b.confidence.toFixed(2),
      b.exhaustionAt === undefined ? (b.limit === undefined ? '' : `limit ${b.limit}: not heading there`) : `limit ${b.limit!} at ${iso(b.exhaustionAt)}`,
    ]);
    const head = ['time (first sample of new regime)', 'kind', 'before (level slope)', 'after', 'size', 'conf', 'exhaustion'];
    const widths = head.map((h, i) => rows.reduce((m, row) => Math.max(m, row[i]!.length), h.length));
    const fmt = (row: string[]): string => `  ${row.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
    lines.push(fmt(head));
    for (const row of rows) lines.push(fmt(row));
    lines.push('');
  }
  lines.push(`${r.series} series, ${r.points} points, ${r.breakpoints.length} breakpoints, ${r.rejected.length} records rejected`);
  return `${lines.join('\n')}\n`;
}

export const registerDetect: Register = (program: Command) => {
  program
    .command('detect')
    .description('Find trend breakpoints (level shifts, slope changes, variance changes) in every series of a metrics file')
    .requiredOption('--input <file>', 'metrics file: OTLP/JSON (NDJSON or document), collectd JSON, or CSV timestamp,value')
    .option('--topology <file>', 'topology YAML; limits give projected exhaustion times')
    .option('--service <name>', 'the service a CSV series belongs to (default: unknown)')
    .option('--metric <name>', "a CSV series' metric name (default: the file's base name)")
    .option('--json', 'print JSON: {"breakpoints":[…], "rejected": n}')
    .option('--no-seasonal', 'do not learn an hour-of-day profile (short files: slow leaks are judged from the start)')
    .action((o: DetectCommandOptions) => {
      const r = runDetectCommand(o);
      process.stdout.write(o.json === true ? detectJson(r) : detectText(r));
      reportRejected(r.rejected);
      if (r.rejected.length > 0) process.exitCode = EXIT_REJECTED;
    });
};
