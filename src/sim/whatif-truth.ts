import type { Quantities } from '../domain/quantities';
import { addRamp, type Effects, type Ramp } from './effects';
import { steadyLevels, type Season } from './dynamics';
import { FD_METRIC, type SimService, type World } from './world';

const MIN = 60_000;

/** A proposed change as the simulated world would really take it. */
export interface WorldChange {
  readonly service: string;
  readonly quantities: Quantities;
  /** The lever: which edge's connections, which edge's calls, whose latency, or none. */
  readonly lever: { readonly kind: 'conn' | 'calls' | 'latency'; readonly key: string; readonly factor: number } | { readonly kind: 'replicas'; readonly to: number } | { readonly kind: 'none' };
}

/** What really happens to every service's fds over the horizon (noise-free, fully warmed): the peak, and when each first reaches its limit. */
export interface WorldTruth {
  readonly peaks: ReadonlyMap<string, { readonly peak: number; readonly limit: number; readonly crossAt?: number }>;
  readonly breaches: readonly string[];
}

function cloneEffects(fx: Effects): Effects {
  const copy = (m: Map<string, Ramp[]>): Map<string, Ramp[]> => new Map([...m].map(([k, v]) => [k, [...v]]));
  return { conn: copy(fx.conn), calls: copy(fx.calls), latency: copy(fx.latency), threads: copy(fx.threads), leaks: [...fx.leaks], memByVersion: fx.memByVersion, rollouts: fx.rollouts, bad: fx.bad, newPods: fx.newPods, overlapMs: fx.overlapMs };
}

/** The world and effects with the change applied from `at` (a fresh copy; the inputs are left alone). */
export function applyChange(w: World, fx: Effects, c: WorldChange, at: number): { w: World; fx: Effects } {
  const fx2 = cloneEffects(fx);
  const l = c.lever;
  if (l.kind === 'conn' || l.kind === 'calls' || l.kind === 'latency') {
    addRamp(l.kind === 'conn' ? fx2.conn : l.kind === 'calls' ? fx2.calls : fx2.latency, l.key, { t0: at, rampMs: MIN, factor: l.factor, staggerMs: 0 });
  }
  if (l.kind !== 'replicas') return { w, fx: fx2 };
  const services = w.services.map((s): SimService => (s.name === c.service ? { ...s, instances: l.to } : s));
  return { w: { ...w, services, byName: new Map(services.map((s) => [s.name, s])) }, fx: fx2 };
}

/** Every service's fd peak over [from, from + horizon] with the world as it is. */
export function worldTruth(w: World, fx: Effects, season: Season, from: number, horizonMs: number, stepMs = 15 * MIN): WorldTruth {
  const peaks = new Map<string, { peak: number; limit: number; crossAt?: number }>();
  for (const s of w.services) {
    const limit = s.limits[FD_METRIC] ?? Infinity;
    let peak = -Infinity;
    let crossAt: number | undefined;
    for (let t = from + MIN; t <= from + horizonMs; t += stepMs) {
      const fd = steadyLevels(w, fx, season, s, t).fd;
      peak = Math.max(peak, fd);
      if (crossAt === undefined && fd >= limit) crossAt = t;
    }
    peaks.set(s.name, crossAt === undefined ? { peak, limit } : { peak, limit, crossAt });
  }
  return { peaks, breaches: [...peaks].filter(([, p]) => p.crossAt !== undefined).map(([s]) => s) };
}
