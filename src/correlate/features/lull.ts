import type { Burst } from '../../domain/types';
import type { Context } from '../context';
import { edgeKey, type Surge } from './surge';
import { afterChange } from './timing';

/** Calls a changed service stopped making, as evidence that it broke. */
export interface Stopped {
  /** In [0,1]. */
  readonly value: number;
  /** The services whose requests from it fell, strongest first. */
  readonly callees: readonly string[];
  /** First sample of the fall. */
  readonly start: number;
  /** The series that fell, as bursts of the traffic signal (for timelines), strongest first. */
  readonly falls: readonly Burst[];
}

export const NOT_STOPPED: Stopped = { value: 0, callees: [], start: Infinity, falls: [] };

/**
 * What one callee going quiet counts for beside two or more: a service whose own requests fell
 * looks the same when it is the one that broke (or lost its pods); several falling together, with
 * nothing but the caller in common, point at the caller. @default 0.5
 */
export const ONE_CALLEE_SHARE = 0.5;

/**
 * How clearly the changed service stopped calling its dependencies right after the change, in
 * [0,1], from its `quietCallees`: the requests arriving at services it calls (or its calls to them, where measured per
 * callee) fell far below anything the hour before showed. A service that throws before it
 * charges the card or sends the mail leaves its own figures nearly as they were, but payment and
 * email go quiet: on-call engineers read "payments dropped to zero" as "checkout is broken". It
 * does not count for what the changed service merely passed on: when the requests arriving at
 * the changed service itself fell as early, fewer came in, and fewer went out. Nor for calls that
 * stopped and came back before the page: that was an earlier trouble, over by now. A callee's
 * incoming rate speaks for its callers only when the changed service is the only one; with other
 * callers, only the calls measured from the changed service to it do (a service that stops
 * answering loses the requests of every caller).
 */
export function stoppedCalling(quiet: Stopped): Stopped {
  return quiet.callees.length >= 2 ? quiet : { ...quiet, value: ONE_CALLEE_SHARE * quiet.value };
}

/**
 * `quietCallees` of any service for a change at `t`, each worked out once: one candidate asks it of
 * its own service and, as trouble below, of every service below it, twice over.
 */
export function quietView(ctx: Context, t: number, lulls: ReadonlyMap<string, Surge>): (service: string) => Stopped {
  const memo = new Map<string, Stopped>();
  return (service) => {
    let q = memo.get(service);
    if (q === undefined) memo.set(service, (q = quietCallees(ctx, service, t, lulls)));
    return q;
  };
}

/**
 * How clearly `service`'s calls to the services it calls stopped right after `t` (as
 * `stoppedCalling` reads them), one callee or many alike: for the question "is something below in
 * trouble?" it does not matter whether the caller or its callee broke — both are below.
 */
export function quietCallees(ctx: Context, service: string, t: number, lulls: ReadonlyMap<string, Surge>): Stopped {
  const falls: { callee: string; w: number; start: number; fall: Surge }[] = [];
  for (const y of ctx.graph.callees(service)) {
    if (y === service) continue;
    // All the requests a service receives stopping is its own callers' doing only when this is its only caller.
    const sole = ctx.graph.callers(y).every((x) => x === service);
    const fall = strongest(lulls.get(edgeKey(service, y)), sole ? lulls.get(y) : undefined);
    const end = fall?.quiet?.end;
    const over = end !== undefined && end < Math.min(ctx.at, ctx.to) - 2 * ctx.stepMs;
    const w = fall === undefined || over ? 0 : fall.w * afterChange(fall, t, ctx.stepMs);
    if (fall !== undefined && w > 0) falls.push({ callee: y, w, start: fall.start, fall });
  }
  if (falls.length === 0) return NOT_STOPPED;
  falls.sort((a, b) => b.w - a.w);
  const top = falls[0] as { w: number; start: number };
  const start = Math.min(...falls.map((f) => f.start));
  const own = lulls.get(service);
  const passedOn = own !== undefined && own.start <= start + ctx.stepMs ? own.w : 0;
  const bursts = falls.flatMap(({ fall: f }) => (f.quiet === undefined ? [] : [{ series: f.quiet.series, role: 'callees' as const, signal: 'traffic', start: f.start, end: f.quiet.end, baseline: f.quiet.baseline, value: f.quiet.value }]));
  return { value: top.w * (1 - passedOn), callees: falls.map((f) => f.callee), start, falls: bursts };
}

function strongest(a: Surge | undefined, b: Surge | undefined): Surge | undefined {
  if (a === undefined || (b !== undefined && b.w > a.w)) return b;
  return a;
}
