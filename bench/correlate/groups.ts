import type { Truth } from '../../src/sim';

/** Ranks of the planted cause for one group of incidents. */
export interface Tally { n: number; top1: number; top3: number; rr: number }
export const tally = (): Tally => ({ n: 0, top1: 0, top3: 0, rr: 0 });
export function add(t: Tally, rank: number): void {
  t.n++;
  if (rank === 0) t.top1++;
  if (rank >= 0 && rank < 3) t.top3++;
  if (rank >= 0) t.rr += 1 / (rank + 1);
}

const MIN = 60_000;

/** The regime dimensions the benchmark reports on, in table order, and each incident's value of each. */
export const DIMENSIONS = ['mechanism', 'regime', 'step', 'history', 'deploy style', 'declared topology', 'signals', 'page', 'paged service', 'simultaneous releases', 'names'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export function groupsOf(t: Truth): Record<Dimension, string> {
  const r = t.regime;
  const step = r.stepMs < MIN ? `${r.stepMs / 1000} s` : `${r.stepMs / MIN} min`;
  const h = t.windowMs;
  return {
    mechanism: t.mechanism,
    regime: r.classic ? 'classic' : 'varied',
    step,
    history: h <= 75 * MIN ? '30–75 min' : h <= 3 * 60 * MIN ? '75 min–3 h' : '> 3 h',
    'deploy style': r.deploy,
    'declared topology': r.dropEdges >= 1 ? 'no dependsOn' : r.dropEdges > 0 ? 'sparse (20–50 % dropped)' : 'full',
    signals: r.signals === 'golden' ? 'golden only' : r.signals === 'both' ? 'golden + resources' : 'resources only',
    page: r.page === 'acute' ? 'acute (2–5 min after cause, no data after)' : 'near a limit',
    'paged service': r.entry ? `entry service (${t.hops} hops above)` : t.hops === 0 ? 'the changed service' : 'a neighbour of it',
    'simultaneous releases': r.simultaneous > 0 ? '1–3 other releases within 2 min' : 'none',
    names: r.naming === 'shop' ? "shop's own (via metrics.yaml)" : 'semantic conventions',
  };
}

/** Tallies per dimension and value. */
export class Groups {
  readonly by = new Map<string, Map<string, Tally>>();
  add(t: Truth, rank: number, extra: Readonly<Record<string, string>> = {}): void {
    for (const [d, v] of Object.entries({ ...groupsOf(t), ...extra })) {
      const m = this.by.get(d) ?? new Map<string, Tally>();
      this.by.set(d, m);
      const x = m.get(v) ?? tally();
      m.set(v, x);
      add(x, rank);
    }
  }
  get(d: string, v: string): Tally {
    return this.by.get(d)?.get(v) ?? tally();
  }
}
