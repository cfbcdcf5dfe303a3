import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChangeEvent, Topology } from '../../../src/domain/types';
import { createRateState, decodeCloudEvents, decodeMetricsFile, decodeTopology } from '../../../src/formats';
import { MemoryStore } from '../../../src/store/memory';

/** The bundled incident (examples/incident) in a MemoryStore: its metrics, and its changes except `without`. */
export const INCIDENT = join(__dirname, '../../../examples/incident');
export const TRUTH = JSON.parse(readFileSync(join(INCIDENT, 'truth.json'), 'utf8')) as { at: number; windowMs: number; afterMs: number; service: string; cause: { id: string; time: number } };

export async function incidentStore(without: readonly string[]): Promise<{ store: MemoryStore; topology: Topology; changes: ChangeEvent[] }> {
  const store = new MemoryStore();
  const samples = decodeMetricsFile(readFileSync(join(INCIDENT, 'metrics.ndjson'), 'utf8'), { file: 'metrics.ndjson' }, createRateState()).values;
  await store.insertPoints(samples);
  const changes = decodeCloudEvents(readFileSync(join(INCIDENT, 'changes.ndjson'), 'utf8'), { file: 'changes.ndjson' }).values.filter((c) => !without.includes(c.id));
  await store.insertChanges(changes);
  const topology = decodeTopology(readFileSync(join(INCIDENT, 'topology.yaml'), 'utf8'), { file: 'topology.yaml' }).topology;
  return { store, topology, changes };
}
