import { ACUTE_DEFAULTS, acuteExcursion, type AcuteWindow } from '../../detect/acute';
import { peerService } from '../../topology';
import type { Context } from '../context';
import { classifyGolden, ratioFloor, type Golden } from '../golden';
import type { Point } from '../../domain/types';
import type { SeriesData } from '../../ports';
import { metricClass, signalWeight, type Signal } from '../signals';
import type { StitchedSeries } from '../stitch';
import { median, robustScale } from '../../stats';
import { best, type Scored } from './common';

const ERRORS: Golden = { signal: 'errors', side: 'server', bad: 1 };

/**
 * Little's law read both ways: connections a caller holds on a service grow when that service
 * answers slower (the caller waits), and when the caller opens more of them (it pushes). Whether
 * the rise `s` of held connections (a caller's series naming `s.peer`) can be waiting. Not when,
 * around the dated rise, a sample shows the connections half-way up or more while every latency
 * of the peer — its own, or its callers' calls to it — was still within its noise (3 robust σ of
 * the half hour before, at least 10 %): connections first is load pushed onto it,
 * the founding story. Nor when the connections grew twice or more as much as the peer's slowest
 * latency did by then (`EXCESS`): waiting grows them only as much as the wait. Levels, not
 * breakpoint dates: a detector dates a noisy percentile's rise late, and a burst at the page is no
 * breakpoint yet. A peer whose latency nobody measures cannot tell, and counts as waiting.
 */
export function canBeWaiting(ctx: Context, s: Signal): boolean {
  return !judged(ctx, s).pushed;
}

/** Pushed (see `canBeWaiting`), and whether the peer got worse afterwards (slower or failing), within the hour. */
function judged(ctx: Context, s: Signal): Judged {
  let memo = JUDGED.get(ctx);
  if (memo === undefined) JUDGED.set(ctx, (memo = new Map<Signal, Judged>()));
  let hit = memo.get(s);
  if (hit === undefined) memo.set(s, (hit = judge(ctx, s)));
  return hit;
}

interface Judged { readonly pushed: boolean; readonly worse: boolean }
const WAITING: Judged = { pushed: false, worse: false };

/** Latency within this share of its level before (or its own noise) counts as not slower yet. */
const FLAT = 0.1;

/**
 * Samples in a row with the connections up and the peer flat. One: at a one-minute step a push
 * may lead the slowing by a single sample, and waiting can look like it only when the peer slowed
 * in the last few seconds of that sample's interval (its mean still flat, the gauge already up).
 */
const PUSH_RUN = 1;

/**
 * How many times more the connections must have grown than the peer's slowest latency for the
 * rise to be more than waiting: percentiles outgrow the mean wait a pool tracks, so not 1.
 */
const EXCESS = 2;

/** Answers per analysis: every candidate's path asks about the same few signals. */
const JUDGED = new WeakMap<Context, Map<Signal, Judged>>();
const PUSHES = new WeakMap<Context, readonly Signal[]>();
const HEALTH_OF = new WeakMap<Context, Health>();

interface Health {
  readonly latency: ReadonlyMap<string, readonly SeriesData[]>;
  readonly errors: ReadonlyMap<string, readonly SeriesData[]>;
}

/**
 * Every latency and error series of each service: its own (server side) and its callers' calls to
 * it (client side, naming it).
 */
function healthOf(ctx: Context): Health {
  let hit = HEALTH_OF.get(ctx);
  if (hit !== undefined) return hit;
  const known = new Set(ctx.graph.services);
  const latency = new Map<string, SeriesData[]>();
  const errors = new Map<string, SeriesData[]>();
  for (const x of ctx.series) {
    const g = classifyGolden(x.series.metric, x.series.labels, ctx.metricRules);
    const into = g.signal === 'latency' ? latency : g.signal === 'errors' && g.bad === 1 ? errors : undefined;
    if (into === undefined) continue;
    const of = g.side === 'server' ? x.series.service : peerService(x.series.labels, known, x.series.service);
    // A client series naming its own service is no caller's view of it.
    if (of === undefined || (g.side === 'client' && of === x.series.service)) continue;
    into.set(of, [...(into.get(of) ?? []), x]);
  }
  HEALTH_OF.set(ctx, (hit = { latency, errors }));
  return hit;
}

