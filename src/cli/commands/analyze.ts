import type { Command } from 'commander';
import { analyzeFromStore, type AnalysisRequest } from '../../app/analyze';
import { loadMetricNames } from '../../app/metric-names';
import { createClickHouseStore } from '../../clickhouse/store';
import { analyze, duration, hhmm, keyBreakpoints } from '../../correlate';
import { groupSamples } from '../../detect';
import { loadConfig } from '../../config/load';
import type { Config } from '../../config/schema';
import { confidencePct, CONFIDENT_SCORE } from '../../domain/text';
import type { Analysis, ChangeEvent, Topology } from '../../domain/types';
import { EpicenterError } from '../../errors';
import type { SeriesData } from '../../ports';
import { EXIT_REJECTED, loadChangeFiles, loadMetricFiles, loadServiceTopology, loadTopologyFile, reportRejected } from '../io';
import { checkService, checkServiceInStore, servicesIn } from '../service';
import type { Register } from './index';
import { parseDurationArg, parseTimeArg } from '../args';

export interface AnalyzeCommandOptions {
  metrics?: string[];
  changes?: string[];
  topology?: string;
  service: string;
  at: string;
  window?: string;
  after?: string;
  json?: boolean;
  source?: string;
  config?: string[];
  metricNames?: string;
}

async function fromClickHouse(o: AnalyzeCommandOptions, config: Readonly<Config>, topology: Topology, req: AnalysisRequest): Promise<{ analysis: Analysis; series: SeriesData[]; changes: ChangeEvent[] }> {
  const store = await createClickHouseStore(config.clickhouse);
  try {
    await checkServiceInStore(store, topology, req);
    const analysis = await analyzeFromStore(store, topology, req);
    const series = await store.queryPoints({ from: analysis.from, to: analysis.to, services: [o.service] });
    const changes = await store.queryChanges({ from: analysis.from, to: analysis.to });
    return { analysis, series, changes };
  } finally {
    await store.close();
  }
}

/** Run the command; returns the analysis, the series it saw, the changes (for summaries) and the rejected records. */
export async function runAnalyzeCommand(o: AnalyzeCommandOptions): Promise<{ analysis: Analysis; series: SeriesData[]; changes: ChangeEvent[]; rejected: EpicenterError[] }> {
  const config = loadConfig(o.config);
  if (o.service.trim() === '') checkService(o.service, [], 'the inputs');
  const at = parseTimeArg(o.at, 'at');
  const windowMs = o.window === undefined ? config.analysis.windowMs : parseDurationArg(o.window, 'window');
  const afterMs = o.after === undefined ? config.analysis.afterMs : parseDurationArg(o.after, 'after', true);
  if (o.source !== undefined && o.source !== 'files' && o.source !== 'clickhouse') throw new EpicenterError('BAD_REQUEST', `'${o.source}' is not one of files, clickhouse`, { origin: { field: '--source' } });
  const { topology, rejected } = o.source === 'clickhouse' ? loadServiceTopology(o.topology, config.topologyFile)
    : o.topology === undefined ? { topology: { services: [] } as Topology, rejected: [] as EpicenterError[] } : loadTopologyFile(o.topology);
  // A shop's own metric names (golden signals): --metric-names, else analysis.metricNamesFile, else the bundled config/metrics.yaml.
  const names = o.metricNames !== undefined ? loadMetricNames(o.metricNames, '--metric-names') : loadMetricNames(config.analysis.metricNamesFile, 'analysis.metricNamesFile');
  for (const e of names.errors) rejected.push(e);
  const req = { service: o.service, at, windowMs, afterMs, metricRules: names.rules };
  if (o.source === 'clickhouse') return { ...(await fromClickHouse(o, config, topology, req)), rejected };
  if (o.metrics === undefined || o.metrics.length === 0) throw new EpicenterError('BAD_REQUEST', 'analyze: --metrics FILE… is required (or --source clickhouse)', { origin: { field: '--metrics' } });
  // A CSV file holds one series without a service: it belongs to the service asked about.
  const m = loadMetricFiles(o.metrics, { service: o.service });
  const c = loadChangeFiles(o.changes ?? []);
  for (const e of [...m.rejected, ...c.rejected]) rejected.push(e);
  const series = groupSamples(m.samples);
  const changes = c.changes;
  checkService(o.service, servicesIn(topology, series, changes), 'the metrics, changes or topology given');
  return { analysis: analyze({ ...req, series, changes, topology }), series, changes, rejected };
}

