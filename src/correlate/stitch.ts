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
  /** Empty when the series carries no version (see `versionLabel`). */
  readonly versions: readonly VersionSpan[];
}

/**
 * Where a series says which version it runs: `service.version`, else the tag of its container's
 * image (`container.image.tag`, as the Collector's k8sattributes processor adds it to pods whose
 * SDK sets no version). Both change with a release, so neither is part of an instance's identity.
 */
const VERSION_KEYS: readonly string[] = ['service.version', 'container.image.tag'];

/** The version a series' labels name (see `VERSION_KEYS`). */
export function versionLabel(labels: Labels): string | undefined {
  for (const k of VERSION_KEYS) {
    const v = labels[k];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/**
 * The version is a resource attribute, so every deploy starts a new series per instance and
 * a detector would see fragments with no "before" (and a rollback resumes the old fragment after a
 * gap). Join the fragments of one instance (same labels but the version) into one series, and
 * remember which version ran when — the version differential needs it. Fragments that collide or
 * keep alternating (instances without an instance id share labels) are left apart: joining them
 * would interleave different processes.
 */
export function stitchVersions(series: readonly SeriesData[]): StitchedSeries[] {
  const groups = new Map<string, SeriesData[]>();
  const out: StitchedSeries[] = [];
  for (const s of series) {
    if (versionLabel(s.series.labels) === undefined) {
      out.push({ ...s, versions: [] });
      continue;
    }
    const key = `${s.series.service}\u0000${keyWithout(s.series.metric, s.series.labels)}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [s]);
    else g.push(s);
  }
  for (const g of groups.values()) for (const s of joinGroup(g)) out.push(s);
  return out;
}

function keyWithout(metric: string, labels: Labels): string {
  const keys = Object.keys(labels).filter((k) => !VERSION_KEYS.includes(k)).sort();
  return `${metric}{${keys.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
}

function joinGroup(g: SeriesData[]): StitchedSeries[] {
  const parts = g.filter((s) => s.points.length > 0);
  const first = parts[0];
  if (first === undefined) return [];
  // Merge the fragments by time (each is sorted), keeping which version each sample came from.
  const n = parts.reduce((k, p) => k + p.points.length, 0);
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  const tag = new Int32Array(n);
  const idx = new Int32Array(parts.length);
  for (let k = 0; k < n; k++) {
    let pick = -1;
    let pickT = Infinity;
    for (let j = 0; j < parts.length; j++) {
      const t = parts[j]?.points[idx[j] ?? 0]?.t;
      if (t !== undefined && t < pickT) {
        pickT = t;
        pick = j;
      }
    }
    const pt = parts[pick]?.points[idx[pick] ?? 0];
    if (pt === undefined) break;
    ts[k] = pt.t;
    vs[k] = pt.v;
    tag[k] = pick;
    idx[pick] = (idx[pick] ?? 0) + 1;
  }
  // One process reports one sample per timestamp and switches version rarely (deploys,
  // rollbacks); several processes sharing labels collide or alternate. Leave those apart.
  let switches = 0;
  for (let k = 1; k < n; k++) {
    if (ts[k] === ts[k - 1]) return parts.map((p) => ({ ...p, versions: [] }));
    if (tag[k] !== tag[k - 1]) switches++;
  }
  if (switches > 2 * parts.length + 4) return parts.map((p) => ({ ...p, versions: [] }));
  const versions: VersionSpan[] = [];
  const versionOf = (k: number): string => versionLabel(parts[tag[k] ?? 0]?.series.labels ?? {}) ?? '';
  for (let k = 0; k < n; k++) {
    if (k > 0 && tag[k] === tag[k - 1]) continue;
    const last = versions[versions.length - 1];
    const t = ts[k] ?? 0;
    if (last !== undefined) versions[versions.length - 1] = { ...last, to: t };
    versions.push({ from: t, to: (ts[n - 1] ?? t) + 1, version: versionOf(k) });
  }
  const points: Point[] = new Array<Point>(n);
  for (let k = 0; k < n; k++) points[k] = { t: ts[k] ?? 0, v: vs[k] ?? 0 };
  const labels: Record<string, string> = { ...first.series.labels };
  for (const k of VERSION_KEYS) delete labels[k];
  const ref = makeSeries(first.series.metric, labels, first.series.service, first.series.unit);
  return [{ series: ref, points, versions }];
}

/** The version running at `t`, when known. */
export function versionAt(s: StitchedSeries, t: number): string | undefined {
  for (const v of s.versions) if (t >= v.from && t < v.to) return v.version;
  return undefined;
}
