import type { Context } from '../context';
import { edgeSignals } from './common';
import { victimLinks } from './edges';
import type { PathEvidence } from './path';

const MIN = 60_000;

/** Callers of the victim whose links into it grew around the onset, out of those whose links we can see. */
export interface FanIn {
  readonly moved: readonly string[];
  readonly visible: number;
  /** moved / visible when at least two callers are visible, else 0. */
  readonly share: number;
}

/**
 * Fan-in consistency. When ONE caller's connections to the victim jump, that caller is the
 * story (it changed how it calls). When ALL callers' connections jump together, they are all
 * waiting longer on a victim that got slow — Little's law — and the cause sits at the victim or
 * below it (a dependency), not in any one caller.
 */
export function fanIn(ctx: Context): FanIn {
  const v = ctx.victim;
  const callers = victimLinks(ctx).filter((u) => ctx.graph.callers(v).includes(u) || (ctx.byService.get(u) ?? []).some((s) => s.peer === v));
  let visible = 0;
  const moved: string[] = [];
  for (const u of callers) {
    const own = edgeSignals(ctx, u, v).filter(({ s }) => s.service === u);
    if (own.length === 0 && !ctx.series.some((s) => s.series.service === u && s.series.labels['server.address'] !== undefined)) continue;
    visible++;
    if (own.some(({ s, w }) => w * s.weight >= 0.3 && s.effect.shift > 0 && Math.abs(s.time - ctx.onset) <= 30 * MIN)) moved.push(u);
  }
  return { moved, visible, share: visible >= 2 ? moved.length / visible : 0 };
}

/** Where the change's path enters the victim: from a caller ('upstream'), from a dependency ('downstream'), or it is the victim. */
export function entry(ctx: Context, p: PathEvidence): 'upstream' | 'downstream' | 'self' | 'none' {
  if (p.dist === 0) return 'self';
  const last = p.path[p.path.length - 1];
  if (last === undefined) return 'none';
  return ctx.graph.callees(last.from).includes(ctx.victim) || last.direction === 'calls' ? 'upstream' : 'downstream';
}
