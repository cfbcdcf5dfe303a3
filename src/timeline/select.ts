import type { Breakpoint, Point, SeriesRef, Suspect, Topology } from '../domain/types';
import { instanceLabel } from '../domain/series';
import { classifyGolden } from '../correlate/golden';
import type { SeriesData } from '../ports';
import { median } from '../stats';
import { seriesTitle } from './describe';
import { importance } from './importance';
import { MAX_KEY_SERIES, MAX_LINES_PER_CHART, MAX_POINTS_PER_SERIES, type ChartLine, type KeySeries, type SeriesRole } from './types';

/** Victim charts at most, leaving room for the suspect's. @default 4 */
const MAX_VICTIM_CHARTS = 4;

/** Chart a series belongs to: its service and its title (metric + telling labels, no instance/version). */
export function chartKey(ref: SeriesRef): string {
  return `${ref.service} · ${seriesTitle(ref)}`;
}

/** The line a series is drawn as: its instance (versions of one instance join up). */
function lineLabel(ref: SeriesRef): string {
  return instanceLabel(ref.labels) ?? '';
}

/** Breakpoints this close to the onset weigh triple when ranking charts, ms. @default 30 min */
const NEAR_ONSET_MS = 30 * 60_000;

/** Chart keys of `bps`, most important first; breaks near the onset (when known) count triple. */
function rankCharts(bps: readonly Breakpoint[], weightOf: (b: Breakpoint) => number, onset?: number): string[] {
  const best = new Map<string, number>();
  const w = (b: Breakpoint): number => weightOf(b) * (onset !== undefined && Math.abs(b.time - onset) <= NEAR_ONSET_MS ? 3 : 1);
  for (const b of bps) best.set(chartKey(b.series), Math.max(best.get(chartKey(b.series)) ?? 0, w(b)));
  return [...best.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

/** Mentions the victim in a label value (e.g. `server.address=A`): the suspect's view of the victim. */
function pointsAt(ref: SeriesRef, victim: string): boolean {
  return Object.values(ref.labels).some((v) => v === victim || v.startsWith(`${victim}:`) || v.startsWith(`${victim}.`));
}

/**
 * The charts worth drawing, at most MAX_KEY_SERIES: the victim's series that broke (most
 * important first, up to 4), then the top suspect's supporting series — its service's series that broke and
 * those whose labels point at the victim, these first. With no victim breakpoint at all, the
 * victim's series with a topology limit stand in (else its first two), so the page is never chartless.
 */
export function selectKeySeries(args: {
  victim: string;
  breakpoints: readonly Breakpoint[];
  /** Chart key of the trouble that paged: drawn first. */
  paged?: string;
  /** When the paged chart recovered (drawn on it). */
  recovery?: { readonly key: string; readonly time: number };
  series: readonly SeriesData[];
  topSuspect?: Suspect;
  topology?: Topology;
  /** When the victim's trouble began, epoch ms: charts breaking near it come first. */
  onset?: number;
  /** The time asked about, epoch ms: with nothing broken, what moved just before it is drawn. */
  at?: number;
  /** Ranking weight of a breakpoint. @default importance */
  weightOf?: (b: Breakpoint) => number;
}): KeySeries[] {
  const { victim, breakpoints, series, topSuspect, topology } = args;
  const weightOf = args.weightOf ?? importance;
  const groups = new Map<string, SeriesData[]>();
  for (const s of series) {
    const k = chartKey(s.series);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [s]);
    else g.push(s);
  }
  const chosen: { key: string; role: SeriesRole }[] = [];
  const take = (keys: readonly string[], role: SeriesRole, max: number): void => {
    let n = 0;
    for (const key of keys) {
      if (chosen.length >= MAX_KEY_SERIES || n >= max) return;
      if (!groups.has(key) || chosen.some((c) => c.key === key)) continue;
      chosen.push({ key, role });
      n++;
    }
  };

  if (args.paged !== undefined) take([args.paged], 'victim', 1);
  take(rankCharts(breakpoints.filter((b) => b.series.service === victim), weightOf, args.onset), 'victim', MAX_VICTIM_CHARTS - chosen.length);
  if (chosen.length === 0) {
    const limits = topology?.services.find((s) => s.name === victim)?.limits ?? {};
    const own = series.filter((s) => s.series.service === victim);
    const limited = own.filter((s) => limits[s.series.metric] !== undefined);
    // No breakpoint and no limit: its golden signals that moved most near the page tell the story.
    take([...new Set((limited.length > 0 ? limited : byRecentMove(own, args.at)).map((s) => chartKey(s.series)))], 'victim', 2);
  }
  // The top suspect's bursts (its acute evidence) show what moved right after it: drawn before its other series.
  take([...new Set((topSuspect?.bursts ?? []).map((b) => chartKey(b.series)))], 'suspect', 2);
  if (topSuspect !== undefined && topSuspect.service !== victim) {
    const ranked = rankCharts(breakpoints.filter((b) => b.series.service === topSuspect.service), weightOf, args.onset);
    const pointing = [...new Set(series.filter((s) => s.series.service === topSuspect.service && pointsAt(s.series, victim)).map((s) => chartKey(s.series)))];
    // Series that both broke and point at the victim tell the story best; then the rest.
    take([...ranked.filter((k) => pointing.includes(k)), ...pointing, ...ranked], 'suspect', MAX_KEY_SERIES);
  }
  // Reading order is the story: the paged series, then the suspect's side, then the rest of the victim.
  const rank = (c: { key: string; role: SeriesRole }): number => (c.key === args.paged ? 0 : c.role === 'suspect' ? 1 : 2);
  chosen.sort((a, b) => rank(a) - rank(b));
  return chosen.map(({ key, role }) => {
    const k = chart(key, role, groups.get(key) ?? [], breakpoints, topology);
    const recoveries = args.recovery?.key === key ? [args.recovery.time] : [];
    return key === args.paged ? { ...k, recoveries, paged: true } : { ...k, recoveries };
  });
}

/** Last minutes before the time asked about where a move counts as recent. @default 15 min */
const RECENT_MS = 15 * 60_000;

/**
 * Series in the order worth drawing when nothing broke: its own golden signals (latency, errors,
 * success), then its calls' golden signals, then other series, each by how far its recent extreme strays from its earlier median (in
 * robust spreads, at least 5 % of the level); series without a golden class keep their order last.
 */
function byRecentMove(own: readonly SeriesData[], at: number | undefined): SeriesData[] {
  if (at === undefined) return [...own];
  const move = (s: SeriesData): number => {
    const before = s.points.filter((p) => p.t < at - RECENT_MS).map((p) => p.v);
    const recent = s.points.filter((p) => p.t >= at - RECENT_MS && p.t <= at).map((p) => p.v);
    const level = median(before);
    if (level === undefined || recent.length === 0) return 0;
    const spread = Math.max(1.4826 * (median(before.map((v) => Math.abs(v - level))) ?? 0), 0.05 * Math.abs(level), 1e-12);
    return recent.reduce((m, v) => Math.max(m, Math.abs(v - level)), 0) / spread;
  };
  // Its own (server-side) golden signals first: they are what its users felt; then its calls.
  const golden = (s: SeriesData): number => {
    const g = classifyGolden(s.series.metric, s.series.labels);
    return !['latency', 'errors', 'success'].includes(g.signal) ? 0 : g.side === 'server' ? 2 : 1;
  };
  const scored = own.map((s, i) => ({ s, i, g: golden(s), m: move(s) }));
  return scored.sort((a, b) => b.g - a.g || b.m - a.m || a.i - b.i).map((x) => x.s);
}

function chart(
  key: string,
  role: SeriesRole,
  members: readonly SeriesData[],
  breakpoints: readonly Breakpoint[],
  topology: Topology | undefined,
): KeySeries {
  const first = members[0]?.series as SeriesRef;
  const byLine = new Map<string, SeriesData[]>();
  for (const m of members) {
    const l = lineLabel(m.series);
    byLine.set(l, [...(byLine.get(l) ?? []), m]);
  }
  const lines: ChartLine[] = [...byLine.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .slice(0, MAX_LINES_PER_CHART)
    .map(([label, ms]) => ({
      label,
      series: ms.map((m) => m.series),
      points: thinPoints(ms.flatMap((m) => m.points).sort((a, b) => a.t - b.t)),
    }));
  const bps = breakpoints.filter((b) => chartKey(b.series) === key).sort((a, b) => a.time - b.time);
  const limit = topology?.services.find((s) => s.name === first.service)?.limits[first.metric] ?? bps.find((b) => b.limit !== undefined)?.limit;
  const ks: KeySeries = {
    key,
    service: first.service,
    metric: first.metric,
    role,
    title: `${seriesTitle(first)} · ${first.service}`,
    lines,
    breakpoints: bps,
    recoveries: [],
    ...(first.unit === undefined ? {} : { unit: first.unit }),
  };
  return limit === undefined ? ks : { ...ks, limit };
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