function judge(ctx: Context, s: Signal): Judged {
  const peer = s.peer;
  if (peer === undefined || s.cls !== 'connections' || s.effect.shift <= 0) return WAITING;
  const lat = healthOf(ctx).latency.get(peer) ?? [];
  const conns = s.series.points;
  const step = ctx.stepMs;
  // The half hour before the rise, short of the sample it may already show in.
  const before = (pts: readonly Point[]): number[] => pts.filter((p) => p.t >= s.time - 30 * 60_000 && p.t < s.time - step).map((p) => p.v);
  const cBefore = median(before(conns));
  if (cBefore === undefined || cBefore <= 0) return WAITING;
  // Half-way up: the connections had clearly risen at that sample.
  const up = cBefore + 0.5 * (s.effect.after - cBefore);
  // Samples around the dated rise (a detector dates it within a step or two) and a little after.
  const around = conns.filter((p) => p.t >= s.time - 2 * step && p.t <= s.time + Math.max(3 * step, 60_000));
  // Still flat: within its own noise (3 robust σ) or 10 % (or `least`), whichever is wider.
  const ceilings = (list: readonly SeriesData[], least: (x: SeriesData) => number) => list.flatMap((x) => {
    const base = before(x.points);
    const level = median(base);
    // A series with no level before (a pod started with the rise) tells nothing.
    if (level === undefined || (level <= 0 && least(x) === 0)) return [];
    return [{ points: x.points, level, ceiling: level + Math.max(FLAT * level, 3 * (robustScale(base) ?? 0), least(x)) }];
  });
  const measures = ceilings(lat, () => 0);
  if (measures.length === 0) return WAITING;
  // A latency's reading at connection sample `t`: its last within two steps (series are not sampled in step).
  const readingAt = (m: (typeof measures)[number], t: number): number | undefined => m.points.filter((p) => p.t <= t && p.t > t - 2 * step).at(-1)?.v;
  // Pushed: a sample with the connections well up while every latency of the peer was
  // still flat (one slow canary pod among flat old ones is the peer slowing).
  const above = (m: (typeof measures)[number], t: number): boolean | undefined => {
    const l = readingAt(m, t);
    return l === undefined ? undefined : l >= m.ceiling;
  };
  const flatAt = (t: number): boolean => {
    const now = measures.map((m) => above(m, t)).filter((x): x is boolean => x !== undefined);
    return now.length > 0 && now.every((x) => !x);
  };
  // Or up by far more than any latency of the peer: at a steady request rate, connections held
  // while waiting grow as the wait does (L = λW), so the excess was opened, not waited in.
  const slowerBy = (t: number): number => measures.reduce((m, x) => {
    const l = readingAt(x, t);
    return l === undefined || x.level <= 0 ? m : Math.max(m, l / x.level);
  }, 1);
  const beyondWaiting = (p: Point): boolean => p.v / cBefore >= EXCESS * slowerBy(p.t);
  let run = 0;
  let end: number | undefined;
  for (const p of around) {
    run = p.v >= up && (flatAt(p.t) || beyondWaiting(p)) ? run + 1 : 0;
    if (run >= PUSH_RUN) {
      end = p.t;
      break;
    }
  }
  if (end === undefined) return WAITING;
  // … and worse afterwards: some latency or error ratio of it above its ceiling two samples in a
  // row, within the hour (a service out of descriptors may refuse connections rather than slow).
  // Or the series' last sample alone, twice as far out: at a 5-minute step the page may come one
  // sample after the push, and no later sample can confirm it yet (as `AcuteOptions.lone`).
  const from = end;
  const errors = ceilings(healthOf(ctx).errors.get(peer) ?? [], (x) => ratioFloor(ERRORS, x.series.unit));
  const worse = [...measures, ...errors].some((m) => {
    const later = m.points.filter((p) => p.t > from && p.t <= from + 3600_000);
    const last = m.points.at(-1);
    return later.some((p, i) => p.v >= m.ceiling && ((later[i + 1]?.v ?? -Infinity) >= m.ceiling || (p === last && p.v >= 2 * m.ceiling - m.level)));
  });
  return { pushed: true, worse };
}

/**
 * The least rise of held connections that can be a push, confirmed or young: half as many again.
 * A push opens many more connections; one more of four, or 24 → 27.5 an hour after a flag, is far
 * outside a steady count's noise but no push.
 */
const PUSH_RISE = 0.5;
/** Nor by one connection: in a pool of two or three, one more is its everyday wobble. */
const PUSH_MIN = 2;

/**
 * Connections pushed onto a service: a caller held more of them from `since` on (less a sampling
 * step: not before the change) while the service was not slower yet (`canBeWaiting` says no), and
 * some latency or error ratio of the service rose beyond its noise two samples in a row afterwards,
 * within the hour. With `from`, only the pushes of that caller; with `onto`, only those onto that
 * service. With `burstsIn`, also pushes too young for a breakpoint, from bursts in that window
 * (see `connectionBursts`). The strongest, in [0,1]; its signal names the caller and the service.
 */
