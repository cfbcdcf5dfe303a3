import type { ServiceNode, Topology } from '../domain/types';

/** One step of a path: `from` → `to`, and whether that step follows a call (`from` calls `to`) or goes against it. */
export interface PathStep {
  readonly from: string;
  readonly to: string;
  /** 'calls': `from` depends on `to`; 'calledBy': `to` depends on `from`. */
  readonly direction: 'calls' | 'calledBy';
}

/**
 * The service dependency graph, indexed once for the questions the correlator asks many times
 * per analysis. Services that are only named in `dependsOn` still exist as nodes (with no team),
 * so a partly described topology degrades to "fewer facts", never to an exception.
 */
export interface TopologyGraph {
  readonly services: readonly string[];
  has(service: string): boolean;
  /** Services that call `service` (its dependents). */
  callers(service: string): readonly string[];
  /** Services `service` calls (its dependencies). */
  callees(service: string): readonly string[];
  /** Services within `k` hops in either direction, with their hop distance; excludes `service` itself. */
  neighbours(service: string, k: number): ReadonlyMap<string, number>;
  /** Shortest path following call direction (`from` calls … calls `to`), or undefined. */
  directedPath(from: string, to: string): readonly PathStep[] | undefined;
  /** Shortest path ignoring direction, each step saying which way the call goes; [] when from === to. */
  undirectedPath(from: string, to: string): readonly PathStep[] | undefined;
  /** Every shortest path ignoring direction (at most `max`, in a stable order); [[]] when from === to. */
  allUndirectedPaths(from: string, to: string, max?: number): readonly (readonly PathStep[])[];
  /** Undirected hop distance; Infinity when not connected or unknown. */
  distance(from: string, to: string): number;
  /** Owning team, when the topology names one. */
  owner(service: string): string | undefined;
  /** Limit of `metric` on `service` (e.g. `process.open_file_descriptor.count` → 1024), when declared. */
  limit(service: string, metric: string): number | undefined;
  node(service: string): ServiceNode | undefined;
}

export function buildGraph(topology: Topology): TopologyGraph {
  const nodes = new Map<string, ServiceNode>();
  const out = new Map<string, Set<string>>();
  const inc = new Map<string, Set<string>>();
  const ensure = (s: string): void => {
    if (!out.has(s)) out.set(s, new Set());
    if (!inc.has(s)) inc.set(s, new Set());
  };
  for (const n of topology.services) {
    nodes.set(n.name, n);
    ensure(n.name);
    for (const d of n.dependsOn) {
      if (d === n.name) continue; // a self-loop carries no information about other services
      ensure(d);
      out.get(n.name)?.add(d);
      inc.get(d)?.add(n.name);
    }
  }
  const sorted = (s: Set<string> | undefined): string[] => (s === undefined ? [] : [...s].sort());
  const callersCache = new Map<string, readonly string[]>();
  const calleesCache = new Map<string, readonly string[]>();
  const callers = (s: string): readonly string[] => {
    let r = callersCache.get(s);
    if (r === undefined) callersCache.set(s, (r = sorted(inc.get(s))));
    return r;
  };
  const callees = (s: string): readonly string[] => {
    let r = calleesCache.get(s);
    if (r === undefined) calleesCache.set(s, (r = sorted(out.get(s))));
    return r;
  };

  /** Breadth-first search; `both` walks edges in both directions. Deterministic: neighbours in sorted order. */
  const bfs = (from: string, to: string, both: boolean): PathStep[] | undefined => {
    if (!out.has(from) || !out.has(to)) return undefined;
    if (from === to) return [];
    const prev = new Map<string, PathStep>();
    const seen = new Set([from]);
    let frontier = [from];
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const u of frontier) {
        const steps: PathStep[] = callees(u).map((v) => ({ from: u, to: v, direction: 'calls' as const }));
        if (both) for (const v of callers(u)) steps.push({ from: u, to: v, direction: 'calledBy' });
        for (const st of steps) {
          if (seen.has(st.to)) continue;
          seen.add(st.to);
          prev.set(st.to, st);
          if (st.to === to) return unwind(prev, from, to);
          next.push(st.to);
        }
      }
      frontier = next;
    }
    return undefined;
  };

  const distCache = new Map<string, ReadonlyMap<string, number>>();
  /** All undirected distances from `s` (cached: the correlator asks for the victim's many times). */
  const distancesFrom = (s: string): ReadonlyMap<string, number> => {
    let d = distCache.get(s);
    if (d !== undefined) return d;
    const m = new Map<string, number>();
    if (out.has(s)) {
      m.set(s, 0);
      let frontier = [s];
      for (let k = 1; frontier.length > 0; k++) {
        const next: string[] = [];
        for (const u of frontier) {
          for (const v of [...callees(u), ...callers(u)]) {
            if (m.has(v)) continue;
            m.set(v, k);
            next.push(v);
          }
        }
        frontier = next;
      }
    }
    distCache.set(s, (d = m));
    return d;
  };

  return {
    services: [...out.keys()].sort(),
    has: (s) => out.has(s),
    callers,
    callees,
    neighbours(s, k) {
      const r = new Map<string, number>();
      for (const [v, d] of distancesFrom(s)) if (d > 0 && d <= k) r.set(v, d);
      return r;
    },
    directedPath: (a, b) => bfs(a, b, false),
    allUndirectedPaths(a, b, max = 16) {
      const d = distancesFrom(b);
      const total = d.get(a);
      if (total === undefined) return [];
      const out: PathStep[][] = [];
      // Walk from `a`, only ever stepping to a node one hop closer to `b`: exactly the shortest paths.
      const walk = (u: string, acc: PathStep[]): void => {
        if (out.length >= max) return;
        if (u === b) {
          out.push(acc);
          return;
        }
        const du = d.get(u) ?? Infinity;
        for (const v of callees(u)) if (d.get(v) === du - 1) walk(v, [...acc, { from: u, to: v, direction: 'calls' }]);
        for (const v of callers(u)) if (d.get(v) === du - 1) walk(v, [...acc, { from: u, to: v, direction: 'calledBy' }]);
      };
      walk(a, []);
      return out;
    },
    undirectedPath: (a, b) => bfs(a, b, true),
    distance: (a, b) => distancesFrom(a).get(b) ?? Infinity,
    owner: (s) => nodes.get(s)?.team,
    limit: (s, metric) => nodes.get(s)?.limits[metric],
    node: (s) => nodes.get(s),
  };
}

function unwind(prev: ReadonlyMap<string, PathStep>, from: string, to: string): PathStep[] {
  const path: PathStep[] = [];
  for (let cur = to; cur !== from; ) {
    const st = prev.get(cur);
    if (st === undefined) break;
    path.push(st);
    cur = st.from;
  }
  return path.reverse();
}
