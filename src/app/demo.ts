import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Config } from '../config/schema';
import type { MetricRule } from '../correlate';
import { EpicenterError } from '../errors';
import { decodeTopology } from '../formats';
import type { StoredAnalysis } from '../ports';
import { parseTruthJson, type TruthFile } from '../sim';
import { MemoryStore } from '../store/memory';
import { analyzeFromStore } from './analyze';
import { metricTexts, type ReadLimits } from './files';
import { metricRulesOf, strictMetricRules } from './metric-names';
import { createEmbeddedRuntime, type EmbeddedSummary } from './embedded';
import { startHttp, type HttpHandle } from './http';

export interface DemoResult {
  /** The question the incident asks (truth.json) and, separately, its ground truth for the printout. */
  readonly incident: TruthFile;
  readonly summary: EmbeddedSummary;
  readonly analysis: StoredAnalysis;
  readonly store: MemoryStore;
  /** Serve the HTTP API over the replayed store (once); EADDRINUSE and the like reject. */
  serve(): Promise<HttpHandle>;
  close(): Promise<void>;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new EpicenterError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`, { origin: { file } });
  }
}

/**
 * A folder `simulate` wrote for a shop's own metric names holds the rules that explain them
 * (metrics.yaml, what `analyze --metric-names` is given); without them those series are not read as
 * golden signals and the planted cause scored under 1 % where analyze gave it 98 %. A configured
 * analysis.metricNamesFile still wins.
 */
function folderMetricRules(cfg: Readonly<Config>, dir: string): readonly MetricRule[] {
  const own = join(dir, 'metrics.yaml');
  if (cfg.analysis.metricNamesFile !== undefined || !existsSync(own)) return metricRulesOf(cfg);
  return strictMetricRules(own, `${dir}: metrics.yaml`);
}

/**
 * The embedded default behind `npm start`: replays a bundled incident folder (metrics.ndjson,
 * changes.ndjson, topology.yaml, truth.json) through the same pipeline `epicenter run` uses — the
 * in-process bus instead of Kafka, the in-memory store instead of ClickHouse — then asks the
 * correlator about the paged service. Serving the HTTP API over that store is a separate step, so the
 * report can be printed first whatever happens to the port.
 */
export async function runDemo(p: { cfg: Readonly<Config>; dir: string; readLimits?: ReadLimits }): Promise<DemoResult> {
  const truthFile = join(p.dir, 'truth.json');
  const incident = parseTruthJson(read(truthFile), truthFile);
  const topoFile = join(p.dir, 'topology.yaml');
  const { topology, errors } = decodeTopology(read(topoFile), { file: topoFile });
  if (errors.length > 0) throw errors[0] as EpicenterError;

  const store = new MemoryStore();
  const runtime = createEmbeddedRuntime({ store, topology });
  for (const name of ['changes.ndjson', 'metrics.ndjson']) {
    const file = join(p.dir, name);
    if (name.startsWith('changes')) runtime.ingestChanges(read(file), { file });
    // In pieces when the file is longer than one string can be (`simulate --services 1000`).
    else for (const { text, line } of metricTexts(file, p.readLimits)) runtime.ingestMetrics(text, line === 1 ? { file } : { file, line });
  }
  const summary = await runtime.drain();
  const metricRules = folderMetricRules(p.cfg, p.dir);
  const analysis = await analyzeFromStore(store, topology, { service: incident.service, at: incident.at, windowMs: incident.windowMs, afterMs: incident.afterMs, metricRules });

  let http: HttpHandle | undefined;
  return {
    incident,
    summary,
    analysis,
    store,
    async serve() {
      if (http !== undefined) return http;
      const log = pino({ level: p.cfg.log.level === 'info' ? 'warn' : p.cfg.log.level }, pino.destination(2));
      http = await startHttp({ cfg: p.cfg, store, topology, changes: runtime.changes, log, metricRules });
      return http;
    },
    async close() {
      await http?.close();
      await runtime.close();
      await store.close();
    },
  };
}
