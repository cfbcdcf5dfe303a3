import { LATENCY_METRIC, POOL_KEY, roleOf } from './classify';
import { learntElasticity, learntKindEffects } from './catalogue';
import type { Proposal, Snapshot } from './types';

/** Relative uncertainty (1σ) of an effect, by where it came from. */
export const UNCERTAINTY = { declared: 0.05, learnt: 0.15, default: 0.25 } as const;

/** What the proposal does by itself, before propagation. Keys of edge maps are `${caller}>${callee}`. */
export interface Direct {
  readonly edgeConn: Map<string, { factor: number; u: number }>;
  readonly replicas: Map<string, { from: number; to: number }>;
  /** Relative increase of calls on one edge. */
  readonly trafficEdge: Map<string, number>;
  /** Relative increase of a service's incoming traffic (all its outbound calls follow). */
  readonly trafficSvc: Map<string, number>;
  readonly latency: Map<string, number>;
  /** `${service}\0${metric}\0${peer}` → factor or delta on that series. */
  readonly series: Map<string, { factor?: number; delta?: number; u: number }>;
  readonly assumptions: string[];
}

export const edgeKey = (c: string, d: string): string => `${c}>${d}`;
/** The callee of an edgeKey. */
export const edgeTo = (k: string): string => k.slice(k.indexOf('>') + 1);
export const seriesKey = (s: string, metric: string, peer?: string): string => `${s}\u0000${metric}\u0000${peer ?? ''}`;

const num = (x: number | string): number => (typeof x === 'number' ? x : Number(x));

/** Peers of `service` the setting applies to: the named peer, else db peers for db keys and the others for the rest. */
function peersFor(snap: Snapshot, service: string, key: string, peer?: string): string[] {
  if (peer !== undefined) return [peer];
  const conns = snap.series.filter((m) => m.service === service && m.role === 'connections' && m.peer !== undefined);
  const db = /(^|\.)db\.|database|jdbc|sql/i.test(key);
  const pick = conns.filter((m) => /^db\./.test(m.metric) === db).map((m) => m.peer!);
  const all = pick.length > 0 ? pick : (snap.services.find((s) => s.name === service)?.deps ?? []);
  return [...new Set(all)];
}

/** The proposal's own effect: declared, else learnt from the impact catalogue, else a stated default. */
export function directEffects(snap: Snapshot, p: Proposal): Direct {
  const d: Direct = { edgeConn: new Map(), replicas: new Map(), trafficEdge: new Map(), trafficSvc: new Map(), latency: new Map(), series: new Map(), assumptions: [] };
  const q = p.quantities;
  const s = p.service;
  const declaredConn = new Set<string>();
  for (const e of q.effects ?? []) {
    const role = roleOf(e.metric);
    const src = `declared effect ${e.metric}${e.peer === undefined ? '' : ` to ${e.peer}`}`;
    if (LATENCY_METRIC.test(e.metric)) {
      d.latency.set(s, e.factor ?? 1);
      d.assumptions.push(`${src}: latency of ${s} ×${e.factor ?? 1}; callers' in-flight connections to it scale with it (Little's law), and their latency with them`);
    } else if (role === 'traffic') {
      if (e.peer !== undefined) d.trafficEdge.set(edgeKey(s, e.peer), (e.factor ?? 1) - 1);
      else d.trafficSvc.set(s, (e.factor ?? 1) - 1);
    } else if (role === 'connections' && e.factor !== undefined) {
      for (const peer of e.peer === undefined ? peersFor(snap, s, e.metric) : [e.peer]) {
        d.edgeConn.set(edgeKey(s, peer), { factor: e.factor, u: UNCERTAINTY.declared });
        declaredConn.add(peer);
      }
    } else {
      d.series.set(seriesKey(s, e.metric, e.peer), { ...(e.factor === undefined ? {} : { factor: e.factor }), ...(e.delta === undefined ? {} : { delta: e.delta }), u: UNCERTAINTY.declared });
    }
  }
  for (const st of q.settings ?? []) {
    const from = num(st.from);
    const to = num(st.to);
    const ratio = to / from;
    if (!Number.isFinite(ratio) || ratio <= 0) {
      d.assumptions.push(`setting ${st.key} ${String(st.from)} → ${String(st.to)}: not a numeric change; no effect on resources assumed`);
      continue;
    }
    const learnt = learntElasticity(snap.impacts, st.key);
    const pooled = POOL_KEY.test(st.key);
    let factor = 1;
    let u: number = UNCERTAINTY.default;
    if (learnt !== undefined) {
      factor = ratio ** learnt.elasticity;
      u = UNCERTAINTY.learnt;
      d.assumptions.push(`setting ${st.key} ${from} → ${to}: connections ×${factor.toFixed(2)}, learnt from ${learnt.n} past change(s) of this key (elasticity ${learnt.elasticity.toFixed(2)}: ${learnt.ids.slice(0, 3).join(', ')})`);
    } else if (pooled) {
      factor = ratio;
      const cap = /max/i.test(st.key) && ratio > 1 ? '; for a cap this is the worst case, reached under demand' : '';
      d.assumptions.push(`setting ${st.key} ${from} → ${to}: a pool/concurrency setting scales ${s}'s outbound connections${st.peer === undefined ? '' : ` to ${st.peer}`} by to/from = ${ratio.toFixed(2)} (default; no past change of this key measured${cap})`);
    } else {
      d.assumptions.push(`setting ${st.key} ${from} → ${to}: not a pool/concurrency setting and no past change of it measured; no effect on resources assumed`);
    }
    if (factor === 1) continue;
    for (const peer of peersFor(snap, s, st.key, st.peer)) {
      if (declaredConn.has(peer)) continue;
      const k = edgeKey(s, peer);
      const prev = d.edgeConn.get(k);
      d.edgeConn.set(k, { factor: (prev?.factor ?? 1) * factor, u: Math.max(prev?.u ?? 0, u) });
    }
  }
  if (q.replicas !== undefined) {
    d.replicas.set(s, q.replicas);
    d.assumptions.push(`replicas of ${s} ${q.replicas.from} → ${q.replicas.to}: each instance keeps its idle pool to every callee; traffic and in-flight calls spread over the instances`);
  }
  if (q.traffic !== undefined) {
    if (q.traffic.peer !== undefined) d.trafficEdge.set(edgeKey(s, q.traffic.peer), q.traffic.factor - 1);
    else d.trafficSvc.set(s, q.traffic.factor - 1);
    d.assumptions.push(`traffic ×${q.traffic.factor} ${q.traffic.peer === undefined ? `through ${s}` : `from ${s} to ${q.traffic.peer}`}; callees share it in proportion to their callers' in-flight connections`);
  }
  if ((p.type === 'deploy' || p.type === 'rollback' || q.version !== undefined) && (q.effects ?? []).length === 0) {
    const past = learntKindEffects(snap.impacts, s, p.type === 'rollback' ? 'rollback' : 'deploy');
    for (const e of past) d.series.set(seriesKey(s, e.metric, e.peer), { factor: e.factor, u: UNCERTAINTY.learnt });
    d.assumptions.push(past.length > 0
      ? `${p.type} of ${s}: effects learnt from its ${past[0]!.n} past ${p.type}s (${past.map((e) => `${e.metric} ×${e.factor.toFixed(2)}`).join(', ')})`
      : `${p.type} of ${s}: no declared effects and too few measured past ${p.type}s of it; no effect assumed`);
  }
  if (p.type === 'scale' && q.replicas === undefined) d.assumptions.push(`scale of ${s} without data.replicas: no effect assumed`);
  return d;
}
