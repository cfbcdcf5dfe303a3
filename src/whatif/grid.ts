import type { SeriesData } from '../ports';
import { median } from '../stats';
import { PEER_LABELS, peerService } from '../topology/peer';
import { instanceOf, roleOf } from './classify';
import type { Role } from './types';

const HOUR = 3_600_000;
const MAX_POINTS = 2000;

/** One metric of one service (and peer) on a regular grid: mean per reporting instance. */
export interface GridSeries {
  readonly key: string;
  readonly service: string;
  readonly metric: string;
  readonly role: Role;
  readonly peer?: string;
  readonly values: Float64Array;
  /** Each instance's median over the last hour, for per-process limits. */
  readonly lastByInstance: ReadonlyMap<string, number>;
}

export interface Grid {
  readonly from: number;
  readonly stepMs: number;
  readonly n: number;
  readonly series: ReadonlyMap<string, GridSeries>;
  /** Instances of each service with a sample in the last hour. */
  readonly instances: ReadonlyMap<string, number>;
}

export const gridKey = (service: string, metric: string, peer?: string): string => `${service}\u0000${metric}\u0000${peer ?? ''}`;

/** The sampling step: median spacing over a sample of series, at least 1 s; widened so the grid stays under MAX_POINTS. */
function chooseStep(series: readonly SeriesData[], from: number, to: number): number {
  const gaps: number[] = [];
  for (const s of series.slice(0, 200)) {
    const p = s.points;
    for (let i = 1; i < Math.min(p.length, 50); i++) gaps.push(p[i]!.t - p[i - 1]!.t);
  }
  const step = Math.max(1000, median(gaps.filter((g) => g > 0)) ?? 60_000);
  return Math.max(step, Math.ceil((to - from) / MAX_POINTS / 1000) * 1000);
}

/**
 * Every series of [from, to) bucketed on one grid and averaged over instances, keyed by service,
 * metric and peer (resolved against `known` services), whatever version or instance reported it.
 */
export function buildGrid(data: readonly SeriesData[], known: ReadonlySet<string>, from: number, to: number): Grid {
  const stepMs = chooseStep(data, from, to);
  const n = Math.max(1, Math.ceil((to - from) / stepMs));
  const groups = new Map<string, { service: string; metric: string; role: Role; peer?: string; inst: Map<string, { sum: Float64Array; cnt: Uint16Array }> }>();
  const seen = new Map<string, Set<string>>();
  // Resolving a peer scans every known name: do it once per distinct (service, peer labels).
  const peers = new Map<string, string | undefined>();
  const peerOf = (ref: SeriesData['series']): string | undefined => {
    const k = `${ref.service}\u0000${PEER_LABELS.map((l) => ref.labels[l] ?? '').join('\u0000')}`;
    if (!peers.has(k)) peers.set(k, peerService(ref.labels, known, ref.service));
    return peers.get(k);
  };
  for (const s of data) {
    const ref = s.series;
    const role = roleOf(ref.metric);
    const peer = role === 'connections' ? peerOf(ref) : undefined;
    const key = gridKey(ref.service, ref.metric, peer);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { service: ref.service, metric: ref.metric, role, ...(peer === undefined ? {} : { peer }), inst: new Map() }));
    const id = instanceOf(ref.labels);
    let acc = g.inst.get(id);
    if (acc === undefined) g.inst.set(id, (acc = { sum: new Float64Array(n), cnt: new Uint16Array(n) }));
    for (const p of s.points) {
      if (p.t < from || p.t >= to || !Number.isFinite(p.v)) continue;
      const k = Math.floor((p.t - from) / stepMs);
      acc.sum[k] = acc.sum[k]! + p.v;
      acc.cnt[k] = acc.cnt[k]! + 1;
      if (p.t >= to - HOUR) {
        let ids = seen.get(ref.service);
        if (ids === undefined) seen.set(ref.service, (ids = new Set()));
        ids.add(id);
      }
    }
  }
  const out = new Map<string, GridSeries>();
  const lastK = Math.max(0, n - Math.round(HOUR / stepMs));
  for (const [key, g] of groups) {
    const values = new Float64Array(n);
    const lastByInstance = new Map<string, number>();
    const accs = [...g.inst.values()];
    for (let k = 0; k < n; k++) {
      let s = 0;
      let c = 0;
      for (const a of accs) {
        if (a.cnt[k]! > 0) {
          s += a.sum[k]! / a.cnt[k]!;
          c++;
        }
      }
      values[k] = c > 0 ? s / c : NaN;
    }
    for (const [id, a] of g.inst) {
      const last: number[] = [];
      for (let k = lastK; k < n; k++) if (a.cnt[k]! > 0) last.push(a.sum[k]! / a.cnt[k]!);
      const m = median(last);
      if (m !== undefined) lastByInstance.set(id, m);
    }
    const { inst: _inst, ...rest } = g;
    out.set(key, { key, ...rest, values, lastByInstance });
  }
  const instances = new Map<string, number>();
  for (const [svc, ids] of seen) instances.set(svc, ids.size);
  return { from, stepMs, n, series: out, instances };
}
