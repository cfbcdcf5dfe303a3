import type { Rng } from './prng';
import { rampFactor, versionAt, type Effects } from './effects';
import { advanceProc, connsPerInstance, flowAt, inboundPerInstance, newProcState, Noise, restart, warmth, type Flow, type Pod, type ProcState, type Season } from './dynamics';
import { addGolden, type Step } from './golden';
import { podsOf } from './pods';
import { FD_METRIC, MEM_METRIC, type SimService, type World } from './world';
import type { InstanceStream, MetricStream } from './types';

/** One metric of one instance: how its noise-free value is computed at each step. */
export interface Channel {
  readonly name: string;
  readonly unit: string;
  readonly kind: 'gauge' | 'sum';
  readonly attrs: Record<string, string>;
  readonly int: boolean;
  readonly values: Float64Array;
  readonly noise: Noise;
  /** Draws the channel's noise and scrape gaps (the process's own unless the channel has one). */
  readonly rng: Rng;
  readonly mean: (ctx: Ctx) => number;
  /** Cumulative total of a sum since the process started. */
  acc: number;
}

export interface Ctx {
  readonly k: number;
  readonly t: number;
  readonly flow: Flow;
  readonly warm: number;
  readonly i: number;
}

/** `own`: a random stream of the channel's own, so that adding it leaves every other channel's draws as they were. */
export type AddChannel = (name: string, unit: string, kind: 'gauge' | 'sum', attrs: Record<string, string>, int: boolean, rel: number, mean: (c: Ctx) => number, own?: Rng) => void;

export function peerAttrs(w: World, d: SimService): Record<string, string> {
  const p = w.labels.peer;
  if (d.kind === 'db') return p === 'none' ? {} : { 'db.client.connection.pool.name': `${d.name}-pool`, 'db.client.connection.state': 'used' };
  if (p === 'none') return {};
  if (p === 'peer.service') return { 'peer.service': d.name };
  if (p === 'host:port') return { 'server.address': `${d.name}:8080` };
  if (p === 'fqdn') return { 'server.address': `${d.name}.prod.svc.cluster.local` };
  return { 'server.address': d.name };
}

/**
 * Generate every instance's telemetry on the grid [start, start + n × stepMs). With `golden`, every
 * process also reports golden signals (./golden.ts). With `fx.newPods`, each release comes up on
 * new pods (new instance ids) and the replaced pods stop `fx.overlapMs` later.
 */
export function generateStreams(rng: Rng, w: World, fx: Effects, season: Season, start: number, stepMs: number, n: number, golden = false): InstanceStream[] {
  const flows: Flow[] = [];
  for (let k = 0; k < n; k++) flows.push(flowAt(w, fx, season, start + k * stepMs));
  const out: InstanceStream[] = [];
  const end = start + n * stepMs;
  for (const s of w.services) {
    // Inbound connections are the same for every instance of a service: compute them once per step.
    const inbound = new Float64Array(n);
    for (let k = 0; k < n; k++) inbound[k] = inboundPerInstance(w, fx, flows[k] as Flow, s, start + k * stepMs);
    // A service's latency tail is a property of its code and load, the same on every instance (give or take a little).
    const svc = golden ? rng.fork(`${s.name}/golden`) : undefined;
    const grid = { flows, inbound, start, stepMs, n, golden, tail: svc?.uniform(1.8, 4) ?? 0, errors: svc?.uniform(0.0005, 0.01) ?? 0 };
    for (let i = 0; i < s.instances; i++) {
      if (!fx.newPods) {
        out.push(instanceStream(rng.fork(`${s.name}/${i}`), w, fx, s, i, grid));
        continue;
      }
      podsOf(fx, s, i).forEach((pod, g) => {
        if (pod.to > start && pod.from < end) out.push(instanceStream(rng.fork(`${s.name}/${i}/${g}`), w, fx, s, i, grid, pod));
      });
    }
  }
  return out;
}

