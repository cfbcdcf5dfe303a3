import { median, robustScale, theilSen } from '../stats';
import type { GridSeries } from './grid';
import type { SeriesModel } from './types';

const HOUR = 3_600_000;
/** Below this much history a daily profile is not learnt (one partial day says little about the peak). */
export const PROFILE_MIN_MS = 20 * HOUR;

/** 4 significant digits: the snapshot stays small and nothing downstream needs more. */
export const round4 = (x: number): number => (x === 0 || !Number.isFinite(x) ? 0 : Number(x.toPrecision(4)));

export const hourOfDay = (t: number): number => Math.floor((((t % 86_400_000) + 86_400_000) % 86_400_000) / HOUR);

/** Medians of each clock hour of the grid, with the hour's start time. */
export function hourlyMedians(values: Float64Array, from: number, stepMs: number): { t: number; v: number }[] {
  const out: { t: number; v: number }[] = [];
  let bucket: number[] = [];
  let hour = Math.floor(from / HOUR);
  const flush = (): void => {
    const m = median(bucket);
    if (m !== undefined && bucket.length * stepMs >= HOUR / 4) out.push({ t: hour * HOUR, v: m });
    bucket = [];
  };
  for (let k = 0; k < values.length; k++) {
    const h = Math.floor((from + k * stepMs) / HOUR);
    if (h !== hour) {
      flush();
      hour = h;
    }
    bucket.push(values[k]!);
  }
  flush();
  return out;
}

/** 24 hour-of-day medians; hours never seen take the nearest seen hour's value (circularly). */
export function dailyProfile(hourly: readonly { t: number; v: number }[]): number[] | null {
  const byHour: number[][] = Array.from({ length: 24 }, () => []);
  for (const h of hourly) byHour[hourOfDay(h.t)]!.push(h.v);
  const med = byHour.map((xs) => median(xs));
  if (med.every((m) => m === undefined)) return null;
  return med.map((m, h) => {
    if (m !== undefined) return m;
    for (let d = 1; d < 12; d++) {
      const a = med[(h + d) % 24] ?? med[(h + 24 - d) % 24];
      if (a !== undefined) return a;
    }
    return 0;
  });
}

/** R² of y on the line, 0 when y does not vary. */
export function rSquared(xs: readonly number[], ys: readonly number[], slope: number, intercept: number): number {
  const m = ys.reduce((a, b) => a + b, 0) / Math.max(1, ys.length);
  let ssTot = 0;
  let ssRes = 0;
  ys.forEach((y, i) => {
    ssTot += (y - m) ** 2;
    ssRes += (y - intercept - slope * xs[i]!) ** 2;
  });
  return ssTot <= 0 ? 0 : Math.max(0, 1 - ssRes / ssTot);
}

/** Level, daily profile and peak, noise and trend of one grid series. */
export function modelSeries(g: GridSeries, from: number, stepMs: number): SeriesModel | undefined {
  const v = g.values;
  const hourly = hourlyMedians(v, from, stepMs);
  const lastK = Math.max(0, v.length - Math.round(HOUR / stepMs));
  const level = median(Array.from(v.subarray(lastK))) ?? hourly[hourly.length - 1]?.v;
  if (level === undefined) return undefined;
  const span = hourly.length > 0 ? hourly[hourly.length - 1]!.t - hourly[0]!.t + HOUR : 0;
  const profile = span >= PROFILE_MIN_MS ? dailyProfile(hourly) : null;
  const diffs: number[] = [];
  for (let k = 1; k < v.length; k++) if (Number.isFinite(v[k]) && Number.isFinite(v[k - 1])) diffs.push(v[k]! - v[k - 1]!);
  const noise = (robustScale(diffs) ?? 0) / Math.SQRT2;
  let trend = 0;
  let trendR2 = 0;
  if (profile !== null && hourly.length >= 6) {
    const xs = hourly.map((h) => (h.t - hourly[0]!.t) / HOUR);
    const ys = hourly.map((h) => h.v - profile[hourOfDay(h.t)]!);
    const line = theilSen(xs, ys);
    if (line !== undefined) {
      trend = line.slope;
      trendR2 = rSquared(xs, ys, line.slope, line.intercept);
    }
  }
  const peak = Math.max(level, ...(profile ?? hourly.map((h) => h.v)));
  let worst: SeriesModel['worst'];
  for (const [instance, x] of g.lastByInstance) if (g.lastByInstance.size > 1 && (worst === undefined || x - level > worst.offset)) worst = { instance, offset: round4(x - level) };
  return {
    service: g.service, metric: g.metric, role: g.role, ...(g.peer === undefined ? {} : { peer: g.peer }),
    level: round4(level), profile: profile === null ? null : profile.map(round4), peak: round4(peak), noise: round4(noise),
    trend: round4(trend), trendR2: round4(trendR2), ...(worst === undefined || worst.offset <= 0 ? {} : { worst }), n: hourly.length,
  };
}

/**
 * The series' value at `t` had nothing changed: its daily profile shifted to today's level (or,
 * without a profile, the highest of today's level and the hourly medians seen), plus the trend
 * when the trend fits well.
 */
export function baselineAt(m: SeriesModel, now: number, t: number): number {
  if (m.profile === null) return Math.max(m.level, m.peak);
  const offset = m.level - m.profile[hourOfDay(now)]!;
  const trend = m.trendR2 >= 0.6 ? m.trend * ((t - now) / HOUR) : 0;
  return Math.max(0, m.profile[hourOfDay(t)]! + offset + trend);
}
