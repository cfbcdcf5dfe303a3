import type { ChangeEvent } from '../domain/types';
import type { Rng } from './prng';
import { addRamp, type Effects, type Ramp } from './effects';
import { steadyLevels, type Season } from './dynamics';
import { setMem, type ChangeLog } from './changes';
import { GOLDEN } from './golden';
import { FD_METRIC, MEM_METRIC, type SimService, type World } from './world';
import type { Mechanism } from './types';
import { poolQuantities } from './quantities';

const MIN = 60_000;
const HOUR = 3600_000;
const FD_LIMITS = [1024, 2048, 4096, 8192, 16384, 65536];

/** The planted cause: who is hurt, by which change, from when. */
export interface Planted {
  readonly victim: SimService;
  readonly cause: ChangeEvent;
  readonly onset: number;
  readonly metric: string;
  readonly limit: number;
}

/** Victim candidates for a mechanism, most suitable first is not needed: the caller picks at random. */
export function victimsFor(w: World, m: Mechanism): SimService[] {
  const callers = (v: SimService): SimService[] => w.services.filter((c) => c.deps.includes(v.name));
  const ok = (v: SimService): boolean => {
    if (m === 'caller_connections') return callers(v).length > 0;
    if (m === 'flag_fanout') return callers(v).some((y) => callers(y).length > 0);
    if (m === 'slow_dependency') return v.deps.length > 0;
    if (m === 'canary_release') return v.kind !== 'db' && callers(v).length > 0;
    return v.kind !== 'db';
  };
  return w.services.filter(ok);
}

/** Pick the victim's fd limit so that today's level sits at 25–60 % of it, raising the base when needed. */
function fitFdLimit(rng: Rng, v: SimService, level: number): number {
  const limit = FD_LIMITS.find((l) => level <= 0.6 * l) ?? 65536;
  const want = limit * rng.uniform(0.25, 0.6);
  if (level < want) v.fdBase += Math.round(want - level);
  v.limits[FD_METRIC] = limit;
  return limit;
}

