import { diffScale, median, robustScale, theilSen } from '../stats';
import type { Breakpoint, Point, SeriesRef } from '../domain/types';
import type { StitchedSeries } from './stitch';

/** A move this many σ (or robust z) beyond a series' noise came from a flat level: no spread to count in. */
export const COUNTLESS = 1e4;

/** What a metric measures, from OpenTelemetry semantic-convention names (and common variants). */
export type MetricClass = 'fds' | 'memory' | 'threads' | 'connections' | 'active' | 'queue' | 'cpu' | 'traffic' | 'other';

/** A runtime's garbage collections (the OTel Java agent's jvm.gc.duration, v8js.gc.duration, dotnet.gc.pause.time), lower-case names. */
export const GARBAGE_COLLECTION = /(^|[._])gc([._]|$)|garbage/;

export function metricClass(metric: string): MetricClass {
  const m = metric.toLowerCase();
  const c = resourceClass(m);
  // A resource's limit or capacity (jvm.memory.limit, hikaricp_connections_max) is no use of it.
  if (c !== undefined) return /[._](limit|capacity|max)$/.test(m) ? 'other' : c;
  // Runtimes time and count their garbage collections (jvm.gc.duration): no request rate.
  if (GARBAGE_COLLECTION.test(m)) return 'other';
  // A duration's mean, quantiles, max and failed share are no request rate, whatever "requests"
  // its name holds (Micrometer's http_server_requests_seconds); its count is.
  if (!/\.count$/.test(m) && /\.failure_ratio$|\.(mean|p\d+(\.\d+)?)$|_max$/.test(m)) return 'other';
  if (/request\.count|requests|\.count$|throughput|rate|(^|[._])(handled|responses?)(_total)?$/.test(m)) return 'traffic';
  return 'other';
}

function resourceClass(m: string): MetricClass | undefined {
  if (/file_descriptor|open_fds|\bfds?\b|file\.handles|fd\.count/.test(m)) return 'fds';
  // Database exporters count their clients' connections: redis_exporter, postgres_exporter.
  if (/connection|connected_clients|stat_activity_count/.test(m)) return 'connections';
  if (/memory|\.heap|rss/.test(m)) return 'memory';
  if (/thread|goroutine/.test(m)) return 'threads';
  if (/active_requests|inflight|in_flight|concurren/.test(m)) return 'active';
  if (/queue|backlog|lag/.test(m)) return 'queue';
  if (/cpu/.test(m)) return 'cpu';
  return undefined;
}

/** Classes that grow towards a limit when something goes wrong: an increase is trouble. */
export const RESOURCE_CLASSES: ReadonlySet<MetricClass> = new Set(['fds', 'memory', 'threads', 'connections', 'active', 'queue', 'cpu']);

const SHORT: Record<MetricClass, string> = {
  fds: 'fds', memory: 'memory', threads: 'threads', connections: 'connections', active: 'active requests', queue: 'queue depth', cpu: 'CPU', traffic: 'request rate', other: '',
};

/** Words for a series in an evidence line: "fds", "connections to checkout-api", "db.pool.size". */
export function shortName(s: SeriesRef, peer?: string): string {
  const cls = metricClass(s.metric);
  const base = cls === 'other' ? s.metric : SHORT[cls];
  return peer === undefined ? base : `${base} to ${peer}`;
}

/** Size of a change measured on the raw points around `t`, independent of the detector's own regime estimates. */
export interface Effect {
  /** Median of the window before, series units. */
  readonly before: number;
  /** Median of the window after (or the one after that, whichever moved more — leaks keep growing). */
  readonly after: number;
  /** (after − trend-predicted before) / noise σ, signed; the smaller of raw and detrended when they agree. */
  readonly shift: number;
  /** The same change relative to the level before (0.5 = +50 %). */
  readonly relative: number;
}

const MAX_FIT = 40;
const MIN = 60_000;

/**
 * Effect of a change at `t`: compares `windowMs` after with the trend of 2 × `windowMs` before.
 * Undefined when either side has too few samples.
 */
