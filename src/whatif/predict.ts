import { LIMITED_ROLES } from './classify';
import { directEffects, edgeKey, edgeTo, seriesKey, UNCERTAINTY, type Direct } from './direct';
import { couplingKey, driverAt, indexSnapshot, type SnapIndex } from './indexer';
import { baselineAt, round4 } from './model';
import { propagateLatency } from './latency';
import { edgeAfter, propagateTraffic } from './propagate';
import type { Breach, PredictedEffect, Prediction, Proposal, SeriesModel, Snapshot } from './types';

const MIN = 60_000;
/** A trusted coupling needs this R²; below it fds fall back to one descriptor per connection. */
const GOOD_R2 = 0.5;
const MAX_EFFECTS = 50;

export interface WhatIfOptions {
  /** @default 24 h */
  readonly horizonMs?: number;
  /** Evaluation step over the horizon. @default 15 min */
  readonly stepMs?: number;
}

interface Ctx {
  readonly ix: SnapIndex;
  readonly d: Direct;
  readonly traffic: { svc: Map<string, number>; edge: Map<string, number> };
  readonly assumptions: Set<string>;
  readonly times: readonly number[];
  /** Each edge series before/after at every evaluation time, computed once (many services read the same edge). */
  readonly edgeMemo: Map<SeriesModel, { before: Float64Array; after: Float64Array; n: number; n2: number }>;
}

function edgeSeries(ctx: Ctx, m: SeriesModel): { before: Float64Array; after: Float64Array; n: number; n2: number } {
  let e = ctx.edgeMemo.get(m);
  if (e === undefined) {
    const before = new Float64Array(ctx.times.length);
    const after = new Float64Array(ctx.times.length);
    let n = 1;
    let n2 = 1;
    ctx.times.forEach((t, i) => {
      const x = edgeAfter(ctx.ix, ctx.d, ctx.traffic.edge, m, t);
      before[i] = x.before;
      after[i] = x.after;
      n = x.n;
      n2 = x.n2;
    });
    ctx.edgeMemo.set(m, (e = { before, after, n, n2 }));
  }
  return e;
}

/** Per-instance connections held by `s` (outbound, inbound) before and after the change at times[i]. */
function held(ctx: Ctx, s: string, i: number): { before: number; after: number } {
  const { ix, d } = ctx;
  let before = 0;
  let after = 0;
  for (const m of ix.seriesOf.get(s) ?? []) {
    if (m.role !== 'connections') continue;
    if (m.peer === undefined) {
      const b = baselineAt(m, ix.now, ctx.times[i]!);
      before += b;
      after += b;
      continue;
    }
    const e = edgeSeries(ctx, m);
    before += e.before[i]!;
    after += e.after[i]!;
  }
  const n = ix.instances(s);
  const n2 = d.replicas.get(s)?.to ?? n;
  for (const c of ix.callers.get(s) ?? []) {
    for (const m of ix.edges.get(edgeKey(c, s)) ?? []) {
      const e = edgeSeries(ctx, m);
      before += (e.before[i]! * e.n) / n;
      after += (e.after[i]! * e.n2) / Math.max(1, n2);
    }
  }
  return { before, after };
}

/** Change of series m at times[i] (per instance) and its relative uncertainty. */
function deltaAt(ctx: Ctx, m: SeriesModel, i: number): { delta: number; u: number } {
  const { ix, d } = ctx;
  const t = ctx.times[i]!;
  const s = m.service;
  const base = baselineAt(m, ix.now, t);
  const n = ix.instances(s);
  const perInst = (1 + (ctx.traffic.svc.get(s) ?? 0)) * (n / Math.max(1, d.replicas.get(s)?.to ?? n));
  const edgeU = [...d.edgeConn.values()].reduce((a, e) => Math.max(a, e.u), UNCERTAINTY.default * (d.edgeConn.size === 0 ? 1 : 0));
  let delta = 0;
  let u = edgeU;
  if (m.role === 'fd') {
    const h = held(ctx, s, i);
    const c = ix.coupling.get(couplingKey('fd~held', s, m.metric));
    const r2 = c?.r2 ?? 0;
    const slope = Math.min(2, Math.max(0, r2 * (c?.slope ?? 1) + (1 - r2)));
    delta = slope * (h.after - h.before);
    u = Math.hypot(edgeU, 0.3 * (1 - r2));
  } else if (m.role === 'connections' && m.peer !== undefined) {
    const e = edgeSeries(ctx, m);
    delta = e.after[i]! - e.before[i]!;
  } else if (m.role === 'traffic') {
    delta = base * (perInst - 1);
    u = 0.2;
  } else if (m.role === 'active') {
    delta = base * (perInst * (d.latency.get(s) ?? 1) - 1);
    u = 0.2;
  } else if (m.role === 'threads' || m.role === 'memory') {
    const c = ix.coupling.get(couplingKey(`${m.role}~traffic`, s, m.metric));
    if (c !== undefined && c.r2 >= GOOD_R2 && c.slope > 0) delta = c.slope * driverAt(ix, c, t) * (perInst - 1);
    u = 0.3;
  }
  const own = d.series.get(seriesKey(s, m.metric, m.peer));
  if (own !== undefined) {
    delta += own.delta ?? base * ((own.factor ?? 1) - 1);
    u = Math.max(u, own.u);
  }
  return { delta, u };
}

