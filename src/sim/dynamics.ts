import type { Rng } from './prng';
import { badAt, meanRampFactor, rampFactor, versionAt, type Effects } from './effects';
import { callOrder, FD_METRIC, MEM_METRIC, type SimService, type World } from './world';

const HOUR = 3600_000;

/** Service-level state at one instant, noise-free: what every instance's samples are built from. */
export interface Flow {
  /** requests/s handled, total over instances */
  readonly rate: Map<string, number>;
  /** end-to-end latency, s */
  readonly latency: Map<string, number>;
  /** calls/s from caller to callee, key `${caller}>${callee}` */
  readonly calls: Map<string, number>;
  /** own processing time (without the dependencies' share), s, averaged over instances */
  readonly own: Map<string, number>;
  /** share of requests failing (own failures and failures passed up from dependencies) */
  readonly errors: Map<string, number>;
  /** own share of failing requests, averaged over instances */
  readonly ownErrors: Map<string, number>;
}

/** Share of a dependency's failures its caller passes on (retries absorb the rest). */
export const ERROR_PASS = 0.8;

const CACHE = new WeakMap<World, { order: SimService[]; callers: Map<string, SimService[]> }>();
/** Call order and callers, computed once per world (the graph does not change during a run). */
function cached(w: World): { order: SimService[]; callers: Map<string, SimService[]> } {
  let c = CACHE.get(w);
  if (c === undefined) {
    const callers = new Map<string, SimService[]>();
    for (const s of w.services) for (const d of s.deps) callers.set(d, [...(callers.get(d) ?? []), s]);
    CACHE.set(w, (c = { order: callOrder(w), callers }));
  }
  return c;
}

/** Daily load curve: 1 ± amplitude, peaking at `peakHour` UTC. */
export interface Season {
  readonly amplitude: number;
  readonly peakHour: number;
}

export function seasonFactor(s: Season, t: number): number {
  const hour = (t % (24 * HOUR)) / HOUR;
  return 1 + s.amplitude * Math.cos((2 * Math.PI * (hour - s.peakHour)) / 24);
}

/** Little's law over the call graph: latency bottom-up (callees first), then rates top-down. */
export function flowAt(w: World, fx: Effects, season: Season, t: number): Flow {
  const order = cached(w).order;
  const latency = new Map<string, number>();
  const own = new Map<string, number>();
  const errors = new Map<string, number>();
  const ownErrors = new Map<string, number>();
  for (let k = order.length - 1; k >= 0; k--) {
    const s = order[k] as SimService;
    const mix = badMix(fx, s, t);
    const o = s.latency * meanRampFactor(fx.latency.get(s.name), t, s.instances) * mix.latency;
    let lat = o;
    let err = mix.errors;
    for (const d of s.deps) {
      lat += 0.5 * (s.fanout.get(d) ?? 0) * (latency.get(d) ?? 0);
      err += ERROR_PASS * Math.min(1, s.fanout.get(d) ?? 0) * (errors.get(d) ?? 0);
    }
    latency.set(s.name, lat);
    own.set(s.name, o);
    ownErrors.set(s.name, mix.errors);
    errors.set(s.name, Math.min(1, err));
  }
  const rate = new Map<string, number>();
  const calls = new Map<string, number>();
  for (const s of order) {
    const r = (rate.get(s.name) ?? 0) + s.entryRate * seasonFactor(season, t);
    rate.set(s.name, r);
    for (const d of s.deps) {
      const key = `${s.name}>${d}`;
      const c = r * (s.fanout.get(d) ?? 0) * meanRampFactor(fx.calls.get(key), t, s.instances);
      calls.set(key, c);
      rate.set(d, (rate.get(d) ?? 0) + c);
    }
  }
  return { rate, latency, calls, own, errors, ownErrors };
}

/** A bad release's effect averaged over the instances running at `t` (what callers see of a canary: part of it). */
function badMix(fx: Effects, s: SimService, t: number): { latency: number; errors: number } {
  if (!fx.bad.has(s.name)) return { latency: 1, errors: 0 };
  let lat = 0;
  let err = 0;
  for (let i = 0; i < s.instances; i++) {
    const b = badAt(fx, s.name, s.version, t, i);
    lat += b?.latency ?? 1;
    err += b?.errors ?? 0;
  }
  return { latency: lat / s.instances, errors: err / s.instances };
}