export function effectAt(points: readonly Point[], t: number, windowMs: number): Effect | undefined {
  const lo = lowerBound(points, t - 2 * windowMs);
  const mid = lowerBound(points, t);
  const hi1 = lowerBound(points, t + windowMs);
  const hi2 = lowerBound(points, t + 2 * windowMs);
  if (mid - lo < 4 || hi1 - mid < 3) return undefined;
  const pre = points.slice(lo, mid);
  const recent = pre.filter((p) => p.t >= t - windowMs);
  const b = median(recent.map((p) => p.v)) ?? median(pre.map((p) => p.v)) ?? 0;
  const a1 = median(points.slice(mid, hi1).map((p) => p.v)) ?? b;
  const a2 = hi2 - hi1 >= 3 ? (median(points.slice(hi1, hi2).map((p) => p.v)) ?? a1) : a1;
  // The later window only counts when the move had already begun (a leak keeps growing); a jump
  // that starts later belongs to a later breakpoint, not to this one.
  const after = Math.abs(a2 - b) > Math.abs(a1 - b) && (a1 - b) * (a2 - b) > 0 && Math.abs(a1 - b) >= 0.2 * Math.abs(a2 - b) ? a2 : a1;
  const afterT = after === a1 ? t + windowMs / 2 : t + 1.5 * windowMs;
  const step = Math.max(1, Math.floor(pre.length / MAX_FIT));
  const fit = pre.filter((_, i) => i % step === 0);
  const line = theilSen(fit.map((p) => (p.t - t) / 3600_000), fit.map((p) => p.v));
  const resid = line === undefined ? pre.map((p) => p.v - b) : pre.map((p) => p.v - (line.intercept + (line.slope * (p.t - t)) / 3600_000));
  // Floors: 1 % of the level (a "significant" wiggle of a quiet series is still not trouble) and,
  // for integer-valued series (counts of fds, threads, connections), half a unit of quantisation.
  // Integer-valued after the move too: a failed share at exactly 0 that rises to 4 % is a ratio.
  const integer = points.slice(lo, hi2).every((p) => Number.isInteger(p.v));
  const scale = Math.max(robustScale(resid) ?? 0, diffScale(pre.map((p) => p.v)) ?? 0, Math.abs(b) * 0.01, integer ? 0.5 : 1e-9);
  const raw = after - b;
  const predicted = line === undefined ? b : line.intercept + (line.slope * (afterT - t)) / 3600_000;
  const detrended = after - predicted;
  const eff = Math.sign(raw) === Math.sign(detrended) ? (Math.abs(raw) < Math.abs(detrended) ? raw : detrended) : 0;
  return { before: b, after, shift: eff / scale, relative: Math.abs(b) > 1e-9 ? eff / Math.abs(b) : eff === 0 ? 0 : Math.sign(eff) };
}

/**
 * Where the move really starts. Detectors confirm late and place breakpoints roughly, the more so
 * at coarse sampling; evidence is about ORDER (change → effect), so find the first sample from
 * which the series stays (3 of 4 samples) beyond 30 % of the measured effect (and 3σ) away
 * from its earlier level, searching one window either side of the detector's time. A ramp (a
 * staggered rollout, a pool filling, a leak) crosses that line minutes after it began: follow the
 * rise up to 70 % of the effect and extrapolate it back to the earlier level, as lag times are
 * read off a growth curve. A jump of 30 % of the effect or more between two samples is a step: it
 * starts at that jump, whatever follows it (a restarted process warming up).
 */
export function refineOnset(points: readonly Point[], t: number, e: Effect, windowMs: number): number {
  const dir = Math.sign(e.after - e.before);
  if (dir === 0) return t;
  const lo = lowerBound(points, t - windowMs);
  const hi = lowerBound(points, t + 2 * windowMs);
  const baseVals = points.slice(lowerBound(points, t - 2 * windowMs), lo).map((p) => p.v);
  const base = median(baseVals) ?? e.before;
  const noise = diffScale(baseVals) ?? 0;
  const size = Math.abs(e.after - e.before);
  const first = firstSustained(points, lo, hi, (v) => dir * (v - base) > Math.max(0.3 * size, 3 * noise));
  if (first < 0) return t;
  const crossed = points[first]?.t ?? t;
  // A step, not a ramp: one sample's jump carries a good part of the move, so the sample before
  // it was still at the earlier level (a warm-up ramp after it must not be extrapolated back past it).
  const prev = points[first - 1];
  if (first > lo && prev !== undefined && dir * ((points[first]?.v ?? prev.v) - prev.v) >= 0.3 * size) return crossed;
  const high = firstSustained(points, first, hi, (v) => dir * (v - base) > 0.7 * size);
  if (high - first < 2) return crossed;
  const rise = points.slice(first, high + 1);
  const line = theilSen(rise.map((p) => (p.t - crossed) / MIN), rise.map((p) => p.v));
  if (line === undefined || dir * line.slope <= 0) return crossed;
  // Where the rise meets the earlier level; never earlier than the rise is long (noise flattens the fit).
  const back = ((line.intercept - base) / line.slope) * MIN;
  const span = (points[high]?.t ?? crossed) - crossed;
  // …nor earlier than the last sample still at the earlier level (a curved rise fits a line that starts too soon).
  const level = Math.max(3 * noise, 0.05 * size);
  let still = first - 1;
  while (still >= lo && dir * ((points[still]?.v ?? base) - base) > level) still--;
  const floor = still >= lo ? (points[still]?.t ?? -Infinity) : -Infinity;
  return Math.max(floor, crossed - Math.min(Math.max(0, back), span));
}

