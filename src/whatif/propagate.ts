import { baselineAt } from './model';
import { edgeKey, type Direct } from './direct';
import { couplingKey, driverAt, type SnapIndex } from './indexer';
import type { SeriesModel } from './types';

/** Traffic changes fan out at most this many hops. */
export const MAX_HOPS = 6;
/** Below this fit quality a connections~traffic slope is not trusted to split in-flight from idle connections. */
const MIN_INFLIGHT_R2 = 0.3;

/** Connections per instance of the caller on one edge, split into idle (pool) and in-flight, at t. */
export function edgeAt(ix: SnapIndex, m: SeriesModel, t: number): { total: number; inflight: number } {
  const total = baselineAt(m, ix.now, t);
  const c = ix.coupling.get(couplingKey('conns~traffic', m.service, m.metric, m.peer));
  if (c === undefined || c.r2 < MIN_INFLIGHT_R2 || c.slope <= 0) return { total, inflight: 0 };
  return { total, inflight: Math.min(total, Math.max(0, c.slope * driverAt(ix, c, t))) };
}

/**
 * Relative traffic increase reaching every service: a callee gets its callers' increases weighted
 * by their share of its in-flight connections (calls × latency, Little's law — the callee's latency
 * is the same for every caller, so the share of in-flight connections is the share of calls).
 */
export function propagateTraffic(ix: SnapIndex, d: Direct, origin: string): { svc: Map<string, number>; edge: Map<string, number> } {
  const svc = new Map<string, number>(d.trafficSvc);
  const edge = new Map<string, number>();
  const share = (c: string, callee: string): number => {
    const callers = ix.callers.get(callee) ?? [c];
    const weight = (x: string): { inflight: number; total: number } => {
      let inflight = 0;
      let total = 0;
      for (const m of ix.edges.get(edgeKey(x, callee)) ?? []) {
        const e = edgeAt(ix, m, ix.now);
        inflight += e.inflight * ix.instances(x);
        total += e.total * ix.instances(x);
      }
      return { inflight, total };
    };
    const ws = callers.map(weight);
    const mine = weight(c);
    const sumIn = ws.reduce((a, w) => a + w.inflight, 0);
    if (sumIn > 0) return mine.inflight / sumIn;
    const sumTot = ws.reduce((a, w) => a + w.total, 0);
    return sumTot > 0 ? mine.total / sumTot : 1 / callers.length;
  };
  let frontier = new Set<string>([origin, ...d.trafficSvc.keys()]);
  for (let hop = 0; hop < MAX_HOPS && frontier.size > 0; hop++) {
    const next = new Set<string>();
    for (const c of frontier) {
      for (const callee of ix.svc.get(c)?.deps ?? []) {
        const k = edgeKey(c, callee);
        const r = (1 + (svc.get(c) ?? 0)) * (1 + (d.trafficEdge.get(k) ?? 0)) - 1;
        if (Math.abs(r) < 1e-6 || edge.get(k) === r) continue;
        const before = edge.get(k) ?? 0;
        edge.set(k, r);
        svc.set(callee, (svc.get(callee) ?? 0) + share(c, callee) * (r - before));
        next.add(callee);
      }
    }
    frontier = next;
  }
  return { svc, edge };
}

/** Per-instance connections of a caller on an edge after the change, and the caller's instance counts before/after. */
export function edgeAfter(ix: SnapIndex, d: Direct, traffic: Map<string, number>, m: SeriesModel, t: number): { before: number; after: number; n: number; n2: number } {
  const c = m.service;
  const callee = m.peer ?? '';
  const n = ix.instances(c);
  const n2 = d.replicas.get(c)?.to ?? n;
  const { total, inflight } = edgeAt(ix, m, t);
  const k = edgeKey(c, callee);
  const inflight2 = inflight * (1 + (traffic.get(k) ?? 0)) * (d.latency.get(callee) ?? 1) * (n / Math.max(1, n2));
  const after = (total - inflight + inflight2) * (d.edgeConn.get(k)?.factor ?? 1);
  return { before: total, after, n, n2 };
}
