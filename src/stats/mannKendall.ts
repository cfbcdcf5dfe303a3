import { normalCdf } from './normalCdf';

/**
 * Mann–Kendall trend test, one-sided: do the values of `ys` (in time order) tend to RISE? S counts
 * the later-larger pairs minus the later-smaller ones; its null variance is n(n−1)(2n+5)/18 (ties
 * only make it conservative), and p comes from the normal approximation with a continuity
 * correction, fair from about 8 values. A rank test: one wild sample flips at most its own n − 1 pairs,
 * and a steady climb of any shape (linear, saturating, stepwise) counts alike. Undefined with
 * fewer than 4 finite values.
 *
 * @example mannKendall([1, 2, 3, 4, 5, 6, 7, 8]).p // ≈ 0.0004
 */
export function mannKendall(ys: readonly number[]): { s: number; p: number } | undefined {
  const v = ys.filter(Number.isFinite);
  const n = v.length;
  if (n < 4) return undefined;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(v[j]! - v[i]!);
  const sd = Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  return { s, p: 1 - normalCdf((s - 1) / sd) };
}
