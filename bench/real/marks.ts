/**
 * What the metrics alone show of a fault, measured without the correlator: did the faulty
 * service's series (its own, or its callers' calls to it) move in the minutes between the injection
 * and the page, and how many other services moved as much? A ceiling for any metrics-only method,
 * and the check that where a fault left no mark the correlator's top score stays low. Deliberately
 * plain — a robust z per series against the 20 minutes before the injection, two samples needed —
 * so that it shares no choice with the evidence it judges.
 */
import { median } from '../../src/stats';
import type { Point } from '../../src/domain/types';
import type { SeriesData } from '../../src/ports';
import { peerService } from '../../src/topology';

/** Baseline before the injection. */
export const MARK_BASELINE_MS = 20 * 60_000;
/** Nezha's pod files repeat their node's figures (`NodeCpuUsageRate(%)`…): the node's, not the pod's. */
const NODE_LEVEL = /^Node/;
/** Robust z that two samples after the injection must reach, in one direction, to be a mark. */
export const MARK_Z = 4;

export interface Move {
  /** The second-largest robust z after the reference (what two samples sustained), either direction. */
  readonly z: number;
  readonly metric: string;
}

/**
 * The sustained move of one series after `t` up to `until`: the second-largest robust z of its
 * samples in (t, until], up or down, against the samples in [t − MARK_BASELINE_MS, t]. The noise
 * scale is the larger of the MAD, the mean deviation (a mostly idle series has MAD 0) and 5 % of
 * the level. 0 when the baseline has fewer than five samples.
 */
export function seriesMove(points: readonly Point[], t: number, until: number): number {
  const base = points.filter((p) => p.t >= t - MARK_BASELINE_MS && p.t <= t && Number.isFinite(p.v)).map((p) => p.v);
  const after = points.filter((p) => p.t > t && p.t <= until && Number.isFinite(p.v)).map((p) => p.v);
  if (base.length < 5 || after.length < 2) return 0;
  const level = median(base) ?? 0;
  const mad = median(base.map((v) => Math.abs(v - level))) ?? 0;
  const meanDev = base.reduce((s, v) => s + Math.abs(v - level), 0) / base.length;
  const scale = Math.max(1.4826 * mad, meanDev, 0.05 * Math.abs(level), 1e-9);
  const second = (zs: number[]): number => zs.sort((a, b) => b - a)[1] ?? 0;
  return Math.max(second(after.map((v) => (v - level) / scale)), second(after.map((v) => (level - v) / scale)));
}

/**
 * Each service's strongest sustained move after `t` up to `until`, over its own series and over
 * its callers' series that name it (`server.address`, `peer.service`…): a fault seen only through
 * its callers counts too. Node-level figures are left out.
 */
export function serviceMoves(series: readonly SeriesData[], t: number, until: number): Map<string, Move> {
  const known = new Set(series.map((s) => s.series.service));
  const out = new Map<string, Move>();
  const note = (svc: string, m: Move): void => {
    const cur = out.get(svc);
    if (cur === undefined || m.z > cur.z) out.set(svc, m);
  };
  for (const s of series) {
    if (NODE_LEVEL.test(s.series.metric)) continue;
    const m = { z: seriesMove(s.points, t, until), metric: s.series.metric };
    note(s.series.service, m);
    const peer = peerService(s.series.labels, known, s.series.service);
    if (peer !== undefined) note(peer, m);
  }
  return out;
}

export interface Mark {
  /** The faulty service's move reached MARK_Z. */
  readonly marked: boolean;
  /** Share of the other services whose move reached MARK_Z in the same minutes. */
  readonly othersMarked: number;
  readonly own: Move;
}

/** The mark a fault on `service` at `t` left by `until`, beside the other services of `series`. */
export function markOf(series: readonly SeriesData[], service: string, t: number, until: number): Mark {
  const moves = serviceMoves(series, t, until);
  const own = moves.get(service) ?? { z: 0, metric: '' };
  const others = [...moves].filter(([svc]) => svc !== service);
  return { marked: own.z >= MARK_Z, othersMarked: others.filter(([, m]) => m.z >= MARK_Z).length / Math.max(1, others.length), own };
}

const f3 = (x: number, n: number): string => (n === 0 ? '–' : (x / n).toFixed(3));

/**
 * Markdown rows: per group, how many faults left a mark, how many of the other services showed one
 * in the same minutes, and the correlator's top-1 with and without a mark, with how sure it was
 * where there was none. `rank` and `top` are the correlator's.
 */
export function markTable(groups: readonly (readonly [string, readonly { readonly mark: Mark; readonly rank: number; readonly top: number }[]])[]): string[] {
  const lines = [
    '| group | n | faults with a mark | other services with one (mean share) | correlator top-1 where marked | correlator top-1 where not | no mark: mean top score, top ≥ 0.5 |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, xs] of groups) {
    const yes = xs.filter((x) => x.mark.marked);
    const no = xs.filter((x) => !x.mark.marked);
    const right = (ys: typeof xs): number => ys.filter((y) => y.rank === 0).length;
    lines.push(`| ${name} | ${xs.length} | ${yes.length} | ${f3(xs.reduce((s, x) => s + x.mark.othersMarked, 0), xs.length)} | ${right(yes)} of ${yes.length} | ${right(no)} of ${no.length} | ${f3(no.reduce((s, x) => s + x.top, 0), no.length)}, ${no.filter((x) => x.top >= 0.5).length} |`);
  }
  return lines;
}
