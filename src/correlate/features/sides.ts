import type { TopologyGraph } from '../../topology';
import type { Context } from '../context';
import type { ServiceTrouble, Top } from './acute';

/**
 * Where a service's trouble sits relative to a candidate's service: who calls whom (`reachable`),
 * what a caller's trouble says about one callee (`callerSide`), and the burst below a service that
 * explains its own (`belowOf`).
 */

/**
 * Every service that calls `s`, directly or through others (`dir` 'up'); or that `s` calls ('down').
 * Of several services, what any of them reaches (a service of the list only when another reaches it).
 */
export function reachable(graph: TopologyGraph, s: string | readonly string[], dir: 'up' | 'down'): Set<string> {
  const next = (x: string): readonly string[] => (dir === 'up' ? graph.callers(x) : graph.callees(x));
  const seen = new Set<string>();
  const from = typeof s === 'string' ? [s] : s;
  const todo = from.flatMap(next);
  while (todo.length > 0) {
    const x = todo.pop() as string;
    if (seen.has(x) || (typeof s === 'string' && x === s)) continue;
    seen.add(x);
    todo.push(...next(x));
  }
  return seen;
}

/**
 * What caller `t`'s trouble says about its callee `s`: its calls to `s` when it measures its calls
 * per callee; measuring others per callee but not `s`, only its calls as a whole (another edge's
 * burst is not about `s`), and only for the part that no burst of its calls to another callee, as
 * early (within `tolMs`), explains; measuring none per callee, every client figure it has.
 */
export function callerSide(t: ServiceTrouble, s: string, tolMs: number): { readonly w: number; readonly start: number; readonly top?: Top; readonly perEdge: boolean } {
  const edge = t.calls.get(s);
  if (edge !== undefined) return { w: edge.w, start: edge.start, ...(edge.top === undefined ? {} : { top: edge.top }), perEdge: true };
  const top = t.calls.size > 0 ? t.podTop : t.clientTop;
  const start = top?.exc.start ?? Infinity;
  let elsewhere = 0;
  for (const call of t.calls.values()) if (call.start <= start + tolMs) elsewhere = Math.max(elsewhere, call.w);
  return { w: t.calls.size > 0 ? t.podCalls * (1 - elsewhere) : t.client, start, ...(top === undefined ? {} : { top }), perEdge: false };
}

/**
 * How much a caller's own burst speaks for the callees it calls, measuring none of them per callee:
 * its trouble may be its own, so less than its calls would. @default 0.7
 */
export const OWN_AS_CALLS = 0.7;

/**
 * How clearly caller `p` (trouble `t`) shows its callee `d` in trouble, and from when: its calls to
 * `d` (see `callerSide`), else its own burst shared among all it calls.
 */
function callerBurst(ctx: Context, t: ServiceTrouble | undefined, d: string, p: string): { readonly w: number; readonly start: number } {
  if (t === undefined) return { w: 0, start: Infinity };
  const side = callerSide(t, d, ctx.stepMs);
  if (side.perEdge) return { w: side.w, start: side.start };
  // Naming no callee, its trouble is as much any other callee's doing (as `acuteEvidence` shares it).
  const share = Math.max(1, ctx.graph.callees(p).length);
  return side.w >= OWN_AS_CALLS * t.own ? { w: side.w / share, start: side.start } : { w: (OWN_AS_CALLS * t.own) / share, start: t.ownStart };
}

/** How clearly a service's calls to its own dependencies stopped, and from when (see `quietCallees`). */
export type QuietBelow = (service: string) => { readonly value: number; readonly start: number };

/**
 * The strongest burst below service `service` (trouble `x`, of the candidate) as early as its own,
 * and what it is: only a service that burst itself can be a mere symptom of a burst below it.
 */
export function belowOf(ctx: Context, service: string, x: ServiceTrouble, trouble: ReadonlyMap<string, ServiceTrouble>, up: ReadonlySet<string>, down: ReadonlySet<string>, quiet?: QuietBelow, either: ReadonlySet<string> = new Set()): { w: number; what?: string } {
  let best: { w: number; what?: string } = { w: 0 };
  const offer = (w: number, what: string): void => {
    if (w > best.w) best = { w, what };
  };
  if (!Number.isFinite(x.ownStart)) return best;
  const asEarly = x.ownStart + ctx.stepMs;
  for (const [s, tr] of trouble) {
    // A service linked either way (see `inferredWith`) is below it half the time.
    const share = either.has(s) ? 0.5 : !down.has(s) || up.has(s) ? 0 : 1;
    if (share === 0) continue;
    // Not when this service's load on it rose first: then it drives that burst (the fd story).
    // Nor for the part it is pinned at a limit itself: a service out of CPU is not waiting on anyone.
    if (tr.ownStart <= asEarly && !((x.pushes.get(s) ?? Infinity) <= tr.ownStart)) offer(share * tr.own * (1 - x.pinned), s);
  }
  // … or a service below it stopped calling its own dependencies as early (it, or what it calls, broke).
  if (quiet !== undefined) {
    for (const s of down) {
      if (up.has(s)) continue;
      const q = quiet(s);
      if (q.start <= asEarly) offer(q.value, `${s} (its own calls stopped)`);
    }
  }
  // … or its own calls to a service below it got slow or failing as early.
  for (const [d, call] of x.calls) if (down.has(d) && !up.has(d) && call.start <= asEarly) offer(call.w, `its calls to ${d}`);
  // … or the other callers of a service it calls did: a slow service shows in the calls of all
  // its callers, and a datastore that reports nothing itself shows only there. Not callers above
  // or below it (their burst may be its doing, or the same chain's), nor when its load rose first.
  for (const d of ctx.graph.callees(service)) {
    if (up.has(d)) continue;
    const others = ctx.graph.callers(d).filter((p) => p !== service && !up.has(p) && !down.has(p));
    let sum = 0;
    let first: { p: string; start: number } | undefined;
    for (const p of others) {
      const b = callerBurst(ctx, trouble.get(p), d, p);
      if (b.start > asEarly) continue;
      sum += b.w;
      if (first === undefined || b.start < first.start) first = { p, start: b.start };
    }
    if (first !== undefined && !((x.pushes.get(d) ?? Infinity) <= first.start)) offer((sum / others.length) * (1 - x.pinned), `${d} (as ${first.p}, which calls it too, saw)`);
  }
  // … or its calls as a whole did, unless it is busy itself (a starved process times its calls long
  // too); not a sample later: naming no callee, they are the weakest sign of trouble below.
  if (down.size > 0 && x.podCallsStart <= x.ownStart) offer(x.podCalls * (1 - x.sat), 'its calls to its dependencies');
  return best;
}

/**
 * The other dependencies inferred with `service` (none when it was not inferred). Two services
 * that broke in the same minute as the victim are as likely one calling the other as side by
 * side, and timing cannot say which way: each one's burst may be half the other's doing (see
 * `belowOf`), and evidence of its own (its new pods worse than its old ones) tells them apart.
 */
export function inferredWith(inferred: readonly string[], service: string): Set<string> {
  return new Set(inferred.includes(service) ? inferred.filter((s) => s !== service) : []);
}
