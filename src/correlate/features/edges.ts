import type { ChangeEvent } from '../../domain/types';
import type { Context } from '../context';
import { classifyGolden } from '../golden';
import type { Signal } from '../signals';
import { best, edgeSignals, hopEvidence, type Scored } from './common';
import type { FanIn } from './fanin';
import type { PathEvidence } from './path';
import { pushTargets, statedPush } from './callee';

/** Every service linked to the victim by the topology or by a series' peer label. */
export function victimLinks(ctx: Context): string[] {
  const v = ctx.victim;
  const links = new Set<string>([...ctx.graph.callers(v), ...ctx.graph.callees(v)]);
  for (const s of ctx.signals) {
    if (s.service === v && s.peer !== undefined) links.add(s.peer);
    if (s.peer === v) links.add(s.service);
  }
  links.delete(v);
  return [...links].sort();
}

/**
 * Edge attribution, the other way round: the strongest change after this one on a link into the
 * victim that is NOT on this change's path. When another caller's connections to the victim jumped
 * (or the victim's own connections to a dependency did), the victim's trouble has an explanation
 * that does not go through this change. For a change of the victim itself, links it does not own —
 * callers' connections to it — count fully and its own outgoing links half: its own release could
 * have changed how it calls others. A caller's connections to the victim also grow when the victim
 * answers slower (in flight = rate × latency): when the victim itself slowed after its change and
 * no later than the link grew, the link is the victim's slowness seen from the caller, not another
 * explanation, and counts only as far as that slowing does not explain it (see `slowedBy`). Where
 * the victim reports no latency of its own, its callers say the same together: when two or more of
 * them grew their links into it at once (`fanIn`), a moved caller's link counts only for the share
 * of visible callers that did not move (3 of 3 moved: not another explanation at all).
 */
export function edgeElsewhere(ctx: Context, c: ChangeEvent, p: PathEvidence, fan: FanIn): Scored {
  const v = ctx.victim;
  const together = fan.moved.length >= 2 ? fan.share : 0;
  const onPath = p.path.length > 0 ? p.path[p.path.length - 1]?.from : undefined;
  // Its own calls to a service it says it sends more to (see `statedPush`) are its doing, not another explanation.
  const stated = c.service === v ? statedPush(c) : undefined;
  const pushesOn = stated === undefined ? [] : pushTargets(ctx, c, stated).direct;
  return best(
    victimLinks(ctx)
      .filter((u) => u !== onPath && u !== c.service)
      .map((u) => {
        const h = hopEvidence(ctx, u, v, c);
        if (c.service !== v || h.signal === undefined) return h;
        if (h.signal.service === v) return { value: pushesOn.includes(u) ? 0 : 0.5 * h.value, signal: h.signal };
        const side = fan.moved.includes(h.signal.service) ? together : 0;
        return { value: h.value * (1 - Math.max(side, slowedBy(ctx, c, h.signal))), signal: h.signal };
      })
      .concat(c.service === v ? victimLinks(ctx).filter((u) => u !== v).map((u) => pushedBefore(ctx, c, u)) : []),
  );
}

/** How far before its own change the victim's trouble may begin with a caller's link and still be one trouble. @default 60 min */
export const PUSHED_BEFORE_MS = 60 * 60_000;

/**
 * For the victim's own change: caller `u`'s connections (or calls) to the victim had already grown
 * before it — in the hour before, and no later than the victim's onset. The caller pushing harder
 * came first; the victim's release cannot be what made it push, and the trouble that followed has
 * that explanation (the founding story: another team's pool change lands half an hour before our
 * own routine release, and our fds climb after both).
 */
export function pushedBefore(ctx: Context, c: ChangeEvent, u: string): Scored {
  const v = ctx.victim;
  return best(
    edgeSignals(ctx, u, v)
      .filter(({ s }) => s.service === u && s.effect.shift > 0 && s.time < c.time - ctx.tolMs && s.time >= c.time - PUSHED_BEFORE_MS && s.time <= ctx.onset + ctx.tolMs)
      .map(({ s, w }) => ({ value: w * s.weight, signal: s })),
  );
}

/**
 * How clearly the victim itself got slower after its own change `c` and no later than `link` grew,
 * in [0,1]: the strongest rise of its in-flight requests or of its own (server-side) latency in that
 * span. By Little's law a caller then holds more connections to it without sending anything more.
 * Only one sampling step of slack after the link: a caller's connections rising first (the victim
 * slowing minutes later, near its limit) point at the caller.
 */
export function slowedBy(ctx: Context, c: ChangeEvent, link: Signal): number {
  let top = 0;
  for (const s of ctx.byService.get(ctx.victim) ?? []) {
    if (s.effect.shift <= 0 || s.time < c.time - ctx.tolMs || s.time > link.time + ctx.stepMs || !slowness(ctx, s)) continue;
    top = Math.max(top, s.weight);
  }
  return top;
}

/** A series that rises when a service answers slower: its requests in flight, or its own latency. */
function slowness(ctx: Context, s: Signal): boolean {
  if (s.cls === 'active') return true;
  const g = classifyGolden(s.series.series.metric, s.series.series.labels, ctx.metricRules);
  return g.signal === 'latency' && g.side === 'server';
}
