import type { ChangeEvent } from '../../domain/types';
import { statedSend, type StatedSend } from '../../domain/settings';
import type { Context } from '../context';
import type { ServiceTrouble, Top } from './acute';
import { belowOf, reachable, type QuietBelow } from './sides';
import type { Surge } from './surge';
import { afterChange, JITTER_MS, underWay } from './timing';

/**
 * What a burst of the paged service right after its caller's change counts for beside a burst of
 * the changed service itself: timing and one call edge, with no load measured to show how the
 * change reached it. @default 0.5
 */
export const CALLEE_SHARE = 0.5;

/**
 * A change that says it sends this many times more to the services it calls (a client pool,
 * concurrency or retry setting, see `sendFactor`) says how it reached them: their burst right after
 * counts in full, as a push measured on connection counters does. Doubling, not less: a pool
 * resized by a few connections pushes no one over. @default 2
 */
export const STATED_MIN = 2;

export interface CalleeBurst {
  readonly value: number;
  /** The service it calls that burst right after. */
  readonly service?: string;
  readonly top?: Top;
  /** The setting by which the change says it sends more (at least `STATED_MIN` times). */
  readonly stated?: StatedSend;
}

const NO_BURST: CalleeBurst = { value: 0 };

/** The setting by which a change says it sends at least `STATED_MIN` times as much to the services it calls. */
export function statedPush(c: ChangeEvent): StatedSend | undefined {
  const s = statedSend(c);
  return s !== undefined && s.factor >= STATED_MIN ? s : undefined;
}

/**
 * The services a stated push reaches: the callee its key names (`clients.ledger.retries.max`,
 * `orders-db.client.maxRetries`), else every service the changed one calls; with all below them,
 * as what it sends more of, they send on. `direct` are the callees it pushes on itself.
 */
export function pushTargets(ctx: Context, c: ChangeEvent, stated: StatedSend): { readonly direct: readonly string[]; readonly all: ReadonlySet<string> } {
  const callees = ctx.graph.callees(c.service);
  const segments = stated.setting.key.split(/[./]/);
  const named = callees.filter((d) => segments.includes(d));
  if (named.length === 0) return { direct: callees, all: reachable(ctx.graph, c.service, 'down') };
  const all = new Set(named);
  for (const d of named) for (const x of reachable(ctx.graph, d, 'down')) if (x !== c.service) all.add(x);
  return { direct: named, all };
}

/**
 * When the changed service began pushing on each service below it: measured on its connection
 * counters (`ServiceTrouble.pushes`, from when connections to that service rose) or said by the
 * change itself (`statedPush`: on every push target, from the change's time less the clock jitter
 * and a step). Trouble below that began after it is the change's push, not another cause.
 */
export function changePushes(ctx: Context, c: ChangeEvent, own: ServiceTrouble | undefined): ReadonlyMap<string, number> {
  const measured = own?.pushes ?? new Map<string, number>();
  const stated = statedPush(c);
  if (stated === undefined) return measured;
  const from = c.time - JITTER_MS - ctx.stepMs;
  const out = new Map(measured);
  for (const d of pushTargets(ctx, c, stated).all) out.set(d, Math.min(out.get(d) ?? Infinity, from));
  return out;
}

/**
 * For a change of a service that calls the paged service: how clearly the paged service's own
 * golden signals (latency, errors, saturation) burst right after it, in [0,1]. A caller that
 * changes how it calls (pool sizes, keep-alive, retries, timeouts) makes trouble at its callee
 * before any of its own figures move, and without connection counters the callee's burst is all
 * that shows. An on-call engineer reads "it broke a minute after the service that calls it
 * changed" as evidence, less than the callee's own release breaking it (hence `CALLEE_SHARE`),
 * and not for what the callee's trouble has another reading of:
 * - a service below the callee burst, or stopped calling its own dependencies, as early (the
 *   trouble came from further down, see `belowOf`);
 * - the caller's own incoming request rate rose as early (it only passed load on from above);
 * - the series that burst was already on its way up before the change (see `underWay`);
 * - the paged service's trouble had begun before it (its onset more than `JITTER_MS` earlier): a
 *   later change of a caller may have added to it, but did not start it.
 * A change that says it sends much more to what it calls (`STATED_MIN`) counts in full, and for
 * any service below it on the way down to the paged one, seen by that service's own figures or by
 * the calls to it of the changed service or of one in between (a datastore measured only by its
 * clients): the founding story, a caller's pool raised until its callee ran out of room.
 */
