import type { Topology } from '../domain/types';
import { EpicenterError } from '../errors';
import type { SeriesData } from '../ports';
import { DEFAULT_FD_LIMIT } from './classify';
import { buildCatalogue, type PastChange } from './catalogue';
import type { QuantifiedChange } from './proposal';
import { learnCouplings, loadIndex } from './couplings';
import { buildGrid, gridKey } from './grid';
import { dailyProfile, hourlyMedians, modelSeries, PROFILE_MIN_MS, round4 } from './model';
import { SNAPSHOT_VERSION, type LimitSource, type SeriesModel, type ServiceModel, type Snapshot } from './types';
import { pushTo } from './util';

const DAY = 86_400_000;

export interface SnapshotInput {
  readonly series: readonly SeriesData[];
  readonly changes: readonly QuantifiedChange[];
  readonly topology: Topology;
  /** Only data before this time (epoch ms); default: after the last sample. */
  readonly until?: number;
  /** History to model, days. @default 7 */
  readonly days?: number;
  /** Teams named by change events, for services the topology does not list. */
  readonly teams?: ReadonlyMap<string, string>;
}

function dataEnd(series: readonly SeriesData[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    const p = s.points;
    if (p.length === 0) continue;
    min = Math.min(min, p[0]!.t);
    max = Math.max(max, p[p.length - 1]!.t);
  }
  return { min, max };
}

/**
 * The snapshot: a compact model of the running system built from stored history (pure).
 * Services, teams, instances, call edges (declared and seen), per-series level/profile/peak/noise/
 * trend, limits (declared, reported by the process, or the documented default for fds), couplings
 * learnt by robust regression, and the impact catalogue of past changes.
 */
export function buildSnapshot(input: SnapshotInput): Snapshot {
  const { min, max } = dataEnd(input.series);
  if (!Number.isFinite(min)) throw new EpicenterError('NOT_FOUND', 'no samples to build a snapshot from (nothing stored or decoded before the proposal time)');
  const to = input.until ?? max + 1;
  const from = Math.max(min, to - (input.days ?? 7) * DAY);
  const topo = new Map(input.topology.services.map((s) => [s.name, s]));
  const known = new Set<string>([...topo.keys(), ...input.series.map((s) => s.series.service)]);
  const grid = buildGrid(input.series, known, from, to);
  const models = new Map<string, SeriesModel>();
  for (const [key, g] of grid.series) {
    const m = modelSeries(g, grid.from, grid.stepMs);
    if (m !== undefined) models.set(key, m);
  }
  const seenDeps = new Map<string, Set<string>>();
  for (const m of models.values()) {
    if (m.peer === undefined) continue;
    let s = seenDeps.get(m.service);
    if (s === undefined) seenDeps.set(m.service, (s = new Set()));
    s.add(m.peer);
  }
  const names = new Set<string>([...topo.keys(), ...[...models.values()].map((m) => m.service)]);
  const bySvc = new Map<string, SeriesModel[]>();
  for (const m of models.values()) pushTo(bySvc, m.service, m);
  const services: ServiceModel[] = [...names].sort().map((name) => {
    const node = topo.get(name);
    const limits: Record<string, { value: number; source: LimitSource }> = {};
    for (const [metric, value] of Object.entries(node?.limits ?? {})) limits[metric] = { value, source: 'topology' };
    const own = bySvc.get(name) ?? [];
    const reported = own.find((m) => m.role === 'fdLimit');
    for (const m of own) {
      if (m.role !== 'fd' || limits[m.metric] !== undefined) continue;
      limits[m.metric] = reported !== undefined && reported.level > 0 ? { value: reported.level, source: 'reported' } : { value: DEFAULT_FD_LIMIT, source: 'default' };
    }
    const deps = [...new Set([...(node?.dependsOn ?? []), ...(seenDeps.get(name) ?? [])])].sort();
    return { name, team: node?.team ?? input.teams?.get(name) ?? 'unknown', instances: Math.max(1, grid.instances.get(name) ?? 1), deps, limits };
  });
  const callers = new Map<string, string[]>();
  for (const s of services) for (const d of s.deps) pushTo(callers, d, s.name);
  const depsOf = new Map(services.map((s) => [s.name, s.deps]));
  const load = loadIndex(grid);
  const loadHourly = hourlyMedians(load, grid.from, grid.stepMs);
  const span = loadHourly.length > 0 ? loadHourly[loadHourly.length - 1]!.t - loadHourly[0]!.t + 3_600_000 : 0;
  const inWindow: PastChange[] = input.changes
    .filter((q) => q.change.time >= from && q.change.time < to)
    .map(({ change: c, quantities }) => ({ id: c.id, type: c.type, service: c.service, time: c.time, keys: c.keys ?? (quantities.settings ?? []).map((x) => x.key), quantities }));
  return {
    version: SNAPSHOT_VERSION, kind: 'epicenter.snapshot', from, to, stepMs: grid.stepMs, services,
    series: [...models.values()],
    couplings: learnCouplings(grid, load),
    impacts: buildCatalogue(inWindow, grid, models, (s) => [...(depsOf.get(s) ?? []), ...(callers.get(s) ?? [])]),
    load: span >= PROFILE_MIN_MS ? (dailyProfile(loadHourly)?.map(round4) ?? null) : null,
  };
}

export { gridKey };