/** Services the proposal can move: its own, those its traffic reaches, the callees and callers of changed edges. */
function affected(ix: SnapIndex, d: Direct, traffic: Map<string, number>, origin: string): Set<string> {
  const out = new Set<string>([origin, ...traffic.keys(), ...d.latency.keys()]);
  for (const k of d.edgeConn.keys()) out.add(edgeTo(k));
  for (const s of [...d.latency.keys(), ...d.replicas.keys()]) {
    for (const c of ix.callers.get(s) ?? []) out.add(c);
    for (const c of ix.svc.get(s)?.deps ?? []) out.add(c);
  }
  for (const s of [...out]) for (const c of ix.svc.get(s)?.deps ?? []) if (traffic.has(s)) out.add(c);
  out.delete('');
  return out;
}

/** Shortest path from the changed service over the call graph (either direction) within the affected set. */
function paths(ix: SnapIndex, origin: string, within: Set<string>): Map<string, string[]> {
  const out = new Map<string, string[]>([[origin, [origin]]]);
  const queue = [origin];
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const nb of [...(ix.svc.get(s)?.deps ?? []), ...(ix.callers.get(s) ?? [])]) {
      if (!within.has(nb) || out.has(nb)) continue;
      out.set(nb, [...out.get(s)!, nb]);
      queue.push(nb);
    }
  }
  return out;
}

/**
 * Play a proposal against a snapshot: its direct effect, propagated through the call graph along
 * the learnt couplings, evaluated over the horizon (so each series' daily peak is included).
 */
