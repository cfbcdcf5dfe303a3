import { makeSeries } from '../domain/series';
import type { Labels, Point } from '../domain/types';
import type { SeriesData } from '../ports';

/** The version an instance ran over [from, to). */
export interface VersionSpan {
  readonly from: number;
  readonly to: number;
  readonly version: string;
}

/** A series made continuous across deploys, with the versions it ran. */
export interface StitchedSeries extends SeriesData {
  /** Empty when the series carries no `service.version`. */
  readonly versions: readonly VersionSpan[];
}

const VERSION = 'service.version';

/**
 * `service.version` is a resource attribute, so every deploy starts a new series per instance and
 * a detector would see fragments with no "before". Join the fragments of one instance (same labels
 * but the version) when they follow each other in time, and remember which version ran when —
 * the version differential needs it. Fragments that overlap (instances without an instance id
 * share labels) are left apart: joining them would interleave different processes.
 */
export function stitchVersions(series: readonly SeriesData[]): StitchedSeries[] {
  const groups = new Map<string, SeriesData[]>();
  const out: StitchedSeries[] = [];
  for (const s of series) {
    const version = s.series.labels[VERSION];
    if (version === undefined) {
      out.push({ ...s, versions: [] });
      continue;
    }
    const key = `${s.series.service}\u0000${keyWithout(s.series.metric, s.series.labels)}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [s]);
    else g.push(s);
  }
  for (const g of groups.values()) out.push(...joinGroup(g));
  return out;
}

function keyWithout(metric: string, labels: Labels): string {
  const keys = Object.keys(labels).filter((k) => k !== VERSION).sort();
  return `${metric}{${keys.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
}

function joinGroup(g: SeriesData[]): StitchedSeries[] {
  const parts = g.filter((s) => s.points.length > 0).sort((a, b) => (a.points[0]?.t ?? 0) - (b.points[0]?.t ?? 0));
  const first = parts[0];
  if (first === undefined) return [];
  for (let i = 1; i < parts.length; i++) {
    const prev = parts[i - 1]?.points;
    const cur = parts[i]?.points;
    if (prev === undefined || cur === undefined) continue;
    if ((cur[0]?.t ?? 0) <= (prev[prev.length - 1]?.t ?? 0)) return parts.map((p) => ({ ...p, versions: spans([p]) }));
  }
  const labels: Record<string, string> = { ...first.series.labels };
  delete labels[VERSION];
  const points: Point[] = [];
  for (const p of parts) points.push(...p.points);
  const ref = makeSeries(first.series.metric, labels, first.series.service, first.series.unit);
  return [{ series: ref, points, versions: spans(parts) }];
}

function spans(parts: readonly SeriesData[]): VersionSpan[] {
  return parts.map((p, i) => ({
    from: p.points[0]?.t ?? 0,
    to: parts[i + 1]?.points[0]?.t ?? (p.points[p.points.length - 1]?.t ?? 0) + 1,
    version: p.series.labels[VERSION] ?? '',
  }));
}

/** The version running at `t`, when known. */
export function versionAt(s: StitchedSeries, t: number): string | undefined {
  for (const v of s.versions) if (t >= v.from && t < v.to) return v.version;
  return undefined;
}
