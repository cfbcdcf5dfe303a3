import type { ChangeEvent } from '../../domain/types';
import type { Context } from '../context';
import type { ServiceTrouble } from './acute';
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
 * For a change of a service that calls the paged service directly: how clearly the paged service's
 * own golden signals (latency, errors, saturation) burst right after it, in [0,1]. A caller that
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
 */
export function burstAtCallee(ctx: Context, c: ChangeEvent, trouble: ReadonlyMap<string, ServiceTrouble>, surges: ReadonlyMap<string, Surge>, quiet?: QuietBelow): number {
  const v = ctx.victim;
  if (c.service === v || !ctx.graph.callees(c.service).includes(v) || ctx.onset < c.time - JITTER_MS) return 0;
  const t = trouble.get(v);
  if (t === undefined || t.own === 0 || t.ownTop === undefined) return 0;
  const soon = afterChange(t.ownTop.exc, c.time, ctx.stepMs);
  if (soon === 0) return 0;
  const below = belowOf(ctx, t, trouble, reachable(ctx.graph, v, 'up'), reachable(ctx.graph, v, 'down'), quiet).w;
  const load = surges.get(c.service);
  const passedOn = load !== undefined && load.start <= t.ownStart + ctx.stepMs ? load.w : 0;
  const before = underWay(t.ownTop.series.points, t.ownTop.exc, c.time - ctx.stepMs);
  return CALLEE_SHARE * t.own * soon * (1 - below) * (1 - passedOn) * (1 - before);
}
