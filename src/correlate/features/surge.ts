import { ACUTE_DEFAULTS, acuteExcursion, quietRun, quietStrength, type AcuteWindow } from '../../detect/acute';
import type { ChangeEvent, SeriesRef } from '../../domain/types';
import type { SeriesData } from '../../ports';
import { peerService } from '../../topology';
import type { Context } from '../context';
import { classifyGolden } from '../golden';
import { metricClass } from '../signals';
import { ACUTE_MS, acuteWindow, excursionStrength, type ServiceTrouble } from './acute';
import { afterChange } from './timing';
import { perStep } from './common';

/** A rise of a service's incoming request rate after a reference time. */
export interface Surge {
  /** Strength in [0,1] (as an acute burst: far outside the normal range AND large). */
  readonly w: number;
  /** First sample of the rise (Infinity when none). */
  readonly start: number;
  /** The sample before it: the rise began in (since, start] (see `burstLag`). */
  readonly since: number;
  /** Measured on connections or in-flight calls, which also grow when the other end answers slower. */
  readonly held?: boolean;
  /** A fall's run of samples (falls only, see `lullView`): the series, its last sample, where it was and went. */
  readonly quiet?: { readonly series: SeriesRef; readonly end: number; readonly baseline: number; readonly value: number };
}

const NO_SURGE: Surge = { w: 0, start: Infinity, since: Infinity };

/** Load pushed down from a change: how clearly, and through which measured services, from when. */
export interface Pushed {
  readonly value: number;
  readonly path: readonly string[];
  readonly start: number;
}

const NOT_PUSHED: Pushed = { value: 0, path: [], start: Infinity };

/** Peer of a client series that names none: its load on "some dependency". */
const ANY = '*';
/** Weight of a load series naming no peer as the measure of one hop (as `edgeSignals` discounts it). */
const UNNAMED = 0.6;

/** Key of the load service `from` puts on service `to` in a `surgeView`. */
export const edgeKey = (from: string, to: string): string => `${from}>${to}`;

/**
 * Rises starting within minutes after `t`, against the hour before, memoised per sampling step:
 * of each service's incoming request rate (server-side traffic series), keyed by service, and of
 * the load each service puts on another it names (client-side series with `server.address`,
 * `peer.service`…: calls per callee, connections, pooled or in-flight calls), keyed by
 * `edgeKey`. What has no such series is absent (unmeasured, not quiet). A rise that lasts counts
 * as much as a burst: more requests arriving is a fact, whatever happens next.
 */
export function surgeView(ctx: Context): (t: number) => ReadonlyMap<string, Surge> {
  return loadMoves(ctx, () => true, (s, win) => {
    const exc = acuteExcursion(s.points, 1, win, ACUTE_DEFAULTS);
    return exc === undefined ? undefined : { w: excursionStrength(exc), start: exc.start, since: exc.since };
  });
}

/**
 * Falls, as `surgeView` finds rises: of each service's incoming traffic (request rate, or whatever
 * the metric names map to traffic) and of the calls one service makes to another it names (not
 * connections held: a pool keeps its connections when the calls stop). Requests that stop
 * arriving are what a broken caller leaves below it.
 */
export function lullView(ctx: Context): (t: number) => ReadonlyMap<string, Surge> {
  return loadMoves(ctx, (held) => !held, (s, win) => {
    const q = quietRun(s.points, win);
    return q === undefined ? undefined : { w: quietStrength(q), start: q.start, since: q.since, quiet: { series: s.series, end: q.end, baseline: q.baseline, value: q.value } };
  });
}

