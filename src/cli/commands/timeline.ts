import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { analyzeFromStore } from '../../app/analyze';
import { metricRulesOf, strictMetricRules } from '../../app/metric-names';
import { createClickHouseStore } from '../../clickhouse/store';
import { loadConfig } from '../../config/load';
import type { Topology } from '../../domain/types';
import { EpicenterError } from '../../errors';
import { bundled } from '../../app/paths';
import { groupSamples } from '../../detect';
import type { Store } from '../../ports';
import { parseTruthJson } from '../../sim';
import { MemoryStore } from '../../store/memory';
import { fmtStamp, renderTimeline, type TimelineAlert } from '../../timeline';
import { EXIT_REJECTED, loadChangeFiles, loadMetricFiles, loadServiceTopology, loadTopologyFile, readText, reportRejected } from '../io';
import { checkService, checkServiceInStore, servicesIn } from '../service';
import { parseDurationArg, parseTimeArg } from '../args';
import type { Register } from './index';

/** The bundled story incident, used when no input is given (found from the package root, whatever the cwd). */
export const EXAMPLE_DIR = bundled('examples', 'incident');

export interface TimelineCommandOptions {
  service?: string;
  /** ISO 8601 (UTC when no zone) or epoch seconds/ms. */
  at?: string;
  /** @default ./out */
  out?: string;
  metrics?: string[];
  changes?: string[];
  topology?: string;
  source?: string;
  /** Look-back before `at`, e.g. `6h`. @default config analysis.windowMs */
  window?: string;
  /** Look-ahead after `at`, e.g. `1h`. @default config analysis.afterMs */
  after?: string;
  /** Name of the alert that paged; it is taken to start at `at`. */
  alert?: string;
  /** When the alert resolved (same formats as `at`). */
  alertEnd?: string;
  config?: string[];
  /** A shop's own metric names as golden signals (rules file). @default config analysis.metricNamesFile */
  metricNames?: string;
  /** Print nothing (tests). */
  quiet?: boolean;
  /** Where the default inputs live (tests). @default examples/incident */
  exampleDir?: string;
}

export interface TimelineCommandResult {
  readonly markdown: string;
  readonly html: string;
  /** Input records rejected while loading files. */
  readonly rejected: number;
}

export { parseTimeArg, parseDurationArg } from '../args';

interface ExampleDefaults {
  service?: string;
  at?: string;
  alert?: string;
  windowMs?: number;
  afterMs?: number;
}

/** The example's truth.json as defaults: the service in trouble, the alert and its time, the suggested window. */
function exampleDefaults(dir: string): ExampleDefaults {
  const file = join(dir, 'truth.json');
  if (!existsSync(file)) return {};
  const t = parseTruthJson(readText(file), file);
  return { service: t.service, at: String(t.at), windowMs: t.windowMs, afterMs: t.afterMs, ...(t.alert === undefined ? {} : { alert: t.alert }) };
}

/** Load metric, change and topology files into a fresh MemoryStore; rejected records are collected, not fatal. */
async function loadFiles(metrics: readonly string[], changeFiles: readonly string[], topologyFile: string, service: string): Promise<{ store: Store; topology: Topology; rejected: EpicenterError[] }> {
  const store = new MemoryStore();
  // A CSV file holds one series without a service: it belongs to the service asked about.
  const m = loadMetricFiles(metrics, { service });
  const c = loadChangeFiles(changeFiles);
  const { topology, rejected } = loadTopologyFile(topologyFile);
  for (const e of [...m.rejected, ...c.rejected]) rejected.push(e);
  checkService(service, servicesIn(topology, groupSamples(m.samples), c.changes), 'the metrics, changes or topology given');
  await store.insertPoints(m.samples);
  await store.insertChanges(c.changes);
  return { store, topology, rejected };
}

/**
 * Writes `<outDir>/<kind>-<name>-<UTC stamp of at>.md` and `.html`; returns the path without the
 * extension. A folder that cannot be written is one line naming it (exit 2).
 */
export function writePage(outDir: string, kind: string, name: string, at: number, r: { markdown: string; html: string }): string {
  const dir = resolve(outDir);
  const base = join(dir, `${kind}-${name.replace(/[^A-Za-z0-9._-]/g, '_')}-${fmtStamp(at)}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${base}.md`, r.markdown);
    writeFileSync(`${base}.html`, r.html);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new EpicenterError('BAD_INPUT', `cannot write the timeline to ${err.path ?? dir} (${err.code ?? err.message})`, { origin: { field: '--out' } });
  }
  return base;
}

/**
 * What `epicenter timeline` does: gather inputs (files into a MemoryStore, or ClickHouse), analyse,
 * render, and write `<out>/timeline-<service>-<UTC stamp>.md` and `.html`. Returns the paths.
 */
