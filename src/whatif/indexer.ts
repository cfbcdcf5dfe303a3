import { baselineAt, hourOfDay } from './model';
import type { Coupling, SeriesModel, ServiceModel, Snapshot } from './types';

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

export function indexSnapshot(snap: Snapshot): SnapIndex {
  const svc = new Map(snap.services.map((s) => [s.name, s]));
  const seriesOf = new Map<string, SeriesModel[]>();
  const edges = new Map<string, SeriesModel[]>();
  for (const m of snap.series) {
    let l = seriesOf.get(m.service);
    if (l === undefined) seriesOf.set(m.service, (l = []));
    l.push(m);
    if (m.role === 'connections' && m.peer !== undefined) {
      const k = `${m.service}>${m.peer}`;
      edges.set(k, [...(edges.get(k) ?? []), m]);
    }
  }
  const callers = new Map<string, string[]>();
  for (const s of snap.services) for (const d of s.deps) callers.set(d, [...(callers.get(d) ?? []), s.name]);
  const coupling = new Map(snap.couplings.map((c) => [couplingKey(c.kind, c.service, c.metric, c.peer), c]));
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
