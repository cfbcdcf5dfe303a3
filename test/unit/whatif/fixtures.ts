import { makeSeries } from '../../../src/domain/series';
import type { Point, Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const T0 = Date.UTC(2026, 2, 10, 0, 0);

/** A series sampled every minute over [T0, T0 + hours) with value f(t). */
export function series(service: string, metric: string, labels: Record<string, string>, hours: number, f: (t: number, k: number) => number): SeriesData {
  const points: Point[] = [];
  for (let k = 0; k < hours * 60; k++) points.push({ t: T0 + k * MIN, v: f(T0 + k * MIN, k) });
  return { series: makeSeries(metric, { 'service.name': service, 'service.instance.id': `${service}-1`, ...labels }, service), points };
}

/** Daily load: 1 ± 0.3, peak at 15:00 UTC. */
export const load = (t: number): number => 1 + 0.3 * Math.cos((2 * Math.PI * ((t % 86_400_000) / HOUR - 15)) / 24);

/** Deterministic small noise. */
export const wobble = (k: number, size: number): number => size * Math.sin(k * 12.9898) * 0.5;

/**
 * Two services over `hours`: caller `a` holds 10 idle + 20·load in-flight connections to `b`;
 * b's fds are 100 + the connections it holds (limit 1024 in the topology).
 */
export function twoServices(hours: number): SeriesData[] {
  const conns = (t: number): number => 10 + 20 * load(t);
  return [
    series('a', 'http.server.request.count', {}, hours, (t, k) => 50 * load(t) + wobble(k, 0.5)),
    series('a', 'http.client.open_connections', { 'server.address': 'b:8080' }, hours, (t, k) => conns(t) + wobble(k, 0.4)),
    series('b', 'process.open_file_descriptor.count', {}, hours, (t, k) => 100 + conns(t) + wobble(k, 1)),
    series('b', 'http.server.request.count', {}, hours, (t, k) => 50 * load(t) + wobble(k, 0.5)),
  ];
}

export const TOPOLOGY: Topology = {
  services: [
    { name: 'a', team: 'alpha', dependsOn: ['b'], limits: {} },
    { name: 'b', team: 'beta', dependsOn: [], limits: { 'process.open_file_descriptor.count': 1024 } },
  ],
};
