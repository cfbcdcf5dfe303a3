import type { ChangeEvent } from '../../domain/types';
import type { Context } from '../context';
import type { Signal } from '../signals';
import { canBeWaiting } from './little';

const MIN = 60_000;

/** Time constant of "soon after": most effects show within minutes; leaks and rollouts within the hour. @default 45 min */
export const FAST_MS = 45 * MIN;
/** Time constant for delayed effects (caches expiring, pools refilling, slow rollouts). @default 4 h */
export const SLOW_MS = 4 * 60 * MIN;

/**
 * Moves within this window around the victim's onset belong to the same trouble (a bystander's
 * request rate rising, the victim's links growing). @default 30 min either side
 */
export function aroundOnset(ctx: Context, beforeMs = 30 * MIN, afterMs = 30 * MIN): (t: number) => boolean {
  return (t) => t >= ctx.onset - beforeMs && t <= ctx.onset + afterMs;
}

/**
 * `compute(t)` memoised per sampling step of `stepMs`: many candidate changes fall in one step and
 * share its answer (the first t of a step computes it).
 */
export function perStep<T>(stepMs: number, compute: (t: number) => T): (t: number) => T {
  const memo = new Map<number, T>();
  return (t) => {
    const key = Math.floor(t / stepMs);
    let hit = memo.get(key);
    if (hit === undefined) memo.set(key, (hit = compute(t)));
    return hit;
  };
}

/**
 * Plausibility that something at `lag` ms after a change is its effect: 0 clearly before it
 * (beyond `tolMs`, timestamps and sampling jitter), 1 right after, decaying with `tauMs`. Within
 * the jitter the order is uncertain, not reversed: a move seen slightly before the change counts
 * half to fully.
 */
export function lagKernel(lag: number, tolMs: number, tauMs: number): number {
  if (lag < -tolMs) return 0;
  if (lag < 0) return 1 + (0.5 * lag) / tolMs;
  return Math.exp(-lag / tauMs);
}

/** One feature's value plus the signal behind it, so the explanation can quote real numbers. */
export interface Scored {
  readonly value: number;
  readonly signal?: Signal;
}

export const NONE: Scored = { value: 0 };

export function best(items: Iterable<Scored>): Scored {
  let top: Scored = NONE;
  for (const x of items) if (x.value > top.value) top = x;
  return top;
}

/**
 * Connection/call signals between `a` and `b` in either direction: series on one naming the other
 * (server.address, peer.service…), or — at a discount, when peers are not labelled — a connection
 * series without a peer on a service that calls the other per the topology.
 */
export function edgeSignals(ctx: Context, a: string, b: string): { s: Signal; w: number }[] {
  const out: { s: Signal; w: number }[] = [];
  for (const [u, v] of [[a, b], [b, a]] as const) {
    const calls = ctx.graph.callees(u).includes(v);
    for (const s of ctx.byService.get(u) ?? []) {
      if (s.peer === v) out.push({ s, w: 1 });
      else if (s.peer === undefined && s.edge && calls) out.push({ s, w: 0.6 });
    }
  }
  return out;
}

/** Evidence that the a–b link changed after `change`: strongest aligned edge signal (growth counts fully, a drop half). */
export function hopEvidence(ctx: Context, a: string, b: string, change: ChangeEvent, tauMs = SLOW_MS): Scored {
  return best(
    // Connections held on `a` (the side nearer the change) carry its effect up only as `a` slowing.
    edgeSignals(ctx, a, b).filter(({ s }) => s.peer !== a || canBeWaiting(ctx, s)).map(({ s, w }) => ({
      value: w * s.weight * (s.effect.shift > 0 ? 1 : 0.5) * lagKernel(s.time - change.time, ctx.tolMs, tauMs),
      signal: s,
    })),
  );
}