export function predict(snap: Snapshot, p: Proposal, o: WhatIfOptions = {}): Prediction {
  const ix = indexSnapshot(snap);
  const direct = directEffects(snap, p);
  const d: Direct = { ...direct, latency: propagateLatency(ix, direct.latency) };
  const derived = [...d.latency].filter(([s]) => !direct.latency.has(s));
  if (derived.length > 0) d.assumptions.push(`latency follows the call graph up to its callers (each added in-flight call holds a request of the caller): ${derived.slice(0, 5).map(([s, f]) => `${s} ×${f.toFixed(2)}`).join(', ')}${derived.length > 5 ? ` and ${derived.length - 5} more` : ''}`);
  const traffic = propagateTraffic(ix, d, p.service);
  const horizon = o.horizonMs ?? 24 * 60 * MIN;
  const step = Math.max(MIN, o.stepMs ?? 15 * MIN);
  const t0 = Math.max(p.time, snap.to);
  const times: number[] = [];
  for (let t = t0; t <= t0 + horizon; t += step) times.push(t);
  const ctx: Ctx = { ix, d, traffic, assumptions: new Set(d.assumptions), times, edgeMemo: new Map() };
  const within = affected(ix, d, traffic.svc, p.service);
  const route = paths(ix, p.service, within);
  const effects: PredictedEffect[] = [];
  for (const s of within) {
    const svc = ix.svc.get(s);
    for (const m of ix.seriesOf.get(s) ?? []) {
      if (m.role === 'other' || m.role === 'fdLimit') continue;
      const limit = svc?.limits[m.metric]?.value;
      const worst = LIMITED_ROLES.has(m.role) ? (m.worst?.offset ?? 0) : 0;
      let best = { base: -Infinity, pred: -Infinity, sigma: 0, t: t0, delta: 0 };
      let cross: number | undefined;
      let basePeak = -Infinity;
      for (let i = 0; i < times.length; i++) {
        const t = times[i]!;
        const base = baselineAt(m, ix.now, t) + worst;
        const { delta, u } = deltaAt(ctx, m, i);
        const pred = base + delta;
        basePeak = Math.max(basePeak, base);
        if (pred > best.pred) best = { base, pred, t, delta, sigma: Math.hypot(m.noise, u * delta, m.profile === null ? 0.05 * base : 0) };
        if (cross === undefined && limit !== undefined && pred >= limit) cross = t;
      }
      if (Math.abs(best.delta) <= Math.max(3 * m.noise, 0.02 * Math.abs(best.base), 1e-9)) continue;
      const low = best.pred - 1.96 * best.sigma;
      const high = best.pred + 1.96 * best.sigma;
      // A connection series moving is what the author asked for; a process resource doing so is news.
      const far = m.role !== 'connections' && LIMITED_ROLES.has(m.role) && best.delta > Math.max(6 * m.noise, 0.5 * Math.abs(basePeak));
      const status = limit !== undefined && best.pred >= limit ? 'breach' : (limit !== undefined && high >= limit) || far ? 'risk' : 'ok';
      effects.push({
        service: s, metric: m.metric, ...(m.peer === undefined ? {} : { peer: m.peer }), ...(worst > 0 && m.worst !== undefined ? { instance: m.worst.instance } : {}),
        baseline: round4(basePeak), predicted: round4(best.pred), low: round4(low), high: round4(high),
        at: new Date(cross ?? best.t).toISOString(), ...(limit === undefined ? {} : { limit, headroom: round4(limit - best.pred) }),
        path: route.get(s) ?? [p.service, s], team: svc?.team ?? 'unknown', status,
      });
      if (m.split !== undefined) ctx.assumptions.add(`${s} ${m.metric} names no peer: split evenly over its ${m.split} dependencies`);
      if (status !== 'ok' && svc?.limits[m.metric]?.source === 'default') ctx.assumptions.add(`${s} ${m.metric}: no declared or reported limit; the documented default ${limit} applies`);
    }
  }
  const rank = { breach: 0, risk: 1, ok: 2 } as const;
  effects.sort((a, b) => rank[a.status] - rank[b.status] || Math.abs(b.predicted - b.baseline) / Math.max(1e-9, Math.abs(b.baseline)) - Math.abs(a.predicted - a.baseline) / Math.max(1e-9, Math.abs(a.baseline)));
  const breaches: Breach[] = effects.filter((e) => e.status === 'breach').map((e) => ({
    service: e.service, metric: e.metric, ...(e.instance === undefined ? {} : { instance: e.instance }),
    limit: e.limit!, predicted: e.predicted, low: e.low, high: e.high, at: e.at, path: e.path, team: e.team,
  }));
  if (snap.load === null) ctx.assumptions.add('history shorter than a day: no daily profile; each series is held at the highest of its current level and its hourly medians (±5 %)');
  ctx.assumptions.add(`the change takes full effect at ${new Date(t0).toISOString()}; horizon ${Math.round(horizon / 3_600_000)} h`);
  const blind = unseen(ix, d, traffic.svc, p.service);
  const verdict = breaches.length > 0 ? 'breach' : effects.some((e) => e.status === 'risk') ? 'risk' : blind.length > 0 ? 'unknown' : 'safe';
  return { verdict, blind, breaches, effects: effects.slice(0, Math.max(MAX_EFFECTS, breaches.length)), assumptions: [...ctx.assumptions] };
}

/**
 * The services the change acts on directly (the changed service, the peers whose connections or
 * calls it changes, the services it slows or loads) that report no series of a resource with a
 * limit: with golden signals only, no prediction can say they hold, and "safe" would be a guess.
 */
function unseen(ix: SnapIndex, d: Direct, traffic: ReadonlyMap<string, number>, origin: string): { service: string; team: string }[] {
  const acted = new Set<string>([origin, ...d.latency.keys(), ...traffic.keys(), ...d.replicas.keys()]);
  for (const k of [...d.edgeConn.keys(), ...d.trafficEdge.keys()]) acted.add(edgeTo(k));
  for (const k of d.series.keys()) acted.add(k.split('\u0000')[0] ?? '');
  acted.delete('');
  const out: { service: string; team: string }[] = [];
  for (const s of acted) {
    if ((ix.seriesOf.get(s) ?? []).some((m) => LIMITED_ROLES.has(m.role))) continue;
    out.push({ service: s, team: ix.svc.get(s)?.team ?? 'unknown' });
  }
  return out.sort((a, b) => a.service.localeCompare(b.service));
}