export function pushedConnections(ctx: Context, since: number, sel: { readonly from?: string; readonly onto?: string }, burstsIn?: AcuteWindow): Scored {
  let pushes = PUSHES.get(ctx);
  if (pushes === undefined) {
    pushes = ctx.signals.filter((s) => s.cls === 'connections' && s.effect.relative >= PUSH_RISE && judged(ctx, s).worse);
    PUSHES.set(ctx, pushes);
  }
  // A young burst on one instance, where the service's connections onto that peer had already
  // risen (confirmed) before `since`, beyond a sampling step: the same push under way, not a new one.
  const earlier = (s: Signal): boolean => ctx.signals.some((x) => x.cls === 'connections' && x.effect.shift > 0 && x.service === s.service && x.peer === s.peer && x.time < since - ctx.stepMs);
  const young = burstsIn === undefined ? [] : connectionBursts(ctx, burstsIn, sel).filter((s) => !earlier(s) && judged(ctx, s).worse);
  return best(
    [...pushes, ...young]
      .filter((s) => s.time >= since - ctx.stepMs && s.effect.after - s.effect.before >= PUSH_MIN && (sel.from === undefined || s.service === sel.from) && (sel.onto === undefined || s.peer === sel.onto))
      .map((s) => ({ value: s.weight, signal: s })),
  );
}

/** What an unconfirmed burst counts for beside a confirmed move: as a breakpoint of confidence 0.5. */
const YOUNG_CONFIDENCE = 0.5;
const BURSTS = new WeakMap<Context, Map<string, readonly Signal[]>>();
const HELD = new WeakMap<Context, readonly { readonly s: StitchedSeries; readonly peer: string }[]>();

/** Series of connections a service holds on another one it names. */
function heldConnections(ctx: Context): readonly { readonly s: StitchedSeries; readonly peer: string }[] {
  let hit = HELD.get(ctx);
  if (hit !== undefined) return hit;
  const known = new Set(ctx.graph.services);
  hit = ctx.series.flatMap((s) => {
    const peer = metricClass(s.series.metric) === 'connections' ? peerService(s.series.labels, known, s.series.service) : undefined;
    return peer === undefined || peer === s.series.service ? [] : [{ s, peer }];
  });
  HELD.set(ctx, hit);
  return hit;
}

/**
 * Held connections that burst in `win` on a series the detector has confirmed no move of since:
 * at page time a push may be minutes old, too young for a breakpoint. Shaped as the signal it
 * would become (dated at the burst's start, its sustained value as the level after), so the push
 * is judged as a confirmed one is.
 */
function connectionBursts(ctx: Context, win: AcuteWindow, sel: { readonly from?: string; readonly onto?: string }): readonly Signal[] {
  if (heldConnections(ctx).length === 0) return [];
  let memo = BURSTS.get(ctx);
  if (memo === undefined) BURSTS.set(ctx, (memo = new Map<string, readonly Signal[]>()));
  // Per sampling step, as the acute view: every change landing in one step sees the same bursts.
  const key = `${Math.floor(win.from / ctx.stepMs)}:${Math.floor(win.to / ctx.stepMs)}:${sel.from ?? ''}:${sel.onto ?? ''}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const confirmed = new Set(ctx.signals.filter((x) => x.time >= win.from - ctx.stepMs).map((x) => x.series.series.id));
  const out: Signal[] = [];
  for (const { s, peer } of heldConnections(ctx)) {
    if ((sel.from !== undefined && s.series.service !== sel.from) || (sel.onto !== undefined && peer !== sel.onto) || confirmed.has(s.series.id)) continue;
    const exc = acuteExcursion(s.points, 1, win, ACUTE_DEFAULTS);
    if (exc === undefined || exc.ongoing || exc.relative < PUSH_RISE) continue;
    const effect = { before: exc.baseline, after: exc.value, shift: exc.z, relative: exc.relative };
    const bp = { series: s.series, time: exc.start, detectedAt: ctx.at, kind: 'level_up' as const, before: { level: exc.baseline, slope: 0 }, after: { level: exc.value, slope: 0 }, magnitude: exc.z, confidence: YOUNG_CONFIDENCE };
    out.push({ bp, series: s, service: s.series.service, peer, cls: 'connections', edge: true, time: exc.start, effect, weight: signalWeight(effect, YOUNG_CONFIDENCE) });
  }
  memo.set(key, out);
  return out;
}
