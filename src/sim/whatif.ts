import type { QuantifiedEvent } from '../domain/quantities';
import type { Topology } from '../domain/types';
import type { SeriesData } from '../ports';
import { backgroundChanges, ChangeLog } from './changes';
import type { Season } from './dynamics';
import { emptyEffects, type Effects } from './effects';
import { createRng, type Rng } from './prng';
import { scenarioSeries } from './series';
import { generateStreams } from './streams';
import { applyChange, worldTruth, type WorldChange, type WorldTruth } from './whatif-truth';
import { buildWorld, drawLabelStyle, FD_METRIC, worldTopology, type SimService, type World } from './world';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FD_LIMITS = [1024, 2048, 4096, 8192, 16384];

export const WHATIF_MECHANISMS = ['caller_connections', 'flag_fanout', 'slow_dependency', 'caller_scale'] as const;
export type WhatIfMechanism = (typeof WHATIF_MECHANISMS)[number];

export interface WhatIfProposal {
  readonly role: 'cause' | 'harmless';
  readonly kind: string;
  readonly event: QuantifiedEvent;
  readonly truth: WorldTruth;
}

/** One what-if case: history up to the moment a change would ship, the change (and harmless ones), and what each would really do. */
export interface WhatIfCase {
  readonly seed: number;
  readonly mechanism: WhatIfMechanism;
  readonly victim: string;
  readonly series: SeriesData[];
  readonly changes: readonly QuantifiedEvent[];
  readonly topology: Topology;
  readonly at: number;
  readonly proposals: readonly WhatIfProposal[];
}

const callersOf = (w: World, v: SimService): SimService[] => w.services.filter((c) => c.deps.includes(v.name));

function pickVictim(rng: Rng, w: World, m: WhatIfMechanism): SimService | undefined {
  const ok = w.services.filter((v) => {
    if (v.kind === 'db' && m !== 'caller_connections' && m !== 'caller_scale') return false;
    if (m === 'flag_fanout') return callersOf(w, v).some((y) => callersOf(w, y).length > 0);
    if (m === 'slow_dependency') return v.deps.length > 0;
    return callersOf(w, v).length > 0;
  });
  return ok.length === 0 ? undefined : rng.pick(ok);
}

/** The victim's fd limit: the smallest usual limit its peak stays well under, its base raised so it sits at 30–65 % of it. */
function fitLimit(rng: Rng, w: World, fx: Effects, season: Season, v: SimService, at: number): void {
  const peak = worldTruth({ ...w, services: [v] }, fx, season, at, DAY, HOUR).peaks.get(v.name)?.peak ?? 100;
  const limit = FD_LIMITS.find((l) => peak <= 0.6 * l) ?? 65536;
  const want = limit * rng.uniform(0.3, 0.65);
  if (peak < want) v.fdBase += Math.round(want - peak);
  v.limits[FD_METRIC] = limit;
}