/** The load series (incoming traffic by service, client-side load by edge) `keep` admits, each measured by `measure` per step. */
function loadMoves(ctx: Context, keep: (held: boolean) => boolean, measure: (s: SeriesData, win: AcuteWindow) => Omit<Surge, 'held'> | undefined): (t: number) => ReadonlyMap<string, Surge> {
  const known = new Set([...ctx.graph.services, ...ctx.series.map((s) => s.series.service), ...ctx.candidates.map((c) => c.service)]);
  const load = ctx.series.flatMap((s) => {
    const m = s.series.metric;
    const g = classifyGolden(m, s.series.labels, ctx.metricRules);
    // A service's load on others: client-side calls, or connections it holds (not those it accepts).
    const outward = g.side === 'client' || (metricClass(m) === 'connections' && !/server/i.test(m));
    if (g.signal !== 'traffic' && !(g.signal === 'saturation' && outward)) return [];
    if (!outward) return [{ s, key: s.series.service, held: false }];
    const held = g.signal === 'saturation';
    return keep(held) ? [{ s, key: edgeKey(s.series.service, peerService(s.series.labels, known, s.series.service) ?? ANY), held }] : [];
  });
  return perStep(ctx.stepMs, (t) => {
    const win = acuteWindow(ctx, t);
    const out = new Map<string, Surge>();
    for (const { s, key: k, held } of load) {
      const m = measure(s, win);
      const cur = out.get(k) ?? NO_SURGE;
      if (m !== undefined && m.w > cur.w) out.set(k, { ...m, held });
      else if (!out.has(k)) out.set(k, NO_SURGE);
    }
    return out;
  });
}

/** Every call path from `from` down to `to` of at most `maxHops` hops (services in order, both ends included). */
export function downPaths(callees: (s: string) => readonly string[], from: string, to: string, maxHops: number): string[][] {
  const out: string[][] = [];
  const walk = (path: string[]): void => {
    const last = path[path.length - 1] as string;
    if (last === to) {
      out.push(path);
      return;
    }
    if (path.length > maxHops) return;
    for (const n of callees(last)) if (!path.includes(n)) walk([...path, n]);
  };
  walk([from]);
  return out;
}

/**
 * Load pushed down from the changed service, in [0,1]: the founding story (another team's change
 * makes its clients hit us harder). Right after the change, the request rate rose at every
 * measured service on a call path from the changed service down to the service in trouble — the
 * extra requests travelled down the calls — while the changed service's own incoming rate did not
 * rise as early (then it only passed on load from further up). It counts only when the service
 * asked about is in trouble (a burst of its golden signals, or a lasting move) no earlier than a
 * sampling step before the extra requests reached it: trouble first and requests after is callers
 * retrying on a failing service, not load causing trouble.
 */
export function pushedLoad(ctx: Context, c: ChangeEvent, surges: ReadonlyMap<string, Surge>, trouble: ReadonlyMap<string, ServiceTrouble>): Pushed {
  if (c.service === ctx.victim) return NOT_PUSHED;
  const victimTrouble = trouble.get(ctx.victim);
  const lasting = ctx.trouble.filter((x) => x.s.time >= c.time - ctx.tolMs);
  // A page minutes into a surge may come before latency or errors move: the paged service's own
  // request rate leaping is an anomaly of a golden signal too, at half weight.
  const inbound = surges.get(ctx.victim) ?? NO_SURGE;
  const troubleW = Math.max(victimTrouble?.own ?? 0, ...lasting.map((x) => x.w), 0.5 * inbound.w);
  const troubleAt = Math.min(victimTrouble?.ownStart ?? Infinity, ...lasting.map((x) => x.s.time), inbound.w > 0 ? inbound.start : Infinity);
  if (troubleW <= 0) return NOT_PUSHED;
  // Lasting trouble as strong, begun before the change beyond the clock tolerance (within a burst's
  // reach of it): the paged service was already in it, and load arriving afterwards did not start it.
  const reach = ctx.tolMs + Math.max(ACUTE_MS, 3 * ctx.stepMs);
  if (ctx.trouble.some((x) => x.s.time < c.time - ctx.tolMs && x.s.time >= c.time - reach && x.w >= troubleW)) return NOT_PUSHED;
  const own = surges.get(c.service) ?? NO_SURGE;
  let best = NOT_PUSHED;
  for (const path of downPaths((s) => ctx.graph.callees(s), c.service, ctx.victim, 3)) {
    // Each hop A → B is measured by A's load on B (calls, connections) or by B's incoming rate.
    // The first hop is the changed service's own doing only as far as it is measured as its own:
    // its callee's incoming rate rising is any of the callee's callers' doing, shared among them.
    const hops = path.slice(1).map((b, i) => hopLoad(path[i] as string, b, (h) => slowedAway(ctx, h, b, surges, trouble), surges, i > 0 ? 1 : 1 / Math.max(1, ctx.graph.callers(b).length)));
    const measured = hops.filter((h): h is Surge => h !== undefined);
    if (measured.length === 0) continue;
    const first = Math.min(...measured.map((h) => h.start));
    const arrived = hops[hops.length - 1]?.start ?? first;
    if (arrived > troubleAt + ctx.stepMs) continue;
    const weakest = Math.min(...measured.map((h) => h.w * afterChange(h, c.time, ctx.stepMs)));
    const passedOn = own.start <= first + ctx.stepMs ? own.w : 0;
    const value = weakest * (1 - passedOn) * Math.min(1, troubleW);
    if (value > best.value) best = { value, path: path.slice(1).filter((_, i) => hops[i] !== undefined), start: first };
  }
  return best;
}