export async function runTimelineCommand(o: TimelineCommandOptions): Promise<TimelineCommandResult> {
  const config = loadConfig(o.config);
  const fromFiles = o.source === undefined || o.source === 'files';
  if (!fromFiles && o.source !== 'clickhouse') throw new EpicenterError('BAD_REQUEST', `'${o.source}' is not one of files, clickhouse`, { origin: { field: '--source' } });
  const useExample = fromFiles && o.metrics === undefined && o.changes === undefined && o.topology === undefined;
  const exampleDir = o.exampleDir ?? EXAMPLE_DIR;
  const defaults: ExampleDefaults = useExample ? exampleDefaults(exampleDir) : {};
  const service = o.service ?? defaults.service;
  const atText = o.at ?? defaults.at;
  if (service === undefined || atText === undefined) throw new EpicenterError('BAD_REQUEST', 'timeline: --service and --at are required (or no inputs, for the bundled example incident)');
  const at = parseTimeArg(atText, 'at');
  const windowMs = o.window === undefined ? (defaults.windowMs ?? config.analysis.windowMs) : parseDurationArg(o.window, 'window');
  const afterMs = o.after === undefined ? (defaults.afterMs ?? config.analysis.afterMs) : parseDurationArg(o.after, 'after', true);
  const alertName = o.alert ?? defaults.alert;
  const alert: TimelineAlert | undefined =
    alertName === undefined ? undefined : { name: alertName, startsAt: at, ...(o.alertEnd === undefined ? {} : { endsAt: parseTimeArg(o.alertEnd, 'alert-end') }) };

  let store: Store;
  let topology: Topology;
  let rejected: EpicenterError[];
  if (fromFiles) {
    const dir = useExample ? exampleDir : undefined;
    const metrics = o.metrics ?? (dir === undefined ? [] : [join(dir, 'metrics.ndjson')]);
    const changes = o.changes ?? (dir === undefined ? [] : [join(dir, 'changes.ndjson')]);
    const topo = o.topology ?? (dir === undefined ? undefined : join(dir, 'topology.yaml'));
    if (topo === undefined || metrics.length === 0) throw new EpicenterError('BAD_REQUEST', 'timeline: file inputs need --metrics FILE… and --topology FILE (and usually --changes FILE)');
    ({ store, topology, rejected } = await loadFiles(metrics, changes, topo, service));
  } else {
    ({ topology, rejected } = loadServiceTopology(o.topology, config.topologyFile));
    store = await createClickHouseStore(config.clickhouse);
  }
  try {
    if (!fromFiles) await checkServiceInStore(store, topology, { service, at, windowMs, afterMs });
    // A shop's own metric names: --metric-names, else analysis.metricNamesFile, else the bundled config/metrics.yaml (as analyze).
    const metricRules = o.metricNames !== undefined ? strictMetricRules(o.metricNames, '--metric-names') : metricRulesOf(config);
    const r = await renderTimeline(store, topology, { service, at, windowMs, afterMs, ...(alert === undefined ? {} : { alert }) }, (s, t, req) => analyzeFromStore(s, t, { ...req, metricRules }));
    const base = writePage(o.out ?? 'out', 'timeline', service, at, r);
    if (o.quiet !== true) {
      reportRejected(rejected);
      process.stdout.write(`${base}.md\n${base}.html\n`);
    }
    return { markdown: `${base}.md`, html: `${base}.html`, rejected: rejected.length };
  } finally {
    await store.close();
  }
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export const registerTimeline: Register = (program: Command) => {
  program
    .command('timeline')
    .description('Write a postmortem timeline (Markdown + self-contained HTML with charts) for a service around a time')
    .option('--service <name>', 'the service in trouble (default: the example incident\'s)')
    .option('--at <time>', 'the time asked about: ISO 8601 (UTC if no zone), epoch s/ms, now, or -15m (before now)')
    .option('--out <dir>', 'output folder', 'out')
    .option('--metrics <file...>', 'metric files: OTLP/JSON (NDJSON), collectd JSON or CSV (a CSV series belongs to --service)')
    .option('--changes <file>', 'CloudEvents change file (NDJSON); repeatable', collect)
    .option('--topology <file>', 'topology YAML')
    .option('--source <source>', "'files' (default) or 'clickhouse'")
    .option('--window <duration>', 'look-back before --at, e.g. 6h (default: config analysis.windowMs)')
    .option('--after <duration>', 'look-ahead after --at, e.g. 1h (default: config analysis.afterMs)')
    .option('--alert <name>', 'the alert that paged (taken to start at --at)')
    .option('--alert-end <time>', 'when that alert resolved')
    .option('--metric-names <file>', 'your own metric names as golden signals (default: config/metrics.yaml when present)')
    .option('--config <file...>', 'config YAML files (default: config/default.yaml)')
    .action(async (opts: TimelineCommandOptions) => {
      const r = await runTimelineCommand(opts);
      if (r.rejected > 0) process.exitCode = EXIT_REJECTED;
    });
};
