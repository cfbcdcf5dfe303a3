import type { Breakpoint, Sample, Topology } from '../domain/types';
import type { SeriesData } from '../ports';
import { exhaustionTime } from './exhaustion';
import type { DetectorOptions } from './options';
import { detectSeries } from './series';

/**
 * Group decoded samples into series (by series id), each sorted by time. Duplicate timestamps keep
 * the first sample seen; the detector ignores out-of-order samples, so sorting here matters.
 */
export function groupSamples(samples: readonly Sample[]): SeriesData[] {
  const bySeries = new Map<string, { series: Sample['series']; points: { t: number; v: number }[] }>();
  for (const s of samples) {
    let e = bySeries.get(s.series.id);
    if (e === undefined) {
      e = { series: s.series, points: [] };
      bySeries.set(s.series.id, e);
    }
    e.points.push({ t: s.t, v: s.v });
  }
  const out: SeriesData[] = [];
  for (const e of bySeries.values()) {
    e.points.sort((a, b) => a.t - b.t);
    out.push(e);
  }
  return out;
}

/** The topology limit for a series: limits[metric] of the series' service, if any. */
export function limitFor(topology: Topology | undefined, service: string, metric: string): number | undefined {
  const node = topology?.services.find((s) => s.name === service);
  const limit = node?.limits[metric];
  return typeof limit === 'number' && Number.isFinite(limit) ? limit : undefined;
}

/**
 * Run the detector over every series and attach the series. For a series whose metric has a limit
 * in the topology (limits[metric] of series.service), add `limit` and, when the new regime heads
 * there, `exhaustionAt`: the after-regime line (after.level at the break time, after.slope)
 * projected to the limit. Output is ordered by series, then time.
 */
export function detectAll(series: readonly SeriesData[], opts?: Partial<DetectorOptions>, topology?: Topology): Breakpoint[] {
  const out: Breakpoint[] = [];
  for (const s of series) {
    const limit = limitFor(topology, s.series.service, s.series.metric);
    for (const b of detectSeries(s.points, opts)) {
      if (limit === undefined) {
        out.push({ ...b, series: s.series });
        continue;
      }
      const at = exhaustionTime(b.time, b.after.level, b.after.slope, limit);
      out.push(at === undefined ? { ...b, series: s.series, limit } : { ...b, series: s.series, limit, exhaustionAt: at });
    }
  }
  return out;
}
