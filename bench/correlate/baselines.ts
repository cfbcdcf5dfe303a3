import type { ChangeEvent, Topology } from '../../src/domain/types';
import { buildGraph } from '../../src/topology';

/** Naive baseline 1: the most recent change of the victim itself before `at`. */
export function lastOwnChange(changes: readonly ChangeEvent[], victim: string, at: number): ChangeEvent[] {
  return changes.filter((c) => c.service === victim && c.time <= at).sort((a, b) => b.time - a.time);
}

/** Naive baseline 2: the most recent change among the victim and its direct neighbours before `at`. */
export function lastNearbyChange(changes: readonly ChangeEvent[], topology: Topology, victim: string, at: number): ChangeEvent[] {
  const g = buildGraph(topology);
  const near = new Set([victim, ...g.callers(victim), ...g.callees(victim)]);
  return changes.filter((c) => near.has(c.service) && c.time <= at).sort((a, b) => b.time - a.time);
}
