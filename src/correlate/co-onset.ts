import { acuteExcursion, type AcuteOptions, type AcuteWindow, type Excursion } from '../detect/acute';
import type { Point, Topology } from '../domain/types';
import { classifyGolden, HEALTH, ownHealth, type MetricRule } from './golden';
import { excursionStrength, ratioOptions } from './features/acute';
import { badOf } from './features/lasting';
import type { Signal } from './signals';
import type { StitchedSeries } from './stitch';

const MIN = 60_000;
/** How strong a service's own move must be to stand in for a link nobody recorded. */
const STRONG = 0.5;
/** Bursts that paged begin this soon before the page; the hour before that is their baseline. */
const RECENT_MS = 15 * MIN;

/**
 * Dependencies nobody declared or measured, inferred from timing. A service `apart` from the one
 * asked about (no recorded calls lead either way between them, declared or seen in client series,
 * and no caller is shared) whose own latency, errors or success turned bad at the moment the
 * trouble began — within two sampling steps, at least a minute — is most likely something it
 * calls: topologies are sparse and clients go uninstrumented, and two unrelated services rarely
 * break in the same minute. A dependency both call links them only by chance: both calling a
 * database says nothing of whether one calls the other. Taken as a dependency of the victim, so
 * that its change is judged on its path like any other. Services above or below the victim, or
 * sharing a caller with it (whose load breaks both at once), are left as the topology says.
 */
export function coOnsetDependencies(apart: (s: string) => boolean, victim: string, byService: ReadonlyMap<string, readonly Signal[]>, began: number | undefined, stepMs: number, rules: readonly MetricRule[], bursts: ReadonlyMap<string, readonly number[]> = new Map()): string[] {
  const near = Math.max(2 * stepMs, MIN);
  if (began === undefined) return [];
  const out: string[] = [];
  for (const service of new Set([...byService.keys(), ...bursts.keys()])) {
    if (service === victim || !apart(service)) continue;
    const moved = badOf(byService.get(service) ?? [], rules, HEALTH).some(({ s }) => s.weight >= STRONG && Math.abs(s.time - began) <= near);
    if (moved || (bursts.get(service) ?? []).some((t) => Math.abs(t - began) <= near)) out.push(service);
  }
  return out.sort();
}

/**
 * When each service's latency, errors or success burst strongly in the quarter hour before the
 * page, against the hour before that: trouble only minutes old, which no breakpoint has confirmed
 * yet. Server side only (a client series is the callee's health as much as the caller's). A burst
 * may run on in samples after the page up to `end`, the data's end: at a 5-minute step the sample
 * that confirms a burst begun before the page often comes after it. With `stepMs`, only bursts
 * still going within two samples of the page: one that was over by then was an earlier episode
 * (a fault that cleared), not the trouble paged about.
 */
export function healthBursts(series: readonly StitchedSeries[], services: (s: string) => boolean, at: number, rules: readonly MetricRule[], opts: { readonly stepMs?: number; readonly end?: number } = {}): Map<string, number[]> {
  const { stepMs, end = at + 1 } = opts;
  const win = { baseFrom: at - RECENT_MS - 60 * MIN, baseTo: at - RECENT_MS, from: at - RECENT_MS, to: at + 1, runTo: Math.max(at + 1, end) };
  const out = new Map<string, number[]>();
  for (const s of series) {
    const svc = s.series.service;
    if (!services(svc)) continue;
    const g = classifyGolden(s.series.metric, s.series.labels, rules);
    if (g.bad === 0 || !ownHealth(g)) continue;
    const exc = stepMs === undefined ? acuteExcursion(s.points, g.bad, win, ratioOptions(g, s)) : lastEpisode(s.points, g.bad, win, ratioOptions(g, s), at - 2 * stepMs);
    if (exc === undefined || exc.ongoing || excursionStrength(exc) < STRONG) continue;
    out.set(svc, [...(out.get(svc) ?? []), exc.start]);
  }
  return out;
}

/** The burst in `win` still going at `by` or later, past any that ended before it. */
function lastEpisode(points: readonly Point[], dir: 1 | -1, win: AcuteWindow, opts: AcuteOptions, by: number): Excursion | undefined {
  for (let from = win.from; from < win.to;) {
    const exc = acuteExcursion(points, dir, { ...win, from }, opts);
    if (exc === undefined || exc.end >= by) return exc;
    from = exc.end + 1;
  }
  return undefined;
}

/** `topology` with `victim` depending on each of `deps` as well. */
export function withDependencies(topology: Topology, victim: string, deps: readonly string[]): Topology {
  if (deps.length === 0) return topology;
  const has = topology.services.some((s) => s.name === victim);
  const services = topology.services.map((s) => (s.name === victim ? { ...s, dependsOn: [...new Set([...s.dependsOn, ...deps])] } : s));
  return { services: has ? services : [...services, { name: victim, team: '', dependsOn: [...deps], limits: {} }] };
}
