import { makeSeries } from '../../../src/domain/series';
import type { Analysis, Breakpoint, ChangeEvent, Point, SeriesRef, Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import type { TimelineInput } from '../../../src/timeline/types';

/**
 * The motivating story, small: team B's config change makes B open many more connections to A;
 * A's fds climb toward the 1024 limit; A's own deploy is rolled back but nothing recovers until
 * B's change is reverted. Times in minutes around AT (the page).
 */
export const AT = Date.UTC(2024, 4, 1, 14, 30, 0);
export const min = (m: number): number => AT + m * 60_000;

export const topology: Topology = {
  services: [
    { name: 'A', team: 'team-a', dependsOn: ['db'], limits: { 'process.open_file_descriptor.count': 1024 } },
    { name: 'B', team: 'team-b', dependsOn: ['A'], limits: {} },
    { name: 'db', team: 'team-db', dependsOn: [], limits: {} },
    { name: 'far', team: 'team-far', dependsOn: [], limits: {} },
  ],
};

export const fds: SeriesRef = makeSeries('process.open_file_descriptor.count', { 'service.name': 'A', 'service.instance.id': 'a-1' }, 'A', '{file}');
export const conns: SeriesRef = makeSeries('http.client.open_connections', { 'service.name': 'B', 'server.address': 'A' }, 'B', '{connection}');
export const bMem: SeriesRef = makeSeries('process.memory.usage', { 'service.name': 'B' }, 'B', 'By');

export function change(id: string, service: string, type: ChangeEvent['type'], m: number, extra: Partial<ChangeEvent> = {}): ChangeEvent {
  return { id, source: `ci/${service}`, type, rawType: `com.acme.change.${type}`, service, time: min(m), ...extra };
}

export const changes: ChangeEvent[] = [
  change('cfg-b-1', 'B', 'config', -40, { team: 'team-b', summary: 'raise http pool size', keys: ['http.pool.maxConnections'] }),
  change('dep-a-7', 'A', 'deploy', -25, { team: 'team-a', summary: 'release 2.3.1', version: '2.3.1' }),
  change('rb-a-7', 'A', 'rollback', -10, { team: 'team-a', summary: 'roll back 2.3.1', revertOf: 'dep-a-7' }),
  change('far-1', 'far', 'deploy', -30, { team: 'team-far', summary: 'unrelated' }),
  change('rb-b-1', 'B', 'rollback', 10, { team: 'team-b', summary: 'revert pool size', revertOf: 'cfg-b-1' }),
];

export function bp(series: SeriesRef, m: number, kind: Breakpoint['kind'], before: number, after: number, extra: Partial<Breakpoint> = {}): Breakpoint {
  return {
    series,
    time: min(m),
    detectedAt: min(m + 2),
    kind,
    before: { level: before, slope: 0 },
    after: { level: after, slope: kind === 'slope_change' ? 600 : 0 },
    magnitude: Math.abs(after - before) / 10,
    confidence: 0.9,
    ...extra,
  };
}

export const breakpoints: Breakpoint[] = [
  bp(conns, -39, 'level_up', 20, 400),
  bp(fds, -38, 'slope_change', 120, 600, { exhaustionAt: min(2), limit: 1024 }),
  bp(fds, 12, 'level_down', 980, 130),
  bp(conns, 11, 'level_down', 400, 22),
];

function ramp(from: number, to: number, f: (m: number) => number): Point[] {
  const out: Point[] = [];
  for (let m = from; m <= to; m += 0.5) out.push({ t: min(m), v: f(m) });
  return out;
}

export const series: SeriesData[] = [
  { series: fds, points: ramp(-60, 30, (m) => (m < -38 ? 120 : m < 12 ? Math.min(1020, 120 + (m + 38) * 18) : 130)) },
  { series: conns, points: ramp(-60, 30, (m) => (m < -39 ? 20 : m < 11 ? 400 : 22)) },
  { series: bMem, points: ramp(-60, 30, () => 5e8) },
];

export const analysis: Analysis = {
  service: 'A',
  at: AT,
  from: min(-60),
  to: min(30),
  suspects: [
    { id: 'cfg-b-1', service: 'B', team: 'team-b', type: 'config', time: min(-40), score: 0.87, evidence: ['B opened 20× more connections to A (20 → 400) a minute later'] },
    { id: 'dep-a-7', service: 'A', team: 'team-a', type: 'deploy', time: min(-25), score: 0.21, evidence: ['fds were already climbing 13 min before'] },
  ],
  breakpoints: [],
};

export function input(over: Partial<TimelineInput> = {}): TimelineInput {
  return { service: 'A', at: AT, analysis, changes, breakpoints, series, topology, alert: { name: 'FdExhaustion', startsAt: min(0) }, ...over };
}
