import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Config } from '../config/schema';
import { EpicenterError } from '../errors';
import { decodeTopology } from '../formats';
import type { StoredAnalysis } from '../ports';
import { MemoryStore } from '../store/memory';
import { analyzeFromStore } from './analyze';
import { createEmbeddedRuntime, type EmbeddedSummary } from './embedded';
import { startHttp, type HttpHandle } from './http';

/** The question a bundled incident asks (and, separately, its ground truth for the printout). */
interface IncidentFile {
  readonly service: string;
  readonly alert?: string;
  readonly at: number;
  readonly windowMs: number;
  readonly afterMs: number;
  readonly cause?: { readonly id: string; readonly service: string; readonly team: string; readonly type: string };
}

export interface DemoResult {
  readonly incident: IncidentFile;
  readonly summary: EmbeddedSummary;
  readonly analysis: StoredAnalysis;
  readonly store: MemoryStore;
  readonly http?: HttpHandle;
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
 * The embedded default behind `npm start`: replays a bundled incident folder (metrics.ndjson,
 * changes.ndjson, topology.yaml, truth.json) through the same pipeline `epicenter run` uses — the
 * in-process bus instead of Kafka, the in-memory store instead of ClickHouse — then asks the
 * correlator about the paged service, and optionally serves the HTTP API over that store.
 */
export async function runDemo(p: { cfg: Readonly<Config>; dir: string; serve: boolean }): Promise<DemoResult> {
  const incident = JSON.parse(read(join(p.dir, 'truth.json'))) as IncidentFile;
  const topoFile = join(p.dir, 'topology.yaml');
  const { topology, errors } = decodeTopology(read(topoFile), { file: topoFile });
  if (errors.length > 0) throw errors[0] as EpicenterError;

  const store = new MemoryStore();
  const runtime = createEmbeddedRuntime({ store, topology });
  for (const name of ['changes.ndjson', 'metrics.ndjson']) {
    const file = join(p.dir, name);
    if (name.startsWith('changes')) runtime.ingestChanges(read(file), { file });
    else runtime.ingestMetrics(read(file), { file });
  }
  const summary = await runtime.drain();
  const analysis = await analyzeFromStore(store, topology, { service: incident.service, at: incident.at, windowMs: incident.windowMs, afterMs: incident.afterMs });

  let http: HttpHandle | undefined;
  if (p.serve) {
    const log = pino({ level: p.cfg.log.level === 'info' ? 'warn' : p.cfg.log.level }, pino.destination(2));
    http = await startHttp({ cfg: p.cfg, store, topology, changes: runtime.changes, log });
  }
  return {
    incident,
    summary,
    analysis,
    store,
    ...(http === undefined ? {} : { http }),
    async close() {
      await http?.close();
      await runtime.close();
      await store.close();
    },
  };
}
