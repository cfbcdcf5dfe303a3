import { errorFunction } from './ss';

/**
 * Standard normal CDF Φ(z) = P(Z ≤ z), via simple-statistics' error function (abs. error < 1.2e-7).
 * NaN → NaN; ±Infinity → 1 / 0.
 *
 * @example normalCdf(0) // 0.5
 * @example normalCdf(1.96) // ≈ 0.975
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}
