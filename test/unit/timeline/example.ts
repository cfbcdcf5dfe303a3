import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFromStore } from '../../../src/app/analyze';
import { createRateState, decodeCloudEvents, decodeMetricsFile, decodeTopology } from '../../../src/formats';
import { MemoryStore } from '../../../src/store/memory';
import { renderTimeline, type RenderedTimeline } from '../../../src/timeline/render';

/** The bundled incident (examples/incident), as `epicenter timeline` with no arguments renders it. */
export const EXAMPLE_DIR = join(__dirname, '..', '..', '..', 'examples', 'incident');

interface Truth {
  service: string;
  alert: string;
  at: number;
  windowMs: number;
  afterMs: number;
  metric: string;
  limit: number;
  cause: { id: string; time: number };
}

export const truth = JSON.parse(readFileSync(join(EXAMPLE_DIR, 'truth.json'), 'utf8')) as Truth;

let cached: Promise<RenderedTimeline> | undefined;

/** Decode the example's files into a MemoryStore, analyse and render (once per test run). */
export function exampleTimeline(): Promise<RenderedTimeline> {
  cached ??= (async () => {
    const store = new MemoryStore();
    const read = (f: string): string => readFileSync(join(EXAMPLE_DIR, f), 'utf8');
    await store.insertPoints(decodeMetricsFile(read('metrics.ndjson'), { file: 'metrics.ndjson' }, createRateState()).values);
    await store.insertChanges(decodeCloudEvents(read('changes.ndjson'), { file: 'changes.ndjson' }).values);
    const topology = decodeTopology(read('topology.yaml'), { file: 'topology.yaml' }).topology;
    const q = { service: truth.service, at: truth.at, windowMs: truth.windowMs, afterMs: truth.afterMs, alert: { name: truth.alert, startsAt: truth.at } };
    return renderTimeline(store, topology, q, analyzeFromStore, { chartJs: '', annotationPlugin: '' });
  })();
  return cached;
}
