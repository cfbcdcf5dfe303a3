import type { ChangeEvent } from '../../domain/types';
import type { Context } from '../context';
import { best, hopEvidence, type Scored } from './common';
import type { PathEvidence } from './path';

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
 * have changed how it calls others.
 */
export function edgeElsewhere(ctx: Context, c: ChangeEvent, p: PathEvidence): Scored {
  const v = ctx.victim;
  const onPath = p.path.length > 0 ? p.path[p.path.length - 1]?.from : undefined;
  return best(
    victimLinks(ctx)
      .filter((u) => u !== onPath && u !== c.service)
      .map((u) => {
        const h = hopEvidence(ctx, u, v, c);
        const own = c.service === v && h.signal?.service === v;
        return own ? { value: 0.5 * h.value, signal: h.signal } : h;
      }),
  );
}
