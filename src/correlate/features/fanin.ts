import type { Context } from '../context';
import { aroundOnset, edgeSignals } from './common';
import { victimLinks } from './edges';
import type { PathEvidence } from './path';

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
  const near = aroundOnset(ctx);
  const callers = victimLinks(ctx).filter((u) => ctx.graph.callers(v).includes(u) || (ctx.byService.get(u) ?? []).some((s) => s.peer === v));
  let visible = 0;
  const moved: string[] = [];
  for (const u of callers) {
    const own = edgeSignals(ctx, u, v).filter(({ s }) => s.service === u);
    if (own.length === 0 && !ctx.series.some((s) => s.series.service === u && s.series.labels['server.address'] !== undefined)) continue;
    visible++;
    if (own.some(({ s, w }) => w * s.weight >= 0.3 && s.effect.shift > 0 && near(s.time))) moved.push(u);
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

/** What the victim itself did around the onset, beyond its inbound links. */
export interface VictimSide {
  /** Strongest growth of the victim's own connections to a dependency (±30 min of the onset). */
  readonly outbound: number;
  readonly outboundPeer?: string;
  /** Strongest rise of the victim's incoming traffic (request rate) around the onset. */
  readonly traffic: number;
  /** Share of the victim's dependencies (two or more visible) whose connections from it grew around the onset. */
  readonly fanOut: number;
}

/**
 * A caller that changes how it connects (more pooled connections) leaves the victim's own calls
 * alone; more traffic from upstream raises the victim's request rate and, with it, its calls to
 * dependencies; a slower dependency raises the victim's connections to it with the request rate
 * unchanged. These two numbers let the scorer tell the three apart.
 */
export function victimSide(ctx: Context): VictimSide {
  const v = ctx.victim;
  const near = aroundOnset(ctx);
  let outbound = 0;
  let outboundPeer: string | undefined;
  let traffic = 0;
  for (const s of ctx.byService.get(v) ?? []) {
    if (!near(s.time) || s.effect.shift <= 0) continue;
    // Calls it sends (a call count naming a callee) are neither connections held nor requests arriving.
    if (s.peer !== undefined && s.cls !== 'traffic' && ctx.graph.callees(v).includes(s.peer) && s.weight > outbound) {
      outbound = s.weight;
      outboundPeer = s.peer;
    }
    if (s.cls === 'traffic' && s.peer === undefined && s.weight > traffic) traffic = s.weight;
  }
  const fanOut = outboundShare(ctx, near);
  return outboundPeer === undefined ? { outbound, traffic, fanOut } : { outbound, outboundPeer, traffic, fanOut };
}

/**
 * Fan-out consistency, the mirror of fan-in: when the victim holds more connections to EVERY
 * dependency at once, it is sending more (its own load rose) rather than one dependency slowing.
 */
function outboundShare(ctx: Context, near: (t: number) => boolean): number {
  const v = ctx.victim;
  let visible = 0;
  let moved = 0;
  for (const d of ctx.graph.callees(v)) {
    const own = (ctx.byService.get(v) ?? []).filter((s) => s.peer === d);
    if (own.length === 0 && !ctx.series.some((s) => s.series.service === v && s.series.labels['server.address'] !== undefined)) continue;
    visible++;
    if (own.some((s) => s.weight >= 0.3 && s.effect.shift > 0 && near(s.time))) moved++;
  }
  return visible >= 2 ? moved / visible : 0;
}
