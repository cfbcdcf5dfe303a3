import type { ChangeEvent, SeriesRef } from '../../domain/types';
import type { Context } from '../context';
import type { ServiceTrouble, Top } from './acute';
import { afterChange, underWay } from './timing';
import { classifyGolden } from '../golden';
import { metricClass } from '../signals';

/** See `pagedLater`: how far, the later change, and the burst that paged. */
export interface PagedLater {
  readonly value: number;
  readonly by?: ChangeEvent;
  readonly burst?: Top;
}

const NOT_LATER: PagedLater = { value: 0 };

/**
 * For the paged service's own change: how far what paged is a burst that began right after a LATER
 * change, in [0,1]. The paged service's burst at the page (the acute view weighs bursts by how
 * recent they are at the page) began right after that change, was not on its way up before it, and
 * is at least as strong as the lasting trouble the release lines up with, and is another kind of
 * trouble (another golden signal or resource: more latency after a latency step is that step going
 * on); the release's lasting trouble is a step that settled, not growth still going nor a resource
 * at its limit. A release that stepped a figure up and then ran for minutes without paging did not
 * start the trouble another change lit (the founding story's trap: the paged team's own release,
 * rolled back to no avail). The release keeps its claim on the step it made, the rest of its
 * evidence, and the burst itself when it lit that too (a later change must land at least the clock
 * tolerance after it).
 */
export function pagedLater(ctx: Context, c: ChangeEvent, view: (t: number) => ReadonlyMap<string, ServiceTrouble>): PagedLater {
  if (c.service !== ctx.victim) return NOT_LATER;
  const mine = ctx.trouble.filter((x) => x.s.time >= c.time - ctx.tolMs);
  const lasting = mine.reduce((m, x) => Math.max(m, x.w), 0);
  // A resource the release moved is at its limit: what bursts now is that exhaustion's doing.
  if (lasting === 0 || mine.some((x) => ctx.atLimit.has(x.s.series.series.metric))) return NOT_LATER;
  // … or still growing (a leak, a filling pool): only a step that settled can have been left behind.
  if (mine.some((x) => x.s.bp.kind === 'slope_change')) return NOT_LATER;
  // A burst of what the release moved lastingly (latency again, the same resource) is that move going on.
  const moved = new Set(mine.map((x) => kindOf(ctx, x.s.series.series)));
  let later: PagedLater = NOT_LATER;
  for (const o of ctx.candidates) {
    if (o.time <= c.time + ctx.tolMs) continue;
    const t = view(o.time).get(ctx.victim);
    if (t === undefined || t.own < lasting || t.ownTop === undefined || moved.has(kindOf(ctx, t.ownTop.series.series))) continue;
    const soon = afterChange(t.ownTop.exc, o.time, ctx.stepMs);
    if (soon === 0) continue;
    const fresh = 1 - underWay(t.ownTop.series.points, t.ownTop.exc, o.time - ctx.stepMs);
    const value = soon * fresh;
    if (value > later.value) later = { value, by: o, burst: t.ownTop };
  }
  return later;
}

/** What a series measures, as far as telling one trouble from another goes: the golden signal, and which resource for saturation. */
function kindOf(ctx: Pick<Context, 'metricRules'>, s: SeriesRef): string {
  const g = classifyGolden(s.metric, s.labels, ctx.metricRules).signal;
  return g === 'saturation' ? `${g}:${metricClass(s.metric)}` : g;
}
