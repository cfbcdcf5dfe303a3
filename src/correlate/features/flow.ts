import type { ChangeEvent } from '../../domain/types';
import type { Context } from '../context';
import { aroundOnset, best, type Scored } from './common';
import { canBeWaiting } from './little';
import type { PathEvidence } from './path';

const MIN = 60_000;

/**
 * Did the changed service merely pass the disturbance on? A service's request rate is set by its
 * callers: a change to the service itself can make it slower or hungrier, not busier. When its
 * request rate rose around the onset, the trouble reached it from upstream, and the change on it
 * is a bystander (a flag two hops up sends more traffic through every service in between).
 */
export function passThrough(ctx: Context, c: ChangeEvent): Scored {
  const near = aroundOnset(ctx, 60 * MIN);
  return best((ctx.byService.get(c.service) ?? []).filter((s) => s.cls === 'traffic' && s.peer === undefined && s.effect.shift > 0 && near(s.time)).map((s) => ({ value: s.weight, signal: s })));
}

/**
 * A path that changes direction (the change's service and the victim both call a shared
 * service, or are both called by one) carries an effect only through that shared service's
 * capacity: a weaker route than a chain of calls in one direction.
 */
export function mixedPath(p: PathEvidence): number {
  const dirs = new Set(p.path.map((st) => st.direction));
  return dirs.size > 1 ? 1 : 0;
}

/**
 * The downstream mirror of `passThrough`: a dependency that got slow because ITS dependency did
 * holds more connections to that one. When the changed service's own calls further down grew
 * around the onset, the slowness began below it — unless it held more connections there before
 * the service below slowed (`canBeWaiting`): then it pushed them.
 */
export function downThrough(ctx: Context, c: ChangeEvent, p: PathEvidence): Scored {
  const near = aroundOnset(ctx, 60 * MIN);
  const onPath = new Set([ctx.victim, ...p.path.map((st) => st.to)]);
  return best(
    (ctx.byService.get(c.service) ?? [])
      .filter((s) => s.edge && s.peer !== undefined && !onPath.has(s.peer) && ctx.graph.callees(c.service).includes(s.peer) && s.effect.shift > 0 && near(s.time) && canBeWaiting(ctx, s))
      .map((s) => ({ value: s.weight, signal: s })),
  );
}
