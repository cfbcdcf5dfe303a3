import type { ChangeEvent } from '../../domain/types';
import type { Context } from '../context';
import { best, FAST_MS, lagKernel, NONE, SLOW_MS, type Scored } from './common';
import { JITTER_MS } from './timing';

/**
 * Alignment of the change with the ONSET of the victim's trouble (not with the page): the
 * strongest victim breakpoint starting soon after the change. A leak's slope change starts right
 * after its cause even if exhaustion comes hours later, so onsets are what must line up.
 */
export function onsetAlignment(ctx: Context, c: ChangeEvent, tauMs = FAST_MS): Scored {
  return best(ctx.trouble.map(({ s, w }) => ({ value: w * lagKernel(s.time - c.time, ctx.tolMs, tauMs), signal: s })));
}

/** The same with a long time constant: effects delayed by hours (pools refilling, caches expiring, slow rollouts). */
export function delayedAlignment(ctx: Context, c: ChangeEvent): Scored {
  return onsetAlignment(ctx, c, SLOW_MS);
}

/**
 * Trouble the victim already had before the change: the share of its strongest trouble that
 * started more than the jitter tolerance before the change (within 3 h). A change cannot cause
 * what came before it; 0 when the trouble all follows the change.
 */
export function troubleBefore(ctx: Context, c: ChangeEvent): Scored {
  let before: Scored = NONE;
  let after = 0;
  for (const { s, w } of ctx.trouble) {
    if (s.time < c.time - ctx.tolMs) {
      if (s.time >= c.time - 3 * 3600_000 && w > before.value) before = { value: w, signal: s };
    } else after = Math.max(after, w);
  }
  return before.value === 0 ? NONE : { value: before.value / (before.value + after), signal: before.signal };
}

/** How close the change is to the onset (1 right before it, decaying over ~45 min; 0 after it). */
export function recency(ctx: Context, c: ChangeEvent): number {
  return lagKernel(ctx.onset - c.time, ctx.tolMs, FAST_MS);
}

/**
 * How many other candidate changes sit between this one and the onset (0 = the last change before
 * the trouble). Not those within the clock jitter after it: releases a minute apart landed together
 * as far as any clock can tell, and which came last says nothing.
 */
export function changesBetween(ctx: Context, c: ChangeEvent): number {
  return ctx.candidates.filter((o) => o !== c && o.time > c.time + JITTER_MS && o.time <= ctx.onset).length;
}
