import { baselineAt, hourOfDay } from './model';
import type { Coupling, SeriesModel, ServiceModel, Snapshot } from './types';
import { pushTo } from './util';

/** Lookups over a snapshot, built once per prediction (O(series)). */
export interface SnapIndex {
  readonly snap: Snapshot;
  readonly now: number;
  readonly svc: ReadonlyMap<string, ServiceModel>;
  readonly seriesOf: ReadonlyMap<string, readonly SeriesModel[]>;
  readonly callers: ReadonlyMap<string, readonly string[]>;
  /** Connection series per edge `${caller}>${callee}`. */
  readonly edges: ReadonlyMap<string, readonly SeriesModel[]>;
  readonly coupling: ReadonlyMap<string, Coupling>;
  instances(s: string): number;
  /** Fleet load index at t (1 without a profile). */
  load(t: number): number;
}

export const couplingKey = (kind: string, service: string, metric: string, peer?: string): string => `${kind}\u0000${service}\u0000${metric}\u0000${peer ?? ''}`;

const INDEXES = new WeakMap<Snapshot, SnapIndex>();

/** The index of a snapshot, built once per snapshot object (a server answers many proposals on one). */
export function indexSnapshot(snap: Snapshot): SnapIndex {
  let ix = INDEXES.get(snap);
  if (ix === undefined) INDEXES.set(snap, (ix = buildIndex(snap)));
  return ix;
}

function buildIndex(snap: Snapshot): SnapIndex {
  const svc = new Map(snap.services.map((s) => [s.name, s]));
  const seriesOf = new Map<string, SeriesModel[]>();
  const edges = new Map<string, SeriesModel[]>();
  const coupling = new Map(snap.couplings.map((c) => [couplingKey(c.kind, c.service, c.metric, c.peer), c]));
  for (const m of splitPeerless(snap, coupling)) {
    pushTo(seriesOf, m.service, m);
    if (m.role === 'connections' && m.peer !== undefined) pushTo(edges, `${m.service}>${m.peer}`, m);
  }
  const callers = new Map<string, string[]>();
  for (const s of snap.services) for (const d of s.deps) pushTo(callers, d, s.name);
  return {
    snap, now: snap.to, svc, seriesOf, callers, edges, coupling,
    instances: (s) => svc.get(s)?.instances ?? 1,
    load: (t) => snap.load?.[hourOfDay(t)] ?? 1,
  };
}

/** Value of a coupling's driver at t: the service's own traffic series or the fleet load. */
export function driverAt(ix: SnapIndex, c: Coupling, t: number): number {
  if (c.driver === 'fleet load index') return ix.load(t);
  const traffic = (ix.seriesOf.get(c.service) ?? []).find((m) => m.role === 'traffic');
  return traffic === undefined ? ix.load(t) : baselineAt(traffic, ix.now, t);
}

/**
 * Connection series that name no peer (a fleet without `server.address`) split evenly over the
 * service's declared dependencies, their couplings likewise, so the call graph can still be
 * followed; `splitPeers` says which were split (an assumption of every prediction that uses them).
 */
function splitPeerless(snap: Snapshot, coupling: Map<string, Coupling>): SeriesModel[] {
  const deps = new Map(snap.services.map((s) => [s.name, s.deps]));
  const out: SeriesModel[] = [];
  for (const m of snap.series) {
    const ds = deps.get(m.service) ?? [];
    if (m.role !== 'connections' || m.peer !== undefined || ds.length === 0) {
      out.push(m);
      continue;
    }
    const k = ds.length;
    const c = coupling.get(couplingKey('conns~traffic', m.service, m.metric));
    for (const peer of ds) {
      out.push({ ...m, peer, level: m.level / k, peak: m.peak / k, noise: m.noise / k, profile: m.profile === null ? null : m.profile.map((x) => x / k), split: k });
      if (c !== undefined) coupling.set(couplingKey(c.kind, c.service, c.metric, peer), { ...c, peer, slope: c.slope / k, intercept: c.intercept / k });
    }
  }
  return out;
}
