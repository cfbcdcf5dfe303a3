import { median } from './median';

/** 1 / Φ⁻¹(3/4): makes the MAD a consistent estimator of σ for Gaussian data. */
export const MAD_TO_SIGMA = 1.482602218505602;

/**
 * Robust standard deviation: 1.4826 · median |x − median(x)| (the scaled MAD). Non-finite values
 * are ignored. Empty input → `undefined`; a single point or a constant series → 0 (callers apply
 * their own floor — a zero scale is information, not an error).
 *
 * @example robustScale([1, 2, 3, 4, 100]) // 1.4826 (the outlier does not matter)
 * @example robustScale([5, 5, 5]) // 0
 */
export function robustScale(xs: readonly number[]): number | undefined {
  const m = median(xs);
  if (m === undefined) return undefined;
  const dev: number[] = [];
  for (const x of xs) if (Number.isFinite(x)) dev.push(Math.abs(x - m));
  return MAD_TO_SIGMA * (median(dev) ?? 0);
}
