import { peerService } from '../../topology';
import type { Context } from '../context';
import { classifyGolden } from '../golden';
import type { Point } from '../../domain/types';
import type { Signal } from '../signals';
import { median } from '../../stats';
import { best, type Scored } from './common';

/**
 * Little's law read both ways: connections a caller holds on a service grow when that service
 * answers slower (the caller waits), and when the caller opens more of them (it pushes). Whether
 * the rise `s` of held connections (a caller's series naming `s.peer`) can be waiting. Not when,
 * around the dated rise, two samples in a row show the connections half-way up or more while a
 * latency of the peer — its own, or its callers' calls to it — was still within 10 % of its level
 * before: connections first and the peer slower afterwards is load pushed onto it, the founding
 * story. Levels, not breakpoint dates: a detector dates a noisy percentile's rise late. A peer
 * whose latency nobody measures cannot tell, and counts as waiting.
 */
export function canBeWaiting(ctx: Context, s: Signal): boolean {
  let memo = WAITING.get(ctx);
  if (memo === undefined) WAITING.set(ctx, (memo = new Map<Signal, boolean>()));
  let hit = memo.get(s);
  if (hit === undefined) memo.set(s, (hit = waiting(ctx, s)));
  return hit;
}

/** Latency within this of its level before counts as not slower yet. */
const FLAT = 1.1;

/** Answers per analysis: every candidate's path asks about the same few signals. */
const WAITING = new WeakMap<Context, Map<Signal, boolean>>();
const PUSHES = new WeakMap<Context, readonly Signal[]>();


function waiting(ctx: Context, s: Signal): boolean {
  const peer = s.peer;
  if (peer === undefined || s.cls !== 'connections' || s.effect.shift <= 0) return true;
  const known = new Set(ctx.graph.services);
  const latencyOf = (metric: string, labels: Readonly<Record<string, string>>, service: string, edge: boolean): boolean => {
    const g = classifyGolden(metric, labels, ctx.metricRules);
    if (g.signal !== 'latency') return false;
    return edge ? g.side === 'client' && peerService(labels, known, service) === peer : g.side === 'server' && service === peer;
  };
  const lat = ctx.series.filter((x) => latencyOf(x.series.metric, x.series.labels, x.series.service, x.series.service !== peer));
  const conns = s.series.points;
  const step = ctx.stepMs;
  const levelBefore = (pts: readonly Point[]): number | undefined => median(pts.filter((p) => p.t >= s.time - 30 * 60_000 && p.t < s.time - step).map((p) => p.v));
  const cBefore = levelBefore(conns);
  if (cBefore === undefined || cBefore <= 0) return true;
  // Half-way up: the connections had clearly risen at that sample.
  const up = cBefore + 0.5 * (s.effect.after - cBefore);
  // Samples around the dated rise (a detector dates it within a step or two) and a little after.
  const around = conns.filter((p) => p.t >= s.time - 2 * step && p.t <= s.time + Math.max(3 * step, 60_000));
  const measures = lat.flatMap((x) => {
    const before = levelBefore(x.points);
    // A series with no level before (a pod started with the rise) tells nothing.
    return before === undefined || before <= 0 ? [] : [{ points: x.points, before }];
  });
  if (measures.length === 0) return true;
  // Pushed: two samples in a row with the connections well up while every latency of the peer was
  // still flat (one slow canary pod among flat old ones is the peer slowing).
  const flatAt = (t: number): boolean => {
    const now = measures.flatMap((m) => {
      const l = m.points.filter((p) => p.t <= t && p.t > t - 2 * step).at(-1)?.v;
      return l === undefined ? [] : [l / m.before];
    });
    return now.length > 0 && now.every((r) => r < FLAT);
  };
  let run = 0;
  for (const p of around) {
    run = p.v >= up && flatAt(p.t) ? run + 1 : 0;
    if (run >= 2) return false;
  }
  return true;
}

/** The first latency rise of `peer` (its own, or its callers' calls to it) after `t`, within the hour. */
function slowedAfter(ctx: Context, peer: string, t: number): number {
  const known = new Set(ctx.graph.services);
  let first = Infinity;
  for (const x of ctx.signals) {
    if (x.time <= t || x.time > t + 3600_000 || x.effect.shift <= 0 || x.time >= first) continue;
    const g = classifyGolden(x.series.series.metric, x.series.series.labels, ctx.metricRules);
    if (g.signal !== 'latency') continue;
    const own = x.service === peer && g.side === 'server';
    const calls = x.service !== peer && g.side === 'client' && peerService(x.series.series.labels, known, x.service) === peer;
    if (own || calls) first = x.time;
  }
  return first;
}

/**
 * Connections pushed onto a service: a caller held more of them from `since` on (less a sampling
 * step: not before the change), and the service slowed afterwards, within the hour (`canBeWaiting` says no). With
 * `from`, only the pushes of that caller; with `onto`, only those onto that service. The strongest,
 * in [0,1]; its signal names the caller and the service.
 */
export function pushedConnections(ctx: Context, since: number, sel: { readonly from?: string; readonly onto?: string }): Scored {
  let pushes = PUSHES.get(ctx);
  if (pushes === undefined) {
    pushes = ctx.signals.filter((s) => s.cls === 'connections' && s.peer !== undefined && s.effect.shift > 0 && !canBeWaiting(ctx, s) && Number.isFinite(slowedAfter(ctx, s.peer, s.time)));
    PUSHES.set(ctx, pushes);
  }
  return best(
    pushes
      .filter((s) => s.time >= since - ctx.stepMs && (sel.from === undefined || s.service === sel.from) && (sel.onto === undefined || s.peer === sel.onto))
      .map((s) => ({ value: s.weight, signal: s })),
  );
}