/** Connections instance `i` of `s` holds to `d`: pool minimum plus in-flight calls (Little's law), times config factors. */
export function connsPerInstance(w: World, fx: Effects, flow: Flow, s: SimService, d: string, t: number, i: number): number {
  const key = `${s.name}>${d}`;
  const inflight = ((flow.calls.get(key) ?? 0) / s.instances) * (flow.latency.get(d) ?? 0) * 1.3;
  return ((s.poolMin.get(d) ?? 0) + inflight) * rampFactor(fx.conn.get(key), t, i);
}

/** Connections arriving at each instance of `s` from all its callers' instances. */
export function inboundPerInstance(w: World, fx: Effects, flow: Flow, s: SimService, t: number): number {
  let total = 0;
  for (const c of cached(w).callers.get(s.name) ?? []) {
    for (let i = 0; i < c.instances; i++) total += connsPerInstance(w, fx, flow, c, s.name, t, i);
  }
  return total / s.instances;
}

/** Noise-free fds and memory of instance 0 of `s` at `t`, ignoring leaks (used to size planted effects). */
export function steadyLevels(w: World, fx: Effects, season: Season, s: SimService, t: number): { fd: number; mem: number; inbound: number; outbound: Map<string, number> } {
  const flow = flowAt(w, fx, season, t);
  const outbound = new Map<string, number>();
  let out = 0;
  for (const d of s.deps) {
    const c = connsPerInstance(w, fx, flow, s, d, t, 0);
    outbound.set(d, c);
    out += c;
  }
  const inbound = inboundPerInstance(w, fx, flow, s, t);
  const active = ((flow.rate.get(s.name) ?? 0) / s.instances) * (flow.latency.get(s.name) ?? 0);
  return { fd: s.fdBase + out + inbound, mem: s.memBase * (1 + 0.01 * active), inbound, outbound };
}

/** AR(1) noise with relative scale `rel`; `phi` sets how smooth it is. */
export class Noise {
  private e = 0;
  constructor(private readonly rng: Rng, private readonly rel: number, private readonly phi: number) {}
  next(): number {
    this.e = this.phi * this.e + Math.sqrt(1 - this.phi * this.phi) * this.rel * this.rng.normal();
    // Rare spikes: scrapes catch bursts; the detector must not take them for regime changes.
    return this.rng.chance(0.002) ? this.e + this.rel * 8 * this.rng.normal() : this.e;
  }
}

/** One pod of a new-pods deploy style: its own instance id, one version, alive over [from, to). */
export interface Pod {
  readonly version: string;
  readonly from: number;
  readonly to: number;
}

/** Per-instance state across steps: leak accumulation and restarts (version switch, crash at a limit). */
export interface ProcState {
  version: string;
  restartedAt: number;
  leakFd: number;
  leakMem: number;
}

export function newProcState(s: SimService): ProcState {
  return { version: s.version, restartedAt: -Infinity, leakFd: 0, leakMem: 0 };
}

/** Advance one instance's state to `t`; returns true when it restarted during this step. */
export function advanceProc(fx: Effects, s: SimService, i: number, st: ProcState, t: number, stepMs: number, pod?: Pod): boolean {
  // A pod runs one version all its life and starts at birth.
  const v = pod === undefined ? versionAt(fx.rollouts, s.name, s.version, t, i) : { version: pod.version, since: pod.from };
  // A rollout step restarts the process; a crash since then already did.
  const restarted = v.since > st.restartedAt && v.since > t - stepMs;
  if (restarted) restart(st, v.since);
  st.version = v.version;
  for (const l of fx.leaks) {
    if (l.service !== s.name || l.version !== st.version) continue;
    const grow = (l.perHour * stepMs) / HOUR;
    if (l.metric === 'fd') st.leakFd += grow;
    else st.leakMem += grow;
  }
  return restarted;
}

export function restart(st: ProcState, at: number): void {
  st.restartedAt = at;
  st.leakFd = 0;
  st.leakMem = 0;
}

/** 0 right after a restart, 1 once warm (connections re-opened, caches filled) after ~`warmMs`. */
export function warmth(st: ProcState, t: number, warmMs: number): number {
  return Math.min(1, Math.max(0.15, (t - st.restartedAt) / warmMs));
}

export { FD_METRIC, MEM_METRIC };
