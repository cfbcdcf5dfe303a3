import type { Point } from '../../src/domain/types';
import { makeRng, type Rng } from './prng';

/** One short labelled series like those of the TCPD benchmark: `truth` = indices of change points. */
export interface ShortSeries {
  readonly id: string;
  readonly category: string;
  readonly points: Point[];
  readonly truth: number[];
}

const T0 = Date.UTC(2000, 0, 1);
const DAY = 86_400_000;

/**
 * Short series that mimic TCPD (van den Burg & Williams 2020): lengths 15–800, 0–3 changes in
 * mean, variance or trend, AR(1) noise, integer counts, a few outliers, some seasonality (period
 * 4–24 samples), a steady trend in some, daily / monthly-like spacing. Changes are the size an
 * annotator sees (2.5–8σ of the noise around the local level).
 */
export function generateShort(seed: number, count = 200): ShortSeries[] {
  const r = makeRng(seed);
  const out: ShortSeries[] = [];
  for (let k = 0; k < count; k++) out.push(one(r, k));
  return out;
}

function changeCount(r: Rng, n: number): number {
  const u = r();
  const c = u < 0.2 ? 0 : u < 0.65 ? 1 : u < 0.9 ? 2 : 3;
  return Math.min(c, Math.floor(n / 12));
}

function one(r: Rng, k: number): ShortSeries {
  const n = Math.round(r.logBetween(15, 800));
  const nc = changeCount(r, n);
  const gap = Math.max(5, Math.floor(n / 8));
  const truth: number[] = [];
  for (let tries = 0; truth.length < nc && tries < 200; tries++) {
    const c = r.int(Math.max(5, Math.floor(0.1 * n)), Math.floor(0.92 * n));
    if (truth.every((x) => Math.abs(x - c) >= gap)) truth.push(c);
  }
  truth.sort((a, b) => a - b);
  const counts = r() < 0.25;
  const L = counts ? r.logBetween(3, 80) : r.logBetween(0.5, 5000) * (r() < 0.15 ? -1 : 1);
  const s = counts ? Math.sqrt(Math.abs(L)) : Math.abs(L) * r.logBetween(0.01, 0.2);
  const phi = r() < 0.5 ? r.between(0.2, 0.7) : 0;
  const heavy = r() < 0.2;
  const trend = r() < 0.3 ? (s * r.between(-3, 3)) / Math.max(20, n / 4) : 0;
  const period = r() < 0.2 ? r.int(4, 24) : 0;
  const amp = period > 0 ? s * r.between(1, 4) : 0;
  const outRate = r() < 0.3 ? r.between(0.005, 0.02) : 0;
  // per-segment changes
  type Seg = { d: number; slope: number; f: number };
  const segs: Seg[] = [{ d: 0, slope: trend, f: 1 }];
  const cats: string[] = [];
  for (let i = 0; i < truth.length; i++) {
    const prev = segs[segs.length - 1]!;
    const u = r();
    const sign = r() < 0.5 ? -1 : 1;
    if (u < 0.6) {
      segs.push({ ...prev, d: prev.d + sign * s * prev.f * r.logBetween(2.5, 8) });
      cats.push('mean');
    } else if (u < 0.8) {
      segs.push({ ...prev, f: prev.f * (r() < 0.6 ? r.between(3, 5) : 1 / r.between(3, 5)) });
      cats.push('var');
    } else {
      const segLen = Math.max(10, (truth[i + 1] ?? n) - truth[i]!);
      segs.push({ ...prev, slope: prev.slope + (sign * s * prev.f * r.between(4, 10)) / segLen });
      cats.push('trend');
    }
  }
  const dt = r.pick([DAY, 7 * DAY, 30 * DAY, 3_600_000, 60_000]);
  const points: Point[] = [];
  let ar = 0;
  let base = 0;
  let seg = 0;
  for (let i = 0; i < n; i++) {
    while (seg < truth.length && i >= truth[seg]!) {
      // a trend change keeps the level continuous
      seg++;
    }
    const g = segs[seg]!;
    base += g.slope;
    const e = heavy ? r.student(3) / 1.3 : r.normal();
    ar = phi * ar + Math.sqrt(1 - phi * phi) * e;
    let mean = L + g.d + base + (period > 0 ? amp * Math.sin((2 * Math.PI * i) / period) : 0);
    let v: number;
    if (counts) {
      mean = Math.max(0.5, mean);
      v = Math.max(0, Math.round(mean + Math.sqrt(mean) * g.f * ar));
    } else v = mean + s * g.f * ar;
    if (outRate > 0 && r() < outRate) v += s * g.f * r.between(5, 10) * (r() < 0.5 ? -1 : 1);
    points.push({ t: T0 + i * dt, v });
  }
  const cat = truth.length === 0 ? 'none' : cats.join('+');
  return { id: `short-${k}`, category: `${cat}${period > 0 ? '/seasonal' : ''}${counts ? '/counts' : ''}`, points, truth };
}