/** {"suspects":[{id, service, team, type, time (ISO), score, evidence}]} */
export function analysisJson(a: Analysis): string {
  return JSON.stringify({ suspects: a.suspects.map((s) => ({ id: s.id, service: s.service, team: s.team, type: s.type, time: new Date(s.time).toISOString(), score: Math.round(s.score * 1e4) / 1e4, evidence: s.evidence })) });
}

/** The 3 a.m. report: top suspect first, confidence as %, team, time before onset, evidence, the victim's key breakpoints. */
export function analysisReport(a: Analysis, series: readonly SeriesData[], changes: readonly ChangeEvent[], top = 5): string {
  const out: string[] = [];
  const key = keyBreakpoints(a, series);
  out.push(`${a.service}: analysis of ${hhmm(a.from)}–${hhmm(a.to)} UTC, page at ${hhmm(a.at)} UTC (${new Date(a.at).toISOString().slice(0, 10)})`);
  out.push('');
  const first = a.suspects[0];
  if (first === undefined) out.push('No change in the window to blame.');
  else if (first.score >= CONFIDENT_SCORE) out.push(`Most likely cause: ${first.type} of ${first.service} (team ${first.team}), ${confidencePct(first.score)}.`, '');
  else out.push(`No clear cause: no recorded change explains the trouble well (the first suspect is at ${confidencePct(first.score)}).`, '');
  const byId = new Map(changes.map((c) => [c.id, c]));
  a.suspects.slice(0, top).forEach((s, i) => {
    const pct = confidencePct(s.score);
    const c = byId.get(s.id);
    out.push(`#${i + 1}  ${pct.padStart(4)}  ${s.type} of ${s.service} (team ${s.team}) at ${hhmm(s.time)}, ${duration(a.at - s.time)} before the page`);
    if (c?.summary !== undefined) out.push(`         "${c.summary}"  [${s.id}]`);
    else out.push(`         [${s.id}]`);
    for (const e of s.evidence.slice(0, i === 0 ? 4 : 3)) out.push(`       - ${e}`);
    out.push('');
  });
  if (key.length > 0) {
    out.push(`Key breakpoints of ${a.service}:`);
    for (const k of key) out.push(`  - ${k}`);
  }
  return `${out.join('\n')}\n`;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export const registerAnalyze: Register = (program: Command) => {
  program
    .command('analyze')
    .description('Rank the changes most likely causing a service\'s trouble, with confidence and evidence')
    .requiredOption('--service <name>', 'the service in trouble')
    .requiredOption('--at <time>', 'the time asked about (page/alert): ISO 8601 (UTC if no zone), epoch s/ms, now, or -15m (before now)')
    .option('--metrics <file...>', 'metric files: OTLP/JSON (NDJSON or document), collectd JSON or CSV (a CSV series belongs to --service)')
    .option('--changes <file>', 'CloudEvents change file (NDJSON or JSON array); repeatable', collect)
    .option('--topology <file>', 'topology YAML (default with --source clickhouse: config topologyFile)')
    .option('--metric-names <file>', 'your own metric names as golden signals (default: config/metrics.yaml when present)')
    .option('--window <duration>', 'look-back before --at, e.g. 6h (default: config analysis.windowMs)')
    .option('--after <duration>', 'look-ahead after --at, e.g. 1h (default: config analysis.afterMs)')
    .option('--source <source>', "'files' (default) or 'clickhouse'")
    .option('--json', 'print {"suspects":[…]} instead of the report')
    .option('--config <file...>', 'config YAML files (default: config/default.yaml)')
    .action(async (opts: AnalyzeCommandOptions) => {
      const r = await runAnalyzeCommand(opts);
      reportRejected(r.rejected);
      process.stdout.write(opts.json === true ? `${analysisJson(r.analysis)}\n` : analysisReport(r.analysis, r.series, r.changes));
      if (r.rejected.length > 0) process.exitCode = EXIT_REJECTED;
    });
};