export function burstAtCallee(ctx: Context, c: ChangeEvent, trouble: ReadonlyMap<string, ServiceTrouble>, surges: ReadonlyMap<string, Surge>, quiet?: QuietBelow, only?: string): CalleeBurst {
  const v = ctx.victim;
  if (c.service === v || ctx.onset < c.time - JITTER_MS) return NO_BURST;
  const stated = statedPush(c);
  // What it sends more of, the services it calls send on: any of them on the way to the paged one.
  const sent = stated === undefined ? new Set<string>() : pushTargets(ctx, c, stated).all;
  const towardsVictim = stated === undefined ? new Set<string>() : reachable(ctx.graph, v, 'down');
  const targets = stated === undefined ? ctx.graph.callees(c.service).filter((d) => d === v) : [...sent].filter((d) => d === v || towardsVictim.has(d));
  const load = surges.get(c.service);
  let best = NO_BURST;
  for (const d of targets) {
    if (only !== undefined && d !== only) continue;
    const t = trouble.get(d);
    const own = t?.ownTop === undefined ? undefined : { w: t.own, top: t.ownTop, start: t.ownStart };
    // … or the calls to it of those that send it what the change sends more of (a datastore measured only by its clients).
    const views = [own];
    if (stated !== undefined) {
      for (const p of ctx.graph.callers(d)) {
        const edge = p === c.service || sent.has(p) ? trouble.get(p)?.calls.get(d) : undefined;
        if (edge?.top !== undefined) views.push({ w: edge.w, top: edge.top, start: edge.start });
      }
    }
    const below = t === undefined ? 0 : belowOf(ctx, d, t, trouble, reachable(ctx.graph, d, 'up'), reachable(ctx.graph, d, 'down'), quiet).w;
    for (const seen of views) {
      if (seen === undefined || seen.w === 0) continue;
      const soon = afterChange(seen.top.exc, c.time, ctx.stepMs);
      if (soon === 0) continue;
      const passedOn = load !== undefined && load.start <= seen.start + ctx.stepMs ? load.w : 0;
      const before = underWay(seen.top.series.points, seen.top.exc, c.time - ctx.stepMs);
      const value = (stated === undefined ? CALLEE_SHARE : 1) * seen.w * soon * (1 - below) * (1 - passedOn) * (1 - before);
      if (value > best.value) best = { value, service: d, top: seen.top, ...(stated === undefined ? {} : { stated }) };
    }
  }
  return best;
}

/**
 * How far another change that says it pushes onto `c`'s service (see `burstAtCallee`) explains
 * that service's burst right after it, in [0,1]: the mirror of a push measured on connection
 * counters (`pushedConnections` onto it), at `SAID_ONTO_SHARE` as a statement is no measurement
 * — the founding story's trap, the paged team's own release beside another team's pool change.
 */
export function saidOnto(ctx: Context, c: ChangeEvent, view: (t: number) => ReadonlyMap<string, ServiceTrouble>, surges: (t: number) => ReadonlyMap<string, Surge>, quiet: (t: number) => QuietBelow): SaidOnto {
  let best: SaidOnto = { value: 0 };
  for (const o of ctx.candidates) {
    if (o.service === c.service || statedPush(o) === undefined) continue;
    const b = burstAtCallee(ctx, o, view(o.time), surges(o.time), quiet(o.time), c.service);
    if (SAID_ONTO_SHARE * b.value > best.value && b.stated !== undefined) best = { value: SAID_ONTO_SHARE * b.value, by: o, stated: b.stated };
  }
  return best;
}

/**
 * How far an earlier change of `c`'s own service that says it pushes (see `statedPush`) owns what
 * the service was measured pushing after `c` (`moves`: connections held, requests sent down, each
 * of some strength onto a peer): the push it announced, onto a service it said it would push on,
 * in the `SAID_EARLIER_MS` before `c`, read at `SAID_EARLIER_SHARE`. A pool raised by a config
 * takes hold at the next restart or as load comes: the release that went out after it may only be
 * when (the founding story's trap). `c` saying a push itself keeps its own.
 */
export function saidEarlier(ctx: Context, c: ChangeEvent, moves: readonly { readonly value: number; readonly peer: string | undefined }[]): SaidOnto {
  // Read for every candidate: most pushed nothing, and need no look at the others.
  if (moves.every((m) => m.value <= 0 || m.peer === undefined) || statedPush(c) !== undefined) return NOT_SAID;
  let best: SaidOnto = NOT_SAID;
  for (const o of ctx.candidates) {
    if (o.service !== c.service || o.time >= c.time || o.time < c.time - SAID_EARLIER_MS) continue;
    const stated = statedPush(o);
    if (stated === undefined) continue;
    const targets = pushTargets(ctx, o, stated).direct;
    for (const m of moves) {
      const value = SAID_EARLIER_SHARE * m.value;
      if (m.peer !== undefined && targets.includes(m.peer) && value > best.value) best = { value, by: o, stated };
    }
  }
  return best;
}

/** Either may be it: the announcement and the later change each take half. @default 0.5 */
export const SAID_EARLIER_SHARE = 0.5;
/**
 * How long before `c` an announced push still owns what its service pushes after `c`: one that
 * held no push for longer is no longer the news (as a push onto a service, `ONTO_BEFORE_MS`). @default 30 min
 */
export const SAID_EARLIER_MS = 30 * 60_000;
const NOT_SAID: SaidOnto = { value: 0 };

/** Either may be it: a change that says it pushes onto a service that then burst takes half that service's own change's credit. @default 0.5 */
export const SAID_ONTO_SHARE = 0.5;

export interface SaidOnto {
  readonly value: number;
  readonly by?: ChangeEvent;
  readonly stated?: StatedSend;
}
