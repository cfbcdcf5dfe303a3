import { makeSeries } from '../../../src/domain/series';
import type { Breakpoint, BreakpointKind, ChangeEvent, ChangeType, Labels, Point, SeriesRef, Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { buildContext, type AnalyzeInput, type Context } from '../../../src/correlate';

export const MIN = 60_000;
/** 2026-03-12T10:00Z: hand-made cases run 10:00–16:00 at 1-minute samples. */
export const T0 = Date.UTC(2026, 2, 12, 10, 0);
export const END = T0 + 6 * 60 * MIN;
export const at = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return Date.UTC(2026, 2, 12, h ?? 0, m ?? 0);
};

/** Small deterministic noise so robust scales are not zero. */
const wiggle = (i: number, amp: number): number => amp * Math.sin(i * 2.3) * Math.cos(i * 0.7);

/** A 1-minute series from `f(t)` with ±`noise` wiggle, integer-rounded when `int`. */
export function series(service: string, metric: string, labels: Labels, f: (t: number) => number, opts: { noise?: number; int?: boolean; from?: number; to?: number } = {}): SeriesData {
  const pts: Point[] = [];
  const from = opts.from ?? T0;
  const to = opts.to ?? END;
  for (let t = from, i = 0; t < to; t += MIN, i++) {
    const v = f(t) + wiggle(i + service.length, opts.noise ?? 2);
    pts.push({ t, v: opts.int === false ? v : Math.round(v) });
  }
  return { series: makeSeries(metric, { 'service.name': service, ...labels }, service), points: pts };
}

/** Level `a` before `t1`, `b` after. */
export const step = (a: number, b: number, t1: number) => (t: number): number => (t < t1 ? a : b);
/** Flat `a`, then growing by `perHour` from `t1`. */
export const ramp = (a: number, perHour: number, t1: number) => (t: number): number => (t < t1 ? a : a + (perHour * (t - t1)) / 3600_000);

export function bp(s: SeriesRef | SeriesData, time: number, kind: BreakpointKind = 'level_up', before = 0, after = 0): Breakpoint {
  const ref = 'series' in s ? s.series : s;
  return { series: ref, time, detectedAt: time + 8 * MIN, kind, before: { level: before, slope: 0 }, after: { level: after, slope: kind === 'slope_change' ? 100 : 0 }, magnitude: 10, confidence: 0.95 };
}

export function change(id: string, service: string, type: ChangeType, time: number, extra: Partial<ChangeEvent> = {}): ChangeEvent {
  return { id, source: 'test', type, rawType: `com.example.change.${type}`, service, team: `team-${service}`, time, summary: `${type} ${service}`, ...extra };
}

/** The story's graph: web and order-sync call checkout-api, which calls payments and orders-db. */
export const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['checkout-api'], limits: {} },
    { name: 'order-sync', team: 'fulfilment', dependsOn: ['checkout-api'], limits: {} },
    { name: 'checkout-api', team: 'checkout', dependsOn: ['payments', 'orders-db'], limits: { 'process.open_file_descriptor.count': 1024 } },
    { name: 'payments', team: 'payments', dependsOn: [], limits: {} },
    { name: 'orders-db', team: 'checkout', dependsOn: [], limits: {} },
    { name: 'search', team: 'catalog', dependsOn: [], limits: {} },
  ],
};

export function input(series: SeriesData[], changes: ChangeEvent[], extra: Partial<AnalyzeInput> = {}): AnalyzeInput {
  return { series, changes, topology: TOPO, service: 'checkout-api', at: at('14:00'), windowMs: 4 * 60 * MIN, afterMs: 2 * 60 * MIN, ...extra };
}

/** Context with hand-made breakpoints (the detector is not run). */
export function ctxOf(series: SeriesData[], changes: ChangeEvent[], bps: Breakpoint[], extra: Partial<AnalyzeInput> = {}): Context {
  return buildContext(input(series, changes, extra), bps);
}

export const FD = 'process.open_file_descriptor.count';
export const CONNS = 'http.client.open_connections';
