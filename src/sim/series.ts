import { makeSeries } from '../domain/series';
import type { Point, SeriesRef } from '../domain/types';
import type { SeriesData } from '../ports';
import type { InstanceStream, Scenario } from './types';

/**
 * The scenario's telemetry as the decoders would hand it over, without the text round trip:
 * labels = resource attributes + point attributes (so a version change starts a new series),
 * gauges as levels, cumulative sums as per-second rates (first point of a series and resets dropped).
 */
export function scenarioSeries(sc: Pick<Scenario, 'streams' | 'start' | 'stepMs'>): SeriesData[] {
  // A rollback brings back the labels of an earlier fragment: same series id, as a decoder would see it.
  const byId = new Map<string, { series: SeriesRef; points: Point[] }>();
  for (const st of sc.streams) {
    for (const s of instanceSeries(st, sc.start, sc.stepMs)) {
      const e = byId.get(s.series.id);
      if (e === undefined) byId.set(s.series.id, { series: s.series, points: [...s.points] });
      else for (const p of s.points) e.points.push(p);
    }
  }
  return [...byId.values()].map((e) => ({ series: e.series, points: e.points.sort((a, b) => a.t - b.t) }));
}

function instanceSeries(st: InstanceStream, start: number, stepMs: number): SeriesData[] {
  const out: SeriesData[] = [];
  for (let g = 0; g < st.segments.length; g++) {
    const seg = st.segments[g];
    if (seg === undefined) continue;
    const until = st.segments[g + 1]?.from ?? Infinity;
    for (const m of st.metrics) {
      const ref: SeriesRef = makeSeries(m.name, { ...seg.resource, ...m.attrs }, st.service, m.unit);
      const pts: Point[] = [];
      let prev: Point | undefined;
      for (let k = Math.max(0, Math.round((seg.from - start) / stepMs)); k < m.values.length; k++) {
        const t = start + k * stepMs;
        if (t >= until) break;
        const v = m.values[k] ?? NaN;
        if (Number.isNaN(v)) continue;
        if (m.kind === 'gauge') pts.push({ t, v });
        else {
          if (prev !== undefined && v >= prev.v) pts.push({ t, v: ((v - prev.v) * 1000) / (t - prev.t) });
          prev = { t, v };
        }
      }
      if (pts.length > 0) out.push({ series: ref, points: pts });
    }
  }
  return out;
}
