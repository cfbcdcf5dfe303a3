import { median } from './median';

export interface Line {
  /** Change of y per unit of x. */
  readonly slope: number;
  /** y at x = 0. */
  readonly intercept: number;
}

/**
 * Theil–Sen line: slope = median of pairwise slopes, intercept = median(y − slope·x). Robust to
 * up to ~29% outliers and uses the x values (timestamps), so irregular spacing is handled.
 * O(n²) pairs: meant for short windows (warm-up, a detector's buffer), not whole series.
 * Pairs with non-finite values or equal x are skipped. No usable pair (fewer than 2 distinct x)
 * → `undefined`.
 *
 * @example theilSen([0, 1, 2, 3, 4], [1, 3, 5, 7, 70]) // { slope: 2, intercept: 1 } (70 is an outlier)
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): Line | undefined {
  const n = Math.min(xs.length, ys.length);
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = xs[i]!;
    const yi = ys[i]!;
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) continue;
    for (let j = i + 1; j < n; j++) {
      const dx = xs[j]! - xi;
      const dy = ys[j]! - yi;
      if (dx !== 0 && Number.isFinite(dx) && Number.isFinite(dy)) slopes.push(dy / dx);
    }
  }
  const slope = median(slopes);
  if (slope === undefined) return undefined;
  const rest: number[] = [];
  for (let i = 0; i < n; i++) rest.push(ys[i]! - slope * xs[i]!);
  const intercept = median(rest);
  return intercept === undefined ? undefined : { slope, intercept };
}