/** The causal change's lever as a function of its size (sized later by `sizeLever`). */
function causeLever(rng: Rng, w: World, m: WhatIfMechanism, v: SimService): { service: SimService; make: (f: number) => WorldChange } {
  if (m === 'caller_connections' || m === 'caller_scale') {
    const c = rng.pick(callersOf(w, v));
    if (m === 'caller_scale') return { service: c, make: (f) => ({ service: c.name, quantities: { replicas: { from: c.instances, to: Math.max(c.instances + 1, Math.round(c.instances * f)) } }, lever: { kind: 'replicas', to: Math.max(c.instances + 1, Math.round(c.instances * f)) } }) };
    const from = c.poolMin.get(v.name) ?? 4;
    const key = rng.pick(['http.client.pool.min_idle', 'http.client.pool.size', 'client.connection_pool.min', 'grpc.pool.connections']);
    return { service: c, make: (f) => ({ service: c.name, quantities: { settings: [{ key, from, to: Math.round(from * f), peer: v.name }] }, lever: { kind: 'conn', key: `${c.name}>${v.name}`, factor: Math.round(from * f) / from } }) };
  }
  if (m === 'flag_fanout') {
    const y = rng.pick(callersOf(w, v).filter((y) => callersOf(w, y).length > 0));
    const x = rng.pick(callersOf(w, y));
    v.latency = Math.max(v.latency, rng.uniform(0.08, 0.3));
    return { service: x, make: (f) => ({ service: x.name, quantities: { traffic: { factor: round2(f), peer: y.name } }, lever: { kind: 'calls', key: `${x.name}>${y.name}`, factor: round2(f) } }) };
  }
  const d = w.byName.get(rng.pick(v.deps))!;
  d.latency = Math.max(d.latency, rng.uniform(0.05, 0.2));
  return { service: d, make: (f) => ({ service: d.name, quantities: { effects: [{ metric: 'http.server.request.duration', factor: round2(f) }] }, lever: { kind: 'latency', key: d.name, factor: round2(f) } }) };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Scale the lever so the victim's true peak reaches `target` (two probes; the effects are close to linear in the factor). */
function sizeLever(w: World, fx: Effects, season: Season, v: SimService, at: number, make: (f: number) => WorldChange, target: number, max: number): WorldChange {
  const peakWith = (f: number): number => {
    const a = applyChange(w, fx, make(f), at);
    return worldTruth({ ...a.w, services: a.w.services.filter((s) => s.name === v.name) }, a.fx, season, at, DAY, HOUR).peaks.get(v.name)?.peak ?? 0;
  };
  const p1 = peakWith(1);
  const gain = peakWith(2) - p1;
  const f = gain > 0 ? Math.min(max, Math.max(1.2, 1 + (target - p1) / gain)) : max;
  return make(f);
}

/** Harmless-looking proposals of the kinds real pipelines ship; the world decides whether they are. */
function harmless(rng: Rng, w: World): WorldChange[] {
  const out: WorldChange[] = [];
  const edges = w.services.flatMap((c) => c.deps.map((d) => ({ c, d })));
  for (let i = 0; i < 4; i++) {
    const kind = rng.pick(['config', 'pool', 'replicas', 'traffic', 'latency'] as const);
    const s = rng.pick(w.services);
    const e = edges.length > 0 ? rng.pick(edges) : undefined;
    if (kind === 'config') out.push({ service: s.name, quantities: { settings: [{ key: rng.pick(['cache.ttl_seconds', 'log.level', 'retry.max_attempts', 'http.client.timeout_ms']), from: 30, to: rng.pick([10, 60, 120]) }] }, lever: { kind: 'none' } });
    else if (kind === 'pool' && e !== undefined) {
      const from = e.c.poolMin.get(e.d) ?? 4;
      const to = Math.round(from * rng.uniform(1.2, 2.5));
      out.push({ service: e.c.name, quantities: { settings: [{ key: 'http.client.pool.min_idle', from, to, peer: e.d }] }, lever: { kind: 'conn', key: `${e.c.name}>${e.d}`, factor: to / from } });
    } else if (kind === 'replicas') {
      const to = s.instances + rng.int(1, 3);
      out.push({ service: s.name, quantities: { replicas: { from: s.instances, to } }, lever: { kind: 'replicas', to } });
    } else if (kind === 'traffic' && e !== undefined) {
      const f = round2(rng.uniform(1.05, 1.5));
      out.push({ service: e.c.name, quantities: { traffic: { factor: f, peer: e.d } }, lever: { kind: 'calls', key: `${e.c.name}>${e.d}`, factor: f } });
    } else {
      const f = round2(rng.uniform(1.05, 1.5));
      out.push({ service: s.name, quantities: { effects: [{ metric: 'http.server.request.duration', factor: f }] }, lever: { kind: 'latency', key: s.name, factor: f } });
    }
  }
  return out;
}

/**
 * A what-if case, deterministic from `seed`: a service graph, a day or two of history (daily load,
 * noise, background changes, label styles all drawn), then one causal change sized so the victim's
 * fds reach 80–160 % of their limit at the day's peak, plus harmless proposals; the truth of each
 * comes from the simulated world itself, never from the what-if model.
 */
export function simulateWhatIf(seed: number, o: { services?: number; mechanism?: WhatIfMechanism } = {}): WhatIfCase {
  const rng = createRng(`whatif-${seed}`);
  const rw = rng.fork('world');
  const mechanism = o.mechanism ?? rw.pick(WHATIF_MECHANISMS);
  let w: World | undefined;
  let v: SimService | undefined;
  for (let i = 0; v === undefined; i++) {
    const n = o.services ?? rw.int(8, 30);
    w = buildWorld(rw, n, Math.min(n, rw.int(3, 9)), [1, 4], drawLabelStyle(rw));
    v = pickVictim(rw, w, mechanism);
    if (i > 20) throw new RangeError(`no graph suits ${mechanism}`);
  }
  const world = w!;
  const stepMs = rw.weighted([[MIN, 0.3], [5 * MIN, 0.7]] as const);
  const historyMs = Math.round(rw.uniform(26, 50)) * HOUR;
  const start = Date.UTC(2026, 0, 5) + rw.int(0, 300) * DAY + rw.int(0, 23) * HOUR;
  const at = start + historyMs;
  const season: Season = { amplitude: rw.uniform(0.05, 0.35), peakHour: rw.uniform(0, 24) };
  const fx = emptyEffects();
  const rp = rng.fork('plant');
  const lever = causeLever(rp, world, mechanism, v);
  fitLimit(rp, world, fx, season, v, at);
  const ratio = rp.uniform(0.8, 1.6);
  const cause = sizeLever(world, fx, season, v, at, lever.make, ratio * (v.limits[FD_METRIC] ?? 1024), mechanism === 'caller_scale' ? 12 : mechanism === 'flag_fanout' ? 20 : 40);
  const log = new ChangeLog(rng.fork('log'), world, fx);
  backgroundChanges(rng.fork('background'), world, fx, log, Math.round(world.services.length * rp.uniform(0.5, 3)), start, at - 10 * MIN);
  const n = Math.round(historyMs / stepMs);
  const streams = generateStreams(rng.fork('streams'), world, fx, season, start, stepMs, n);
  const rh = rng.fork('harmless');
  // A service at its limit without any change is the proposal's doing only if the change moves it.
  const base = worldTruth(world, fx, season, at, DAY);
  const caused = (t: WorldTruth) => (s: string): boolean => !base.breaches.includes(s) || (t.peaks.get(s)?.peak ?? 0) > 1.02 * (base.peaks.get(s)?.peak ?? 0);
  const proposals: WhatIfProposal[] = [cause, ...harmless(rh, world)].map((c, i) => {
    const a = applyChange(world, fx, c, at);
    const svc = world.byName.get(c.service)!;
    const kind = i === 0 ? mechanism : c.lever.kind === 'none' ? 'config' : c.lever.kind;
    const type = c.quantities.replicas !== undefined ? 'scale' : c.quantities.traffic !== undefined ? 'flag' : c.quantities.effects !== undefined ? 'infra' : 'config';
    const event: QuantifiedEvent = { id: `prop-${seed}-${i}`, source: '//ci.example.com/proposals', type, rawType: `com.example.change.${type}`, service: c.service, team: svc.team, time: at, summary: `${kind} of ${c.service}`, quantities: c.quantities };
    const truth = worldTruth(a.w, a.fx, season, at, DAY);
    return { role: i === 0 ? 'cause' : 'harmless', kind, event, truth: { ...truth, breaches: truth.breaches.filter(caused(truth)) } };
  });
  return { seed, mechanism, victim: v.name, series: scenarioSeries({ streams, start, stepMs }), changes: log.events, topology: worldTopology(world), at, proposals };
}
