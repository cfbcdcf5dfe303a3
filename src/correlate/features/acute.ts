import { ACUTE_DEFAULTS, acuteExcursion, NEAR_LIMIT, type AcuteOptions, type AcuteWindow, type Excursion } from '../../detect/acute';
import { rampExcursion } from '../../detect/ramp';
import type { ChangeEvent } from '../../domain/types';
import { peerService } from '../../topology';
import type { Context } from '../context';
import { perStep } from './common';
import { afterChange, JITTER_MS, preempted, underWay } from './timing';
import { canaryEvidence, successCeiling, type CanaryEvidence } from './canary';
import { belowOf, callerSide, inferredWith, OWN_AS_CALLS, reachable, type QuietBelow } from './sides';
import { statedPush } from './callee';
import { classifyGolden, HEALTH, ownHealth, ratioFloor, type Golden } from '../golden';
import type { StitchedSeries } from '../stitch';

const MIN = 60_000;
/** Baseline before a change: up to this long. @default 60 min */
export const BASELINE_MS = 60 * MIN;
/**
 * An acute effect must START this soon after its change (at least three samples): later bursts
 * belong to later causes, and delayed effects are the breakpoints' business. @default 5 min
 */
export const ACUTE_MS = 5 * MIN;

/** The strongest excursion of one service after a reference time, by side. */
export interface ServiceTrouble {
  /** Its own golden signals (server-side latency, errors, success, saturation), strength in [0,1]. */
  readonly own: number;
  /** Its calls to others (client-side latency/errors): trouble of a dependency shows here. */
  readonly client: number;
  /** Start of the strongest own excursion (Infinity when none). */
  readonly ownStart: number;
  /**
   * Its excursions (own, calls, load on others) at least half as strong as its strongest, but for
   * earlier bursts still going: when its trouble began (see `preempted`).
   */
  readonly bursts?: readonly Excursion[];
  /** Its own saturation (CPU, memory…) burst: a busy service, not one waiting on others. */
  readonly sat: number;
  /** The part of `sat` that reached its limit (NEAR_LIMIT of it): pinned, it is busy, not waiting on others. */
  readonly pinned: number;
  /** Its calls as a whole (client series naming no callee) burst, and since when. */
  readonly podCalls: number;
  readonly podCallsStart: number;
  readonly podTop?: { readonly series: StitchedSeries; readonly golden: Golden; readonly exc: Excursion };
  readonly ownTop?: { readonly series: StitchedSeries; readonly golden: Golden; readonly exc: Excursion };
  readonly clientTop?: { readonly series: StitchedSeries; readonly golden: Golden; readonly exc: Excursion };
  /**
   * Its calls to each service its client-side series name (`server.address`, `peer.service`…):
   * the strongest burst per callee, 0 for a callee measured but quiet. A call edge measured on its
   * own says WHICH dependency got slow or failing; a pod-wide client figure cannot.
   */
  readonly calls: ReadonlyMap<string, CallTrouble>;
  /**
   * When its load on each service it names (connections, in-flight or pooled calls: saturation on
   * a client series naming its server) burst: a service pushing more on another drives its trouble.
   */
  readonly pushes: ReadonlyMap<string, number>;
}

export interface CallTrouble {
  readonly w: number;
  /** Start of the burst (Infinity when quiet). */
  readonly start: number;
  readonly top?: { readonly series: StitchedSeries; readonly golden: Golden; readonly exc: Excursion };
}

export type Top = NonNullable<ServiceTrouble['ownTop']>;
const NO_CALLS: ReadonlyMap<string, CallTrouble> = new Map();
const NO_PUSHES: ReadonlyMap<string, number> = new Map();
const QUIET: ServiceTrouble = { own: 0, client: 0, ownStart: Infinity, sat: 0, pinned: 0, podCalls: 0, podCallsStart: Infinity, calls: NO_CALLS, pushes: NO_PUSHES };

/**
 * Strength of an excursion in [0,1]: far outside the normal range (≈0.5 at z 7, 0.8 at z 13) AND
 * large relative to the level (≈0.5 at +20 %, 0.95 at doubling): a pulse that pages someone.
 */
