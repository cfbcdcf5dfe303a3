import type { Breakpoint, Point, SeriesRef, Suspect, Topology } from '../domain/types';
import type { SeriesData } from '../ports';
import { seriesTitle } from './describe';
import { MAX_KEY_SERIES, MAX_POINTS_PER_SERIES, type KeySeries, type SeriesRole } from './types';

/** Victim series charted at most, leaving room for the suspect's. @default 4 */
const MAX_VICTIM_SERIES = 4;

/** Strength of a breakpoint for ranking series: robust shift size weighted by confidence. */
function strength(b: Breakpoint): number {
  return Math.abs(b.magnitude) * b.confidence;
}

/** Series ids of `bps`, strongest first. */
function rankSeries(bps: readonly Breakpoint[]): string[] {
  const best = new Map<string, number>();
  for (const b of bps) best.set(b.series.id, Math.max(best.get(b.series.id) ?? 0, strength(b)));
  return [...best.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
}

/** Mentions the victim in a label value (e.g. `server.address=A`): the suspect's view of the victim. */
function pointsAt(ref: SeriesRef, victim: string): boolean {
  return Object.values(ref.labels).some((v) => v === victim || v.startsWith(`${victim}:`) || v.startsWith(`${victim}.`));
}

/**
 * The series worth a chart, at most MAX_KEY_SERIES: the victim's breakpoint series (strongest
 * first, up to 4), then the top suspect's supporting series — its service's breakpoint series and
 * series whose labels point at the victim. With no victim breakpoint at all, the victim's series
 * that have a topology limit stand in (else its first two), so the page is never chartless.
 */
export function selectKeySeries(args: {
  victim: string;
  breakpoints: readonly Breakpoint[];
  series: readonly SeriesData[];
  topSuspect?: Suspect;
  topology?: Topology;
}): KeySeries[] {
  const { victim, breakpoints, series, topSuspect, topology } = args;
  const data = new Map(series.map((s) => [s.series.id, s]));
  const chosen: { id: string; role: SeriesRole }[] = [];
  const take = (ids: readonly string[], role: SeriesRole, max: number): void => {
    let n = 0;
    for (const id of ids) {
      if (chosen.length >= MAX_KEY_SERIES || n >= max) return;
      if (!data.has(id) || chosen.some((c) => c.id === id)) continue;
      chosen.push({ id, role });
      n++;
    }
  };

  take(rankSeries(breakpoints.filter((b) => b.series.service === victim)), 'victim', MAX_VICTIM_SERIES);
  if (chosen.length === 0) {
    const limits = topology?.services.find((s) => s.name === victim)?.limits ?? {};
    const own = series.filter((s) => s.series.service === victim);
    const limited = own.filter((s) => limits[s.series.metric] !== undefined);
    take((limited.length > 0 ? limited : own).map((s) => s.series.id), 'victim', 2);
  }
  if (topSuspect !== undefined && topSuspect.service !== victim) {
    const theirs = breakpoints.filter((b) => b.series.service === topSuspect.service);
    const pointing = series.filter((s) => s.series.service === topSuspect.service && pointsAt(s.series, victim)).map((s) => s.series.id);
    const ranked = rankSeries(theirs);
    // Series that both broke and point at the victim tell the story best; then the rest.
    take([...ranked.filter((id) => pointing.includes(id)), ...pointing, ...ranked], 'suspect', MAX_KEY_SERIES);
  }

  return chosen.map(({ id, role }) => {
    const d = data.get(id) as SeriesData;
    const bps = breakpoints.filter((b) => b.series.id === id).sort((a, b) => a.time - b.time);
    const limit = topology?.services.find((s) => s.name === d.series.service)?.limits[d.series.metric] ?? bps.find((b) => b.limit !== undefined)?.limit;
    const ks: KeySeries = { series: d.series, role, title: `${seriesTitle(d.series)} · ${d.series.service}`, points: thinPoints(d.points), breakpoints: bps };
    return limit === undefined ? ks : { ...ks, limit };
  });
}

/**
 * Keep at most `max` points for drawing while keeping every spike: split into buckets and keep
 * each bucket's first, min and max points (in time order). Input sorted by time.
 */
export function thinPoints(points: readonly Point[], max = MAX_POINTS_PER_SERIES): Point[] {
  if (points.length <= max) return [...points];
  const buckets = Math.max(1, Math.floor(max / 3));
  const size = points.length / buckets;
  const out: Point[] = [];
  for (let i = 0; i < buckets; i++) {
    const slice = points.slice(Math.floor(i * size), Math.floor((i + 1) * size));
    const first = slice[0];
    if (first === undefined) continue;
    let lo = first;
    let hi = first;
    for (const p of slice) {
      if (p.v < lo.v) lo = p;
      if (p.v > hi.v) hi = p;
    }
    for (const p of [first, lo, hi].sort((a, b) => a.t - b.t)) if (out[out.length - 1] !== p) out.push(p);
  }
  const last = points[points.length - 1];
  if (last !== undefined && out[out.length - 1] !== last) out.push(last);
  return out;
}
