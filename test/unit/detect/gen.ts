// Seeded series for the detector tests (no Math.random: every failure reproduces).
import type { Point } from '../../../src/domain/types';

export const T0 = Date.UTC(2024, 4, 6);

export function rng(seed: number): { u: () => number; normal: () => number; student3: () => number } {
  let s = seed >>> 0;
  const u = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    let a = 0;
    while (a === 0) a = u();
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
  const student3 = (): number => normal() / Math.sqrt((normal() ** 2 + normal() ** 2 + normal() ** 2) / 3);
  return { u, normal, student3 };
}

/** n samples every dtMs from T0 with value f(i, t). */
export function series(n: number, dtMs: number, f: (i: number, t: number) => number): Point[] {
  return Array.from({ length: n }, (_, i) => ({ t: T0 + i * dtMs, v: f(i, T0 + i * dtMs) }));
}

export function indexOf(points: readonly Point[], t: number): number {
  return points.findIndex((p) => p.t === t);
}