export function excursionStrength(e: Excursion): number {
  const sig = 1 - Math.exp(-Math.max(0, e.z - 3) / 6);
  const rel = Number.isFinite(e.relative) ? Math.abs(e.relative) : 10;
  return sig * (1 - Math.exp(-rel / 0.3)) * (0.3 + 0.7 * e.novelty) * (e.lone ? LONE_WEIGHT : 1);
}

/**
 * What a burst seen in one sample only (the last, see `AcuteOptions.lone`) counts for beside a
 * sustained one: it may still be a lone outlier, and the data cannot tell yet.
 */
export const LONE_WEIGHT = 0.5;


/**
 * Where bursts after reference time `t` are looked for: starting from one sample before `t`, up to
 * ACUTE_MS (or three samples) after it, running on to the end of the data, against the hour before.
 */
export function acuteWindow(ctx: Pick<Context, 'from' | 'end' | 'stepMs'>, t: number): AcuteWindow {
  return { baseFrom: Math.max(ctx.from, t - BASELINE_MS), baseTo: t - ctx.stepMs, from: t - ctx.stepMs, to: t + Math.max(ACUTE_MS, 3 * ctx.stepMs), runTo: ctx.end };
}

/**
 * Whether a burst of strength `w` replaces the current top of strength `cur`: a sustained burst
 * always beats one seen in a single last sample (which only stands in where nothing is sustained:
 * its start is the end of the data, not when the trouble began), else the stronger.
 */
function beats(w: number, exc: Excursion, cur: number, top: Excursion | undefined): boolean {
  if (top !== undefined && top.lone !== exc.lone) return top.lone;
  return w > cur;
}

/** Share of a service's strongest burst that another needs to date its trouble. */
const FIRST_SHARE = 0.5;

/**
 * Trouble of every service after reference time `t` (excursions starting from one sample before
 * `t`, against the baseline before that), memoised per sampling step: many candidates share one.
 */
