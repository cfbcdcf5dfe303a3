import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { EpicenterError } from '../../errors';
import { MECHANISMS, STORIES, otlpNdjsonLines, simulate, writeCloudEventsNdjson, writeTopologyYaml, writeTruthJson, writeMetricRulesYaml, type Mechanism, type Scenario, type Story } from '../../sim';
import { writeLinesFile } from '../io';
import type { Register } from './index';

export interface SimulateCommandOptions {
  out: string;
  count?: string;
  seed?: string;
  mechanism?: string;
  story?: string;
  services?: string;
  varied?: boolean;
  quiet?: boolean;
}

function int(s: string | undefined, what: string, dflt: number): number {
  if (s === undefined) return dflt;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new EpicenterError('BAD_REQUEST', `--${what}: '${s}' is not a non-negative integer`, { origin: { field: what } });
  return n;
}

/** Write one scenario's files: metrics.ndjson (OTLP/JSON), changes.ndjson (CloudEvents), topology.yaml, truth.json. */
export function writeScenario(dir: string, sc: Scenario): string {
  const d = join(dir, sc.id);
  mkdirSync(d, { recursive: true });
  // Line by line: a large world's metrics do not fit in one string.
  writeLinesFile(join(d, 'metrics.ndjson'), otlpNdjsonLines(sc));
  writeFileSync(join(d, 'changes.ndjson'), writeCloudEventsNdjson(sc.changes));
  writeFileSync(join(d, 'topology.yaml'), writeTopologyYaml(sc.topology));
  writeFileSync(join(d, 'truth.json'), writeTruthJson(sc.truth));
  // A shop's own metric names come with the rules that explain them: `epicenter analyze --metric-names <dir>/metrics.yaml`.
  const rules = writeMetricRulesYaml(sc.metricRules);
  if (rules !== '') writeFileSync(join(d, 'metrics.yaml'), rules);
  return d;
}

export function runSimulateCommand(o: SimulateCommandOptions): string[] {
  const count = int(o.count, 'count', 1);
  const seed = int(o.seed, 'seed', 1);
  if (o.mechanism !== undefined && !(MECHANISMS as readonly string[]).includes(o.mechanism)) {
    throw new EpicenterError('BAD_REQUEST', `--mechanism: '${o.mechanism}' is not one of ${MECHANISMS.join(', ')}`, { origin: { field: 'mechanism' } });
  }
  if (o.story !== undefined && !(STORIES as readonly string[]).includes(o.story)) {
    throw new EpicenterError('BAD_REQUEST', `--story: '${o.story}' is not one of ${STORIES.join(', ')}`, { origin: { field: 'story' } });
  }
  const dirs: string[] = [];
  for (let i = 0; i < count; i++) {
    const opts = { seed: seed + i, ...(o.mechanism === undefined ? {} : { mechanism: o.mechanism as Mechanism }), ...(o.story === undefined ? {} : { story: o.story as Story }), ...(o.services === undefined ? {} : { services: int(o.services, 'services', 12) }), varied: o.varied === true };
    const d = writeScenario(o.out, simulate(opts));
    dirs.push(d);
    if (o.quiet !== true) process.stdout.write(`${d}\n`);
  }
  return dirs;
}

export const registerSimulate: Register = (program: Command) => {
  program
    .command('simulate')
    .description('Write simulated incidents (OTLP metrics, CloudEvents changes, topology, truth) for testing and what-ifs')
    .requiredOption('--out <dir>', 'output folder; each scenario goes to <dir>/<scenario-id>/')
    .option('--count <n>', 'number of scenarios (consecutive seeds)', '1')
    .option('--seed <s>', 'first seed', '1')
    .option('--mechanism <name>', `planted cause: ${MECHANISMS.join(', ')} (default: drawn from the seed)`)
    .option('--story <name>', `a fixed story instead of a random world: ${STORIES.join(', ')}`)
    .option('--services <n>', 'number of services (default: drawn in 8..40)')
    .option('--varied', 'draw what real systems vary from the seed: metric names, step, history, deploy style, sparse topology, golden signals only, simultaneous releases, early page')
    .action((opts: SimulateCommandOptions) => {
      runSimulateCommand(opts);
    });
};
