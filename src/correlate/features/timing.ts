import type { Excursion } from '../../detect/acute';
import type { ChangeEvent, Point } from '../../domain/types';
import { median } from '../../stats';
import type { Context } from '../context';
import { lagKernel } from './common';

const MIN = 60_000;

/**
 * How long after change time `t` a burst began, as far as its samples tell: it began somewhere
 * between the series' last sample before it (`since`) and its first far sample (`start`). Every
 * change landing in that interval gets the same lag — with a 5-minute step, a change 4 minutes
 * before the sample and one 1 minute before it are equally placed, and share the burst rather
 * than the later one taking it. That lag is the interval's average: a quarter of it (the mean
 * wait from a change anywhere in the interval to a burst anywhere after it), so a coarse step
 * dates less sharply than a fine one. An earlier change counts from `since` on top; a change
 * after `start` came after the burst was already measured (negative).
 */
export function burstLag(b: Pick<Excursion, 'start' | 'since'>, t: number): number {
  return t >= b.start ? b.start - t : Math.max(0, b.since - t) + (b.start - b.since) / 4;
}

/** Plausibility that burst `b` is the effect of a change at `t` (0 for no burst), by `burstLag`. */
export function afterChange(b: Pick<Excursion, 'start' | 'since'> | undefined, t: number, stepMs: number): number {
  return b === undefined ? 0 : lagKernel(burstLag(b, t), Math.min(stepMs, JITTER_MS), 3 * MIN);
}

/**
 * How far a change's recorded time may trail what it did (deploy events stamped on completion,
 * clock skew): a burst measured up to this long before a change may still be its doing. A sample
 * interval longer than this adds no doubt: the sample before the change was taken before it.
 */
export const JITTER_MS = MIN;

/**
 * How far an earlier change of the same service takes the credit for `c`'s service's trouble, in
 * [0,1]: one of its bursts came before `c` (beyond the jitter), right after that earlier change.
 * The trouble had begun, and the later change would explain only what followed — a service's
 * connections leaping after a config change, its file descriptors a sample later, after a deploy
 * that landed in between: the config change explains both, the deploy only the second.
 */
export function preempted(ctx: Pick<Context, 'candidates' | 'stepMs'>, c: ChangeEvent, bursts: readonly Pick<Excursion, 'start' | 'since'>[]): number {
  let p = 0;
  for (const b of bursts) {
    if (burstLag(b, c.time) >= -JITTER_MS) continue;
    // As sure of it as anything in its interval can be: how far before the interval it landed.
    for (const o of ctx.candidates) if (o.service === c.service && o.time < c.time && o.time < b.start) p = Math.max(p, lagKernel(Math.max(0, b.since - o.time), ctx.stepMs, 3 * MIN));
  }
  return p;
}

/**
 * Share of excursion `e` the series had already covered in its last three samples before it
 * (and no later than `t`), in [0,1]: a leak or a filling pool climbs for minutes before a burst
 * test calls it a burst, and a change landing on the way up did not start it.
 */
export function underWay(points: readonly Point[], e: Pick<Excursion, 'since' | 'baseline' | 'value'>, t: number): number {
  const until = Math.min(e.since, t);
  const last = points.filter((p) => p.t <= until).slice(-3).map((p) => p.v);
  const level = median(last);
  const size = e.value - e.baseline;
  if (level === undefined || size === 0) return 0;
  return Math.min(1, Math.max(0, (level - e.baseline) / size));
}