/** Plant mechanism `m` on `victim` with the cause at `t`; sizes the effect so the victim nears or hits its limit. */
export function plant(rng: Rng, w: World, fx: Effects, season: Season, log: ChangeLog, m: Mechanism, victim: SimService, t: number, culprit?: string, how: PlantStyle = {}): Planted {
  if (m === 'canary_release') return plantCanary(rng, log, fx, victim, t, how.classic === true);
  const delay = how.acute === true ? 0 : culprit !== undefined ? rng.uniform(2, 4) * MIN : rng.weighted([[rng.uniform(0, 5), 0.55], [rng.uniform(5, 30), 0.3], [rng.uniform(30, 120), 0.15]] as const) * MIN;
  const onset = t + delay;
  // The story's victim must hit its limit (crashes); elsewhere some incidents stop just short of it.
  const peakFactor = culprit !== undefined ? 1.3 : rng.uniform(0.92, 1.35);
  const level = (): number => steadyLevels(w, fx, season, victim, onset + HOUR).fd;
  if (m === 'fd_leak' || m === 'memory_leak') {
    const cause = log.deploy(victim, t, rng.uniform(0, 12) * MIN, rng.chance(0.4) ? rng.uniform(20, 60) * MIN : undefined);
    const hours = rng.uniform(0.8, 5);
    if (m === 'fd_leak') {
      const limit = fitFdLimit(rng, victim, level());
      fx.leaks.push({ service: victim.name, metric: 'fd', perHour: (limit * peakFactor - level()) / hours, version: cause.version ?? '' });
      return { victim, cause, onset: t, metric: FD_METRIC, limit };
    }
    const mem = steadyLevels(w, fx, season, victim, t).mem;
    const limit = Math.ceil((mem * rng.uniform(1.5, 3)) / 2 ** 28) * 2 ** 28;
    victim.limits[MEM_METRIC] = limit;
    fx.leaks.push({ service: victim.name, metric: 'mem', perHour: (limit * peakFactor - mem) / hours, version: cause.version ?? '' });
    return { victim, cause, onset: t, metric: MEM_METRIC, limit };
  }
  const ramp = how.acute === true ? { t0: onset, rampMs: rng.uniform(0.5, 2) * MIN, staggerMs: rng.uniform(0, 0.5) * MIN } : { t0: onset, rampMs: rng.uniform(1, 20) * MIN, staggerMs: rng.uniform(0, 8) * MIN };
  let lever: { cause: ChangeEvent; map: Map<string, Ramp[]>; key: string; ramp: Ramp; max: number };
  if (m === 'caller_connections') {
    const c = w.byName.get(culprit ?? '') ?? pickOtherTeam(rng, w.services.filter((s) => s.deps.includes(victim.name)), victim);
    const cause = log.config(c, t, rng.pick(['http.client.max_connections_per_host', 'http.client.pool.min_idle', 'http.client.keepalive']));
    lever = { cause, map: fx.conn, key: `${c.name}>${victim.name}`, ramp: { ...ramp, factor: 1 }, max: 40 };
  } else if (m === 'flag_fanout') {
    const ys = w.services.filter((y) => y.deps.includes(victim.name) && w.services.some((x) => x.deps.includes(y.name)));
    const y = rng.pick(ys);
    const x = pickOtherTeam(rng, w.services.filter((s) => s.deps.includes(y.name)), victim);
    // In-flight calls must matter for extra traffic to show up as connections: make the victim slow enough.
    victim.latency = Math.max(victim.latency, rng.uniform(0.08, 0.3));
    lever = { cause: log.flag(x, t), map: fx.calls, key: `${x.name}>${y.name}`, ramp: { ...ramp, factor: 1 }, max: 30 };
  } else {
    const d = w.byName.get(rng.pick(victim.deps)) as SimService;
    d.latency = Math.max(d.latency, rng.uniform(0.05, 0.2));
    const cause = rng.chance(0.6) ? log.infra(d, t) : log.config(d, t, rng.pick(['db.pool.max', 'tls.session_cache', 'cache.ttl_seconds', 'worker.concurrency']));
    lever = { cause, map: fx.latency, key: d.name, ramp: { ...ramp, staggerMs: 0, factor: 1 }, max: 40 };
  }
  const limit = fitFdLimit(rng, victim, level());
  const before = level();
  // The effect is close to linear in the factor: measure it at 2 and scale to reach the target.
  addRamp(lever.map, lever.key, { ...lever.ramp, factor: 2 });
  const gain = level() - before;
  lever.map.get(lever.key)?.pop();
  const f = gain > 0 ? Math.min(lever.max, Math.max(1.5, 1 + (limit * peakFactor - before) / gain)) : lever.max;
  addRamp(lever.map, lever.key, { ...lever.ramp, factor: f });
  const cause = m === 'caller_connections' ? poolQuantities(log, lever.cause, w, victim, f) : lever.cause;
  return { victim, cause, onset, metric: FD_METRIC, limit };
}

/** How to plant: `acute` — the effect starts at once and ramps within minutes; `classic` — the regime with resource counters only. */
export interface PlantStyle {
  readonly acute?: boolean;
  readonly classic?: boolean;
}

/**
 * A bad release: the instances running the new version are slow and (mostly) failing, some burn
 * CPU; callers see the share of instances already on it. With resource counters only (classic),
 * the release shows as more CPU and memory on its instances.
 */
function plantCanary(rng: Rng, log: ChangeLog, fx: Effects, victim: SimService, t: number, classic: boolean): Planted {
  const cause = log.deploy(victim, t, rng.uniform(0.5, 3) * MIN, rng.chance(0.6) ? rng.uniform(5, 20) * MIN : undefined);
  const version = cause.version ?? '';
  const errors = rng.chance(0.7) ? rng.uniform(0.03, 0.3) : 0;
  const latency = errors > 0 && rng.chance(0.4) ? rng.uniform(1.1, 1.5) : rng.uniform(2, 10);
  const cpu = classic || rng.chance(0.5) ? rng.uniform(1.8, 4) : 1;
  fx.bad.set(victim.name, new Map([[version, { latency, errors, cpu }]]));
  if (classic) setMem(fx, victim, version, rng.uniform(1.4, 2));
  return { victim, cause, onset: t, metric: classic ? MEM_METRIC : GOLDEN.latencyP99, limit: 0 };
}

/** Prefer a service owned by another team than the victim's: the interesting case is the cross-team one. */
function pickOtherTeam(rng: Rng, from: SimService[], victim: SimService): SimService {
  const other = from.filter((s) => s.team !== victim.team);
  return rng.pick(other.length > 0 && rng.chance(0.85) ? other : from);
}