/** First index in [from, to) where `beyond` holds for it and 3 of the 4 samples from it (a restart dip or a scrape gap must not hide a real onset); -1 if none. */
export function firstSustained(points: readonly Point[], from: number, to: number, beyond: (v: number) => boolean): number {
  for (let i = from; i < to; i++) {
    if (!beyond(points[i]?.v ?? NaN)) continue;
    let run = 0;
    for (let j = i; j < Math.min(i + 4, points.length); j++) if (beyond(points[j]?.v ?? NaN)) run++;
    if (run >= 3 || (run >= 1 && i + run >= points.length)) return i;
  }
  return -1;
}

function lowerBound(points: readonly Point[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if ((points[m]?.t ?? Infinity) < t) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** A breakpoint with what the correlator needs: where it is, what it measures, how big it really is. */
export interface Signal {
  readonly bp: Breakpoint;
  readonly series: StitchedSeries;
  readonly service: string;
  /** Service named by the series' peer label (the other end of a connection), when resolvable. */
  readonly peer?: string;
  readonly cls: MetricClass;
  /** A connection/call series: to `peer`, or to "some dependency" when it has no peer label. */
  readonly edge: boolean;
  readonly time: number;
  readonly effect: Effect;
  /** Strength in [0,1]: significant (σ) AND large (relative to the level), see `strength`. */
  readonly weight: number;
}

/**
 * Strength of an effect in [0,1]: its significance (≈0.4 at 5σ, 0.8 at 10σ) times its size
 * relative to the level (≈0.5 at +10 %, 0.9 at +35 %): resources run out through big moves, and a
 * statistically clear +3 % is rarely what pages someone.
 */
export function strength(e: Effect): number {
  const sig = 1 - Math.exp(-Math.max(0, Math.abs(e.shift) - 2.5) / 5);
  const size = 1 - Math.exp(-Math.abs(e.relative) / 0.15);
  return sig * size;
}

/** A signal's weight: its effect's strength, heard more as the detector is surer of the move. */
export function signalWeight(e: Effect, confidence: number): number {
  return strength(e) * (0.6 + 0.4 * confidence);
}

/**
 * How much a signal on the victim counts as trouble by `until` (the page): growth of a resource,
 * any move of traffic; a resource falling barely. A leak is judged by the growth that followed
 * (observed, never the detector's projected slope), and every move by its share of the rise the
 * series shows at the page.
 */
export function troubleWeight(s: Signal, until?: number): number {
  if (s.cls === 'traffic' || s.cls === 'other') return 0.5 * s.weight;
  if (s.effect.shift <= 0) return 0.25 * s.weight;
  if (until === undefined || until <= s.time) return s.weight;
  const step = Math.abs(s.effect.after - s.effect.before);
  let w = s.weight;
  let moved = step;
  // A leak is small at its onset and large by the page: if the series went on growing for up to
  // two hours after the move (not a restart warming up, which levels off), judge it by that growth.
  const horizon = Math.min(until, s.time + 2 * 3600_000);
  const later = levelNear(s.series.points, horizon);
  const grown = later - s.effect.before;
  if (s.weight >= 0.2 && horizon - s.time >= 30 * 60_000 && later - s.effect.after > Math.max(0.5 * step, 0.05 * Math.abs(s.effect.before)) && grown > step) {
    const scale = step / Math.max(1e-9, Math.abs(s.effect.shift));
    w = Math.max(w, strength({ before: s.effect.before, after: later, shift: grown / Math.max(scale, 1e-9), relative: grown / Math.max(Math.abs(s.effect.before), 1e-9) }));
    moved = grown;
  }
  // Relevance to the page: the share of the series' rise since the window began that this move
  // accounts for. A release that shifted memory by 10 % an hour before a leak took it to the
  // limit is not the trouble that paged.
  const rise = levelNear(s.series.points, until) - (median(s.series.points.slice(0, 30).map((p) => p.v)) ?? s.effect.before);
  const share = rise > moved ? moved / rise : 1;
  return w * (0.3 + 0.7 * share);
}

/** Median of the samples in the 15 minutes before `t` (the level when the page came). */
function levelNear(points: readonly Point[], t: number): number {
  const lo = lowerBound(points, t - 15 * 60_000);
  const hi = lowerBound(points, t + 1);
  return median(points.slice(lo, hi).map((p) => p.v)) ?? points[Math.max(0, hi - 1)]?.v ?? 0;
}
