import type { Topology } from '../domain/types';
import type { ChangeLog } from './changes';
import { metricName } from './names';
import type { Planted } from './plant';
import type { Rng } from './prng';
import type { Regime } from './types';
import type { SimService, World } from './world';

const MIN = 60_000;

/** Undirected hops between two services of the world (−1 when not connected). */
export function hops(w: World, from: string, to: string): number {
  const adj = new Map<string, Set<string>>();
  for (const s of w.services) {
    for (const d of s.deps) {
      adj.set(s.name, (adj.get(s.name) ?? new Set()).add(d));
      adj.set(d, (adj.get(d) ?? new Set()).add(s.name));
    }
  }
  const seen = new Map([[from, 0]]);
  const todo = [from];
  while (todo.length > 0) {
    const x = todo.shift() as string;
    if (x === to) return seen.get(x) ?? 0;
    for (const y of adj.get(x) ?? []) {
      if (seen.has(y)) continue;
      seen.set(y, (seen.get(x) ?? 0) + 1);
      todo.push(y);
    }
  }
  return -1;
}

/** Hops from `top` down the call graph to `target` (Infinity when it does not call it, directly or not). */
function downHops(w: World, top: string, target: string): number {
  const seen = new Map([[top, 0]]);
  const todo = [top];
  while (todo.length > 0) {
    const x = todo.shift() as string;
    if (x === target) return seen.get(x) ?? 0;
    for (const d of w.byName.get(x)?.deps ?? []) {
      if (seen.has(d)) continue;
      seen.set(d, (seen.get(x) ?? 0) + 1);
      todo.push(d);
    }
  }
  return Infinity;
}

/** An entry service (top layer) that reaches `target` 2–3 hops down: the page comes from there. */
export function entryAbove(rng: Rng, w: World, target: string): SimService | undefined {
  const ok = w.services.filter((s) => s.layer === 0 && s.name !== target && downHops(w, s.name, target) >= 2 && downHops(w, s.name, target) <= 3);
  return ok.length === 0 ? undefined : rng.pick(ok);
}

/**
 * Releases of other services within 2 min of the cause (a crowded change log): half of them next
 * to the cause's service, the rest anywhere. Harmless, though some use a little more memory.
 */
export function simultaneousReleases(rng: Rng, w: World, log: ChangeLog, count: number, p: Planted): { id: string; role: string }[] {
  const c = p.cause.service;
  const others = w.services.filter((s) => s.name !== c && s !== p.victim);
  const near = others.filter((s) => s.deps.includes(c) || (w.byName.get(c)?.deps ?? []).includes(s.name));
  const out: { id: string; role: string }[] = [];
  for (let k = 0; k < count && others.length > 0; k++) {
    const s = rng.pick(near.length > 0 && rng.chance(0.5) ? near : others);
    const d = log.deploy(s, p.cause.time + rng.uniform(-2, 2) * MIN, rng.uniform(0, 2) * MIN);
    out.push({ id: d.id, role: 'simultaneous release' });
  }
  return out;
}

/** The declared topology with a share of its dependsOn edges dropped (all of them at 1), limits under the regime's names. */
export function sparseTopology(rng: Rng, t: Topology, drop: number, naming: Regime['naming']): Topology {
  return {
    services: t.services.map((s) => ({
      ...s,
      dependsOn: drop >= 1 ? [] : s.dependsOn.filter(() => !rng.chance(drop)),
      limits: Object.fromEntries(Object.entries(s.limits).map(([k, v]) => [metricName(k, naming), v])),
    })),
  };
}