/**
 * Connections (or in-flight calls) held on `b` also grow when `b` answers slower (Little's law):
 * such a rise counts only for what does not follow `b`'s own latency rising, or `b` holding more
 * on a service below it, no later than it did (then `b` waits on its own dependency) — unless
 * `b`'s incoming rate rose as early (more requests explain both). Rises in
 * calls or in `b`'s incoming rate are more requests, whatever `b`'s speed.
 */
function slowedAway(ctx: Context, h: Surge | undefined, b: string, surges: ReadonlyMap<string, Surge>, trouble: ReadonlyMap<string, ServiceTrouble>): Surge | undefined {
  if (h === undefined || h.held !== true) return h;
  const by = h.start + ctx.stepMs;
  const t = trouble.get(b);
  let slow = t?.ownTop?.golden.signal === 'latency' && t.ownStart <= by ? t.own : 0;
  for (const [k, x] of surges) if (k.startsWith(edgeKey(b, '')) && x.start <= by) slow = Math.max(slow, x.w);
  // …unless more requests reached `b` as early: then its load, not a slow dependency, explains both.
  const busier = surges.get(b);
  if (busier !== undefined && busier.start <= by) slow *= 1 - busier.w;
  return { ...h, w: h.w * (1 - slow) };
}

/**
 * Load arriving at `b` from its caller `a`: `a`'s load on `b` (as far as `held` leaves it), or
 * `b`'s incoming rate (as far as `share` of it may be `a`'s), whichever rose more; `a`'s load
 * naming no peer stands in (discounted) only when nothing names `b`.
 */
function hopLoad(a: string, b: string, held: (h: Surge | undefined) => Surge | undefined, surges: ReadonlyMap<string, Surge>, share: number): Surge | undefined {
  const inbound = surges.get(b);
  const named = strongest(held(surges.get(edgeKey(a, b))), inbound === undefined ? undefined : { ...inbound, w: share * inbound.w });
  if (named !== undefined) return named;
  const any = held(surges.get(edgeKey(a, ANY)));
  return any === undefined ? undefined : { ...any, w: UNNAMED * any.w };
}

/** The stronger of two measures of one hop (undefined when neither is measured). */
function strongest(a: Surge | undefined, b: Surge | undefined): Surge | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.w >= b.w ? a : b;
}

/**
 * For a change of `service`: how far its trouble is explained by load arriving from above, in
 * [0,1] — its incoming request rate rose no later than its trouble AND so did a caller's own
 * incoming rate (the extra requests came from further up; callers retrying on a failing service
 * raise only their calls to it, not what they receive). A change of a service reaches what it
 * receives only through its callers, so whichever service changed, what it received is not its doing.
 */
export function loadFromAbove(ctx: Context, surges: ReadonlyMap<string, Surge>, service: string, trouble: ServiceTrouble | undefined): number {
  const v = surges.get(service);
  if (v === undefined || v.w === 0) return 0;
  const troubleAt = Math.min(trouble?.ownStart ?? Infinity, ...(service === ctx.victim ? ctx.trouble.map((x) => x.s.time) : []));
  if (v.start > troubleAt + ctx.stepMs) return 0;
  let above = 0;
  for (const p of ctx.graph.callers(service)) {
    const s = surges.get(p);
    if (s !== undefined && s.start <= v.start + ctx.stepMs) above = Math.max(above, s.w);
  }
  return Math.min(v.w, above);
}
