import type { ChangeEvent } from '../../domain/types';
import type { Context } from '../context';
import { classifyGolden, type GoldenSignal, type MetricRule } from '../golden';
import type { Signal } from '../signals';
import { median } from '../../stats';
import type { ServiceTrouble } from './acute';
import { reachable } from './sides';
import { NONE, type Scored } from './common';
import { changePushes } from './callee';

const HOUR = 3600_000;

/**
 * How long before a service's own trouble a worsening below it may have settled in and still be
 * what it passes on: slowness and failures reach the callers within minutes, so a service that
 * stayed well for longer after it has another cause for its trouble now. @default 10 min
 */
export const SETTLED_BEFORE_MS = 10 * 60_000;

/**
 * Lasting moves (breakpoints, not bursts) of `service`'s own health in the bad direction: its
 * server-side latency, errors or saturation up, success down. Per-edge series are the links'.
 */
export function badMoves(ctx: Context, service: string, kinds?: ReadonlySet<GoldenSignal>): { readonly s: Signal; readonly w: number }[] {
  return badOf(ctx.byService.get(service) ?? [], ctx.metricRules, kinds);
}

/** Lasting moves of `service`'s calls to `peer` (client side, naming it) in the bad direction. */
function badCalls(ctx: Context, service: string, peer: string, kinds?: ReadonlySet<GoldenSignal>): { readonly s: Signal; readonly w: number }[] {
  return badOf((ctx.byService.get(service) ?? []).filter((s) => s.peer === peer), ctx.metricRules, kinds, 'client');
}

/**
 * `badMoves` over any list of one service's signals (before a context exists, see ../co-onset.ts);
 * with `side` 'client', its calls' latency and errors instead (connections held are load, not health).
 */
export function badOf(signals: readonly Signal[], rules: readonly MetricRule[], kinds?: ReadonlySet<GoldenSignal>, side: 'server' | 'client' = 'server'): { readonly s: Signal; readonly w: number }[] {
  const out: { s: Signal; w: number }[] = [];
  for (const s of signals) {
    if (side === 'server' && s.edge) continue;
    const g = classifyGolden(s.series.series.metric, s.series.series.labels, rules);
    if (g.bad === 0 || g.side !== side || (side === 'client' && g.signal === 'saturation') || Math.sign(s.effect.shift) !== g.bad || (kinds !== undefined && !kinds.has(g.signal))) continue;
    out.push({ s, w: s.weight });
  }
  return out;
}

/**
 * Whether the move of `s` still holds just before `t`: the median of the last three samples before
 * `t` is at least half-way from the level before the move to the level after it.
 */
export function stillMoved(s: Signal, t: number, stepMs: number): boolean {
  const recent = s.series.points.filter((p) => p.t < t && p.t >= t - 3 * stepMs).map((p) => p.v);
  const level = median(recent);
  if (level === undefined) return false;
  const { before, after } = s.effect;
  return (level - before) * Math.sign(after - before) >= 0.5 * Math.abs(after - before);
}

/** The least weight of a lasting move that dates a service's own trouble: a move of weight 0 is noise the detector kept. */
const MOVED = 0.1;

/**
 * Trouble that had already settled in below a change's service before that service's own trouble
 * began, so its burst (or its worsening as a whole) is not the change's doing: bursts are measured
 * against the minutes before them and are blind to a lasting move (src/detect/acute.ts leaves
 * breakpoints out). What an on-call engineer rules out at once: a service it depends on moved to a
 * worse level first (slowness from below), unless the changed service's own load on it rose a step
 * or more before (its callers' connections to a dependency that slows grow in the same minute).
 * Its own trouble begins at its first burst or lasting worsening after the change. The strongest
 * such move below, in [0,1]; its signal names it.
 */
export function troubleFirst(ctx: Context, c: ChangeEvent, own: ServiceTrouble | undefined, kinds?: ReadonlySet<GoldenSignal>, calls = false): Scored {
  const lasting = badMoves(ctx, c.service).filter(({ s, w }) => w >= MOVED && s.time >= c.time - ctx.tolMs).reduce((m, { s }) => Math.min(m, s.time), Infinity);
  const start = Math.min(own?.ownStart ?? Infinity, lasting);
  if (!Number.isFinite(start)) return NONE;
  const up = reachable(ctx.graph, c.service, 'up');
  const pushes = changePushes(ctx, c, own);
  let below: Scored = NONE;
  for (const d of reachable(ctx.graph, c.service, 'down')) {
    if (up.has(d)) continue;
    const pushed = pushes.get(d) ?? Infinity;
    // With `calls`, its own calls to it too: a database that reports nothing itself shows only there.
    for (const { s, w } of calls ? [...badMoves(ctx, d, kinds), ...badCalls(ctx, c.service, d, kinds)] : badMoves(ctx, d, kinds)) {
      // Settled in before (or with) the service's own trouble, and still there then: an earlier incident that recovered is not.
      const first = s.time >= Math.max(c.time - 2 * HOUR, start - SETTLED_BEFORE_MS) && s.time <= start + ctx.stepMs && s.time < pushed + ctx.stepMs && stillMoved(s, Math.max(start, s.time + 3 * ctx.stepMs) + 1, ctx.stepMs);
      if (first && w > below.value) below = { value: w, signal: s };
    }
  }
  return below;
}