interface Grid {
  readonly flows: readonly Flow[];
  readonly inbound: Float64Array;
  readonly start: number;
  readonly stepMs: number;
  readonly n: number;
  readonly golden: boolean;
  readonly tail: number;
  readonly errors: number;
}

function instanceStream(rng: Rng, w: World, fx: Effects, s: SimService, i: number, grid: Grid, pod?: Pod): InstanceStream {
  const { flows, inbound, start, stepMs, n } = grid;
  const instance = `${s.name}-${rng.hex().slice(0, 5)}`;
  const st: ProcState = newProcState(s);
  if (pod !== undefined) st.version = pod.version;
  const perInst = (f: Flow): number => (f.rate.get(s.name) ?? 0) / s.instances;
  const active = (c: Ctx): number => perInst(c.flow) * (c.flow.latency.get(s.name) ?? 0);
  const threadF = (c: Ctx): number => rampFactor(fx.threads.get(s.name), c.t, c.i);
  const cpuF = (): number => fx.bad.get(s.name)?.get(st.version)?.cpu ?? 1;
  const fdLimit = s.limits[FD_METRIC] ?? Infinity;
  const memLimit = s.limits[MEM_METRIC] ?? Infinity;
  const phi = rng.uniform(0, 0.8);
  const qPhase = rng.uniform(0, 6);
  const chans: Channel[] = [];
  const add: AddChannel = (name, unit, kind, attrs, int, rel, mean, own) => {
    const r = own ?? rng;
    chans.push({ name, unit, kind, attrs, int, values: new Float64Array(n), noise: new Noise(r, rel, phi), rng: r, mean, acc: 0 });
  };
  const outbound = (c: Ctx): number => s.deps.reduce((sum, d) => sum + connsPerInstance(w, fx, c.flow, s, d, c.t, c.i), 0);
  add(FD_METRIC, '{file}', 'gauge', {}, true, rng.uniform(0.01, 0.03), (c) =>
    Math.min(fdLimit, s.fdBase + c.warm * (outbound(c) + (inbound[c.k] ?? 0)) + st.leakFd));
  add(MEM_METRIC, 'By', 'gauge', {}, true, rng.uniform(0.005, 0.02), (c) =>
    Math.min(memLimit, s.memBase * (fx.memByVersion.get(s.name)?.get(st.version) ?? 1) * (0.6 + 0.4 * c.warm) * (1 + 0.01 * active(c)) + st.leakMem));
  if (rng.chance(0.85)) add('process.thread.count', '{thread}', 'gauge', {}, true, rng.uniform(0.01, 0.04), (c) => s.threadBase * threadF(c) + 0.8 * active(c));
  if (rng.chance(0.6)) add('process.cpu.utilization', '1', 'gauge', {}, false, rng.uniform(0.03, 0.08), (c) => Math.min(1, ((0.03 + perInst(c.flow) * s.latency * 0.4) * cpuF()) / threadF(c)));
  if (s.kind !== 'worker' && s.kind !== 'db' && rng.chance(0.85)) {
    add('http.server.active_requests', '{request}', 'gauge', {}, true, rng.uniform(0.04, 0.1), active);
    if (rng.chance(0.9)) add('http.server.request.count', '{request}', 'sum', {}, true, rng.uniform(0.01, 0.03), (c) => perInst(c.flow) * (stepMs / 1000));
  }
  if (s.kind === 'worker') add('messaging.client.queue.depth', '{message}', 'gauge', { 'messaging.destination.name': `${s.name}-jobs` }, true, rng.uniform(0.05, 0.15), (c) => 40 + 25 * Math.sin(c.t / 2_400_000 + qPhase));
  const httpDeps = s.deps.filter((d) => w.byName.get(d)?.kind !== 'db');
  const dbDeps = s.deps.filter((d) => w.byName.get(d)?.kind === 'db');
  if (w.labels.peer === 'none') {
    if (httpDeps.length > 0) add('http.client.open_connections', '{connection}', 'gauge', {}, true, rng.uniform(0.02, 0.05), (c) => c.warm * httpDeps.reduce((sum, d) => sum + connsPerInstance(w, fx, c.flow, s, d, c.t, c.i), 0));
    if (dbDeps.length > 0) add('db.client.connection.count', '{connection}', 'gauge', {}, true, rng.uniform(0.02, 0.05), (c) => c.warm * dbDeps.reduce((sum, d) => sum + connsPerInstance(w, fx, c.flow, s, d, c.t, c.i), 0));
  } else {
    for (const d of s.deps) {
      const ds = w.byName.get(d);
      if (ds === undefined) continue;
      add(ds.kind === 'db' ? 'db.client.connection.count' : 'http.client.open_connections', '{connection}', 'gauge', peerAttrs(w, ds), true, rng.uniform(0.02, 0.05), (c) => c.warm * connsPerInstance(w, fx, c.flow, s, d, c.t, c.i));
    }
  }
  // How full the process is (fds or memory against their limits), this step: golden signals suffer near the top.
  const step: Step = { fill: 0, crashed: false };
  if (grid.golden) addGolden(rng, w, fx, s, st, step, add, chans.some((c) => c.name === 'http.server.request.count'), stepMs, { ...grid, instance });

  const segments: { from: number; resource: Record<string, string> }[] = [];
  const resource = (version: string): Record<string, string> => {
    const r: Record<string, string> = { 'service.name': s.name };
    if (w.labels.instanceId) r['service.instance.id'] = instance;
    if (w.labels.version) r['service.version'] = version;
    if (w.labels.environment) r['deployment.environment.name'] = 'production';
    return r;
  };
  segments.push({ from: Math.max(start, pod?.from ?? start), resource: resource(st.version) });
  const warmMs = rng.uniform(2, 10) * 60_000;
  let lastRestart = st.restartedAt;
  for (let k = 0; k < n; k++) {
    const t = start + k * stepMs;
    if (pod !== undefined && (t < pod.from || t >= pod.to)) {
      for (const ch of chans) ch.values[k] = NaN;
      continue;
    }
    if (advanceProc(fx, s, i, st, t, stepMs, pod) && w.labels.version && pod === undefined) {
      const v = versionAt(fx.rollouts, s.name, s.version, t, i).version;
      if (segments[segments.length - 1]?.resource['service.version'] !== v) segments.push({ from: t, resource: resource(v) });
    }
    if (st.restartedAt !== lastRestart) {
      for (const ch of chans) ch.acc = 0;
      lastRestart = st.restartedAt;
    }
    const ctx: Ctx = { k, t, flow: flows[k] as Flow, warm: warmth(st, t, warmMs), i };
    step.fill = 0;
    step.crashed = false;
    for (const ch of chans) {
      let v = ch.mean(ctx) * (1 + ch.noise.next());
      if (ch.name === FD_METRIC) {
        if (v >= fdLimit * 0.999) { v = fdLimit; step.crashed ||= rng.chance(0.12); }
        step.fill = Math.max(step.fill, v / fdLimit);
      }
      if (ch.name === MEM_METRIC) {
        if (v >= memLimit * 0.999) { v = memLimit; step.crashed = true; }
        step.fill = Math.max(step.fill, v / memLimit);
      }
      if (ch.kind === 'sum') v = ch.acc += Math.max(0, v);
      ch.values[k] = ch.rng.chance(0.003) ? NaN : ch.int ? Math.max(0, Math.round(v)) : Math.max(0, v);
    }
    // At the limit the process dies (EMFILE, OOM kill) and starts again cold.
    if (step.crashed) restart(st, t);
  }
  const metrics: MetricStream[] = chans.map((c) => ({ name: c.name, unit: c.unit, kind: c.kind, attrs: c.attrs, values: c.values, int: c.int }));
  return { service: s.name, instance, segments, metrics };
}