export function acuteView(ctx: Context): (t: number) => ReadonlyMap<string, ServiceTrouble> {
  const known = new Set([...ctx.graph.services, ...ctx.series.map((s) => s.series.service), ...ctx.candidates.map((c) => c.service)]);
  const classified = ctx.series
    .map((s) => {
      const g = classifyGolden(s.series.metric, s.series.labels, ctx.metricRules);
      const opts = ratioOptions(g, s);
      const limit = limitOf(g, s, ctx.graph);
      return { s, g, peer: g.side === 'client' ? peerService(s.series.labels, known, s.series.service) : undefined, opts: limit === undefined ? opts : { ...opts, limit } };
    })
    .filter((x) => x.g.bad !== 0 && x.g.signal !== 'ignore');
  // Moves the detector confirmed as breakpoints are the model's evidence (lasting shifts, ramps):
  // acute evidence is about what it leaves out, the bursts. Except a service's own latency, errors
  // and success: worse from right after a change is that change's visible doing whether or not it
  // lasted long enough to be confirmed, and the simulator-fitted model, which weighs a service's
  // own move lightly (in its world every service on the path moves), must not outvote it.
  const confirmed = timesBySeries(ctx.breakpoints.map((b) => ({ id: b.series.id, time: b.time })));
  const confirmedAt = (id: string, start: number): boolean => (confirmed.get(id) ?? []).some((t) => Math.abs(t - start) <= 5 * ctx.stepMs);
  // … and one that began before the reference time (beyond the clock jitter, as its onset is
  // dated: a detector confirms late) is not its doing either.
  const began = timesBySeries(ctx.signals.map((x) => ({ id: x.series.series.id, time: x.time })));
  const confirmedBefore = (id: string, start: number, ref: number): boolean => (began.get(id) ?? []).some((t) => t < ref - JITTER_MS && start - t <= 5 * ctx.stepMs);
  return perStep(ctx.stepMs, (t) => {
    const win = acuteWindow(ctx, t);
    const out = new Map<string, ServiceTrouble>();
    const calls = new Map<string, Map<string, CallTrouble>>();
    const pushes = new Map<string, Map<string, number>>();
    const all = new Map<string, { w: number; exc: Excursion }[]>();
    for (const { s, g, peer: named, opts } of classified) {
      const dir = g.bad === -1 ? -1 : 1;
      // A resource climbing from the change on (a leak) is its doing as a jump is.
      const exc = acuteExcursion(s.points, dir, win, opts) ?? (g.signal === 'saturation' ? rampExcursion(s.points, dir, win, opts) : undefined);
      // Per callee, how its calls fare (latency, errors) is one thing; how much it holds on it another.
      const load = named !== undefined && g.signal === 'saturation';
      const peer = load ? undefined : named;
      if (load && exc !== undefined) {
        const mine = pushes.get(s.series.service) ?? new Map<string, number>();
        pushes.set(s.series.service, mine.set(named, Math.min(mine.get(named) ?? Infinity, exc.start)));
      }
      if (peer !== undefined) {
        const mine = calls.get(s.series.service) ?? new Map<string, CallTrouble>();
        calls.set(s.series.service, mine);
        if (!mine.has(peer)) mine.set(peer, { w: 0, start: Infinity });
      }
      // A callee's health as one caller's calls to it measure it is its health too (a datastore
      // that reports nothing itself shows only there): kept as its own is.
      const health = ownHealth(g) || (peer !== undefined && HEALTH.has(g.signal));
      if (exc === undefined || (health ? confirmedBefore(s.series.id, exc.start, t) : confirmedAt(s.series.id, exc.start))) continue;
      // The trouble that paged: a burst over well before the page was another incident. And only
      // the part a change at t could start: what the series had climbed before it was under way.
      const w = excursionStrength(exc) * Math.exp(-Math.max(0, ctx.at - exc.end - 2 * ctx.stepMs) / (3 * MIN)) * (1 - underWay(s.points, exc, t - ctx.stepMs));
      all.set(s.series.service, [...(all.get(s.series.service) ?? []), { w, exc }]);
      let cur = out.get(s.series.service) ?? QUIET;
      if (g.signal === 'saturation' && w > cur.sat) cur = { ...cur, sat: w };
      if (opts.limit !== undefined && exc.value >= NEAR_LIMIT * opts.limit && w > cur.pinned) cur = { ...cur, pinned: w };
      if (g.side === 'client' && named === undefined && beats(w, exc, cur.podCalls, cur.podTop?.exc)) cur = { ...cur, podCalls: w, podCallsStart: exc.start, podTop: { series: s, golden: g, exc } };
      out.set(s.series.service, cur);
      if (peer !== undefined) {
        const mine = calls.get(s.series.service);
        if (mine !== undefined && beats(w, exc, mine.get(peer)?.w ?? 0, mine.get(peer)?.top?.exc)) mine.set(peer, { w, start: exc.start, top: { series: s, golden: g, exc } });
      }
      // Connections held are load, not how the calls fare (see `pushes`): neither its calls' trouble nor its own.
      if (load) continue;
      if (g.side === 'client') {
        if (beats(w, exc, cur.client, cur.clientTop?.exc)) out.set(s.series.service, { ...cur, client: w, clientTop: { series: s, golden: g, exc } });
      } else if (beats(w, exc, cur.own, cur.ownTop?.exc)) out.set(s.series.service, { ...cur, own: w, ownStart: exc.start, ownTop: { series: s, golden: g, exc } });
    }
    for (const [svc, list] of all) {
      const top = list.reduce((m, x) => Math.max(m, x.w), 0);
      // An earlier burst still going is another trouble, not when this one began.
      const bursts = list.filter((x) => x.w >= FIRST_SHARE * top && !x.exc.ongoing).map((x) => x.exc);
      if (bursts.length > 0) out.set(svc, { ...(out.get(svc) ?? QUIET), bursts });
    }
    for (const [svc, mine] of calls) out.set(svc, { ...(out.get(svc) ?? QUIET), calls: mine });
    for (const [svc, mine] of pushes) out.set(svc, { ...(out.get(svc) ?? QUIET), pushes: mine });
    return out;
  });
}

/** The times of `moves`, by series id. */
function timesBySeries(moves: readonly { readonly id: string; readonly time: number }[]): ReadonlyMap<string, readonly number[]> {
  const out = new Map<string, number[]>();
  for (const m of moves) {
    const list = out.get(m.id);
    if (list === undefined) out.set(m.id, [m.time]);
    else list.push(m.time);
  }
  return out;
}

/**
 * The level a saturation series cannot pass: 1 (or 100 %) for a utilization of a limit
 * (`k8s.pod.cpu_limit_utilization`), else the limit the topology declares for it.
 */
