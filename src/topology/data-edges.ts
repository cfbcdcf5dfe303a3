import type { Topology } from '../domain/types';
import type { SeriesData } from '../ports';
import { peerService } from './peer';

/**
 * Calls seen in the data: a series of service A naming a peer B (`server.address`, `peer.service`,
 * a pool named after B…) is A's view of its calls to B, so A calls B.
 */
export function dataEdges(series: readonly SeriesData[], known: ReadonlySet<string>): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const s of series) {
    const peer = peerService(s.series.labels, known, s.series.service);
    if (peer === undefined) continue;
    const key = `${s.series.service}\u0000${peer}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([s.series.service, peer]);
  }
  return out;
}

/**
 * The declared topology joined with the edges seen in the data: a missing declared edge (or a
 * topology with no `dependsOn` at all) is filled in from the telemetry; declared edges are kept.
 */
export function withDataEdges(topology: Topology, series: readonly SeriesData[], known: ReadonlySet<string>): Topology {
  const extra = dataEdges(series, known);
  if (extra.length === 0) return topology;
  const deps = new Map<string, Set<string>>();
  for (const [a, b] of extra) deps.set(a, (deps.get(a) ?? new Set()).add(b));
  const services = topology.services.map((n) => {
    const add = deps.get(n.name);
    deps.delete(n.name);
    return add === undefined ? n : { ...n, dependsOn: [...new Set([...n.dependsOn, ...add])] };
  });
  for (const [name, add] of deps) services.push({ name, team: '', dependsOn: [...add], limits: {} });
  return { services };
}
