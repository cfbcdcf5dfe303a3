import type { ChangeEvent } from '../../domain/types';
import type { PathStep } from '../../topology';
import type { Context } from '../context';
import { best, edgeSignals, FAST_MS, hopEvidence, lagKernel, NONE, SLOW_MS, type Scored } from './common';

/** How the changed service connects to the victim, and how well each link shows the change travelling. */
export interface PathEvidence {
  /** Hops between changed service and victim (0 = the victim itself; Infinity = not connected). */
  readonly dist: number;
  readonly path: readonly PathStep[];
  /** The changed service's own non-connection series moving right after the change. */
  readonly self: Scored;
  /** The first link from the changed service towards the victim changed after the change. */
  readonly near: Scored;
  /** The link into the victim changed after the change (edge attribution). */
  readonly victimHop: Scored;
  /** Weakest link along the whole path: a chain is only as good as its weakest hop. */
  readonly chain: Scored;
  /** Weakest intermediate service (paths of 2+ hops): each must show something after the change. */
  readonly interior: Scored;
  /** A change to a service in between, from an hour before this one up to the onset: a closer explanation. */
  readonly interiorChange?: ChangeEvent;
  /** A link of the path had already moved (strongly) before the change: the change cannot be what moved it. */
  readonly linkBefore?: Scored;
}

/**
 * Topology evidence: the shortest path (either call direction) from the changed service to the
 * victim — upstream callers multiplying connections and downstream dependencies slowing down both
 * count — with the breakpoints on the links and services in between; of several shortest routes,
 * the one whose weakest link moved most. When the topology does not
 * link them but a series does (a peer label naming the other), that series is the path.
 */
export function pathEvidence(ctx: Context, c: ChangeEvent): PathEvidence {
  const v = ctx.victim;
  if (c.service === v) return { dist: 0, path: [], self: NONE, near: NONE, victimHop: NONE, chain: NONE, interior: NONE };
  let paths: (readonly PathStep[])[] = ctx.graph.allUndirectedPaths(c.service, v).map((p) => [...p]);
  if (paths.length === 0 && edgeSignals(ctx, c.service, v).length > 0) paths = [[{ from: c.service, to: v, direction: 'calls' }]];
  const self = best((ctx.byService.get(c.service) ?? []).filter((s) => !s.edge).map((s) => ({ value: s.weight * lagKernel(s.time - c.time, ctx.tolMs, FAST_MS), signal: s })));
  if (paths.length === 0) return { dist: Infinity, path: [], self, near: NONE, victimHop: NONE, chain: NONE, interior: NONE };
  // Of several equally short routes, the one the change visibly travelled along (strongest weakest
  // link); with nothing to tell them apart, one along a single call direction (load travels down the
  // calls, slowness up them; a detour through a shared caller or dependency is the weaker story).
  let path: readonly PathStep[] = paths[0] ?? [];
  let hops: Scored[] = [];
  let chain: Scored = { value: -1 };
  for (const p of paths) {
    const h = p.map((st) => hopEvidence(ctx, st.from, st.to, c));
    const weakest = h.reduce((m, x) => (x.value < m.value ? x : m));
    const straighter = weakest.value === chain.value && new Set(p.map((st) => st.direction)).size < new Set(path.map((st) => st.direction)).size;
    if (weakest.value > chain.value || straighter) {
      path = p;
      hops = h;
      chain = weakest;
    }
  }
  let interior: Scored = NONE;
  if (path.length >= 2) {
    const nodes = path.slice(0, -1).map((st) => st.to);
    const per = nodes.map((n) => best((ctx.byService.get(n) ?? []).map((s) => ({ value: s.weight * lagKernel(s.time - c.time, ctx.tolMs, SLOW_MS), signal: s }))));
    interior = per.reduce((m, h) => (h.value < m.value ? h : m));
  }
  const between = new Set(path.slice(0, -1).map((st) => st.to));
  const interiorChange = ctx.candidates.find((o) => o !== c && between.has(o.service) && o.time >= c.time - 3600_000 && o.time <= ctx.onset + ctx.tolMs);
  let linkBefore: Scored = NONE;
  for (const st of path) {
    for (const { s, w } of edgeSignals(ctx, st.from, st.to)) {
      const v = w * s.weight;
      if (s.effect.shift > 0 && s.time < c.time - ctx.tolMs && s.time >= c.time - 2 * 3600_000 && v > linkBefore.value) linkBefore = { value: v, signal: s };
    }
  }
  const base = { dist: path.length, path, self, near: hops[0] ?? NONE, victimHop: hops[hops.length - 1] ?? NONE, chain, interior, linkBefore };
  return interiorChange === undefined ? base : { ...base, interiorChange };
}
