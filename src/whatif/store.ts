import type { Topology } from '../domain/types';
import type { Store } from '../ports';
import { buildSnapshot } from './snapshot';
import type { Snapshot } from './types';

const DAY = 86_400_000;

/**
 * A snapshot from what `epicenter run` stored: points of the last `days` before `until`, and the
 * change log of the same window. Stored change events keep no quantities, so the impact catalogue
 * measures effects but cannot learn elasticities of settings.
 */
export async function snapshotFromStore(store: Store, topology: Topology, o: { until: number; days: number }): Promise<Snapshot> {
  const from = o.until - o.days * DAY;
  const [series, changes] = await Promise.all([store.queryPoints({ from, to: o.until }), store.queryChanges({ from, to: o.until })]);
  return buildSnapshot({ series, changes: changes.map((change) => ({ change, quantities: {} })), topology, until: o.until, days: o.days });
}
