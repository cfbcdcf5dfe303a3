import type { Store } from '../ports';
import type { Topology } from '../domain/types';

/**
 * Whether a service exists for the API: it is in the topology, or the store holds data of it
 * (points, changes or breakpoints) in [from, to). Services outside the topology still work as
 * long as their telemetry arrives; a typo gets a 404 instead of an empty answer.
 */
export async function serviceKnown(store: Store, topology: Topology, service: string, from: number, to: number): Promise<boolean> {
  if (topology.services.some((s) => s.name === service)) return true;
  const [changes, bps] = await Promise.all([store.queryChanges({ from, to, service }), store.queryBreakpoints({ from, to, service })]);
  if (changes.length > 0 || bps.length > 0) return true;
  const series = await store.queryPoints({ from, to, services: [service] });
  return series.length > 0;
}
