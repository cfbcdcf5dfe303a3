import type { Topology } from '../domain/types';
import type { TopologyGraph } from '../topology';
import { HEALTH, type MetricRule } from './golden';
import { badOf } from './features/lasting';
import type { Signal } from './signals';

const MIN = 60_000;
/** How strong a service's own move must be to stand in for a link nobody recorded. */
const STRONG = 0.5;

/**
 * Dependencies nobody declared or measured, inferred from timing. A service with no link at all
 * to the one asked about (none declared, no client series naming it) whose own latency, errors or
 * success turned bad at the moment the trouble began — within two sampling steps, at least a
 * minute — is most likely something it calls: topologies are sparse and clients go uninstrumented,
 * and two unrelated services rarely break in the same minute. Taken as a dependency of the
 * victim, so that its change is judged on its path like any other; services linked, however far,
 * are left as the topology says.
 */
export function coOnsetDependencies(graph: TopologyGraph, victim: string, byService: ReadonlyMap<string, readonly Signal[]>, onset: number | undefined, stepMs: number, rules: readonly MetricRule[]): string[] {
  if (onset === undefined) return [];
  const linked = graph.neighbours(victim, Infinity);
  const near = Math.max(2 * stepMs, MIN);
  const out: string[] = [];
  for (const [service, signals] of byService) {
    if (service === victim || linked.has(service)) continue;
    if (badOf(signals, rules, HEALTH).some(({ s }) => s.weight >= STRONG && Math.abs(s.time - onset) <= near)) out.push(service);
  }
  return out.sort();
}

/** `topology` with `victim` depending on each of `deps` as well. */
export function withDependencies(topology: Topology, victim: string, deps: readonly string[]): Topology {
  if (deps.length === 0) return topology;
  const has = topology.services.some((s) => s.name === victim);
  const services = topology.services.map((s) => (s.name === victim ? { ...s, dependsOn: [...new Set([...s.dependsOn, ...deps])] } : s));
  return { services: has ? services : [...services, { name: victim, team: '', dependsOn: [...deps], limits: {} }] };
}
