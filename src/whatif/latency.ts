import { edgeKey } from './direct';
import { baselineAt } from './model';
import { edgeAt, MAX_HOPS } from './propagate';
import type { SnapIndex } from './indexer';

/** Latency changes smaller than this (relative) are not followed further. */
const MIN_CHANGE = 0.01;

/** In-flight calls of all instances of `caller` to `callee` now (connections beyond the idle pool). */
function inflightOn(ix: SnapIndex, caller: string, callee: string): number {
  let sum = 0;
  for (const m of ix.edges.get(edgeKey(caller, callee)) ?? []) sum += edgeAt(ix, m, ix.now).inflight * ix.instances(caller);
  return sum;
}

/**
 * Requests in flight inside `s` now, over all its instances: its callers' in-flight calls to it
 * (the same units as the calls it makes: connections), else its own active-requests series.
 */
function inflightInside(ix: SnapIndex, s: string): number {
  let sum = 0;
  for (const c of ix.callers.get(s) ?? []) sum += inflightOn(ix, c, s);
  if (sum > 0) return sum;
  const active = (ix.seriesOf.get(s) ?? []).find((m) => m.role === 'active');
  return active === undefined ? 0 : baselineAt(active, ix.now, ix.now) * ix.instances(s);
}

/**
 * Latency factors after a latency change, followed up the call graph (callers of callers), at
 * most MAX_HOPS. By Little's law a callee slower by L makes its caller hold (L − 1) × its
 * in-flight calls to it more; a caller waits for its calls, so each added in-flight call is an
 * added request in flight inside the caller, and its latency rises by that over what it holds in
 * flight. When the caller has more calls in flight than requests, its calls overlap: the rise is
 * taken over its calls in flight instead (so it never exceeds the callee's own change).
 * Returns the declared factors plus the derived ones; declared factors are never overwritten.
 */
export function propagateLatency(ix: SnapIndex, declared: ReadonlyMap<string, number>): Map<string, number> {
  const lat = new Map(declared);
  let frontier = new Set([...declared.keys()]);
  for (let hop = 0; hop < MAX_HOPS && frontier.size > 0; hop++) {
    const candidates = new Set<string>();
    for (const s of frontier) for (const c of ix.callers.get(s) ?? []) if (!declared.has(c)) candidates.add(c);
    const next = new Set<string>();
    for (const c of candidates) {
      const inside = inflightInside(ix, c);
      if (inside <= 0) continue;
      let added = 0;
      let out = 0;
      for (const d of ix.svc.get(c)?.deps ?? []) {
        const calls = inflightOn(ix, c, d);
        out += calls;
        added += calls * ((lat.get(d) ?? 1) - 1);
      }
      // More calls in flight than requests: the calls overlap, and only the share `inside/out` of the added wait is felt.
      const rel = added / Math.max(inside, out);
      if (Math.abs(rel) < MIN_CHANGE || Math.abs((lat.get(c) ?? 1) - (1 + rel)) < 1e-9) continue;
      lat.set(c, 1 + rel);
      next.add(c);
    }
    frontier = next;
  }
  return lat;
}