function limitOf(g: Golden, s: Pick<StitchedSeries, 'series'>, graph: Context['graph']): number | undefined {
  if (g.signal !== 'saturation') return undefined;
  if (/limit_utili[sz]ation/i.test(s.series.metric)) return s.series.unit === '%' ? 100 : 1;
  return graph.limit(s.series.service, s.series.metric);
}

/**
 * How far an error or success ratio moved is measured in requests: from its ceiling (a success
 * ratio at 100 % that dips to 95 % lost 5 % of requests, far more than a 5 % wiggle of a level)
 * and by at least one percentage point. Other signals keep the defaults.
 */
export function ratioOptions(g: Golden, s: Pick<StitchedSeries, 'series' | 'points'>): AcuteOptions {
  const least = ratioFloor(g, s.series.unit);
  if (least === 0) return ACUTE_DEFAULTS;
  const ceiling = successCeiling(g, s);
  if (ceiling === undefined) return { ...ACUTE_DEFAULTS, least };
  return { ...ACUTE_DEFAULTS, least: ceiling === 100 ? 1 : 0.01, ceiling };
}

/** Acute evidence about one candidate change, each in [0,1]. */
export interface AcuteEvidence {
  /** The changed service's own golden signals burst right after the change. */
  readonly self: number;
  /** Its callers' calls (client side) or the callers themselves burst: it got slow or failing for them. */
  readonly callers: number;
  /** A service below it (one it calls, directly or not) burst as early: the trouble comes from further down. */
  readonly below: number;
  /** What burst below: a service, or its calls to one (for the explanation). */
  readonly belowWhat?: string;
  /** The service asked about shows acute trouble after the change. */
  readonly victim: number;
  /** New-version instances worse than old ones over the same minutes (counts as `self`). */
  readonly canary: CanaryEvidence;
  readonly trouble: ReadonlyMap<string, ServiceTrouble>;
}

export function acuteEvidence(ctx: Context, c: ChangeEvent, view: (t: number) => ReadonlyMap<string, ServiceTrouble>, quiet?: QuietBelow): AcuteEvidence {
  const trouble = view(c.time);
  const at = (s: string): ServiceTrouble => trouble.get(s) ?? QUIET;
  const x = at(c.service);
  // Right after the change: of two changes of one service before a burst, the closer one — as
  // far as the samples can tell them apart (see `burstLag`).
  const soon = afterChange(x.ownTop?.exc, c.time, ctx.stepMs) * (1 - preempted(ctx, c, x.bursts ?? []));
  // A slow or failing service shows in the calls of ALL its callers: the mean, not the most troubled one.
  const callerList = ctx.graph.callers(c.service);
  // Right after the change too, as `self`: a burst minutes later has a later cause.
  const lag = (b: Excursion | undefined): number => afterChange(b, c.time, ctx.stepMs);
  const callerTrouble = (p: string): number => {
    const t = at(p);
    const side = callerSide(t, c.service, ctx.stepMs);
    if (side.perEdge) return side.w * lag(side.top?.exc);
    // Naming no callee, its trouble is as much any other callee's doing: shared among them all.
    return Math.max(side.w * lag(side.top?.exc), OWN_AS_CALLS * t.own * lag(t.ownTop?.exc)) / Math.max(1, ctx.graph.callees(p).length);
  };
  const callers = callerList.length === 0 ? 0 : callerList.reduce((m, p) => m + callerTrouble(p), 0) / callerList.length;
  const up = reachable(ctx.graph, c.service, 'up');
  const down = reachable(ctx.graph, c.service, 'down');
  // Trouble below a change that says it sends more down there (see `statedPush`) is its push, not another cause.
  const below = statedPush(c) === undefined ? belowOf(ctx, c.service, x, trouble, up, down, quiet, inferredWith(ctx.inferred, c.service)) : { w: 0 };
  const v = at(ctx.victim);
  const canary = canaryEvidence(ctx, c);
  // What a burst below explains is not this service's own doing: its own burst and its callers'
  // trouble with it count only for the part the burst below leaves unexplained.
  const mine = 1 - below.w;
  return {
    self: Math.max(x.own * soon * mine, canary.value), canary, callers: callers * mine,
    below: below.w, ...(below.what === undefined ? {} : { belowWhat: below.what }), victim: Math.max(v.own, v.client), trouble,
  };
}
