import { median } from './median';
import { MAD_TO_SIGMA } from './robustScale';

/**
 * Noise σ estimated from first differences: 1.4826 · median|xᵢ₊₁ − xᵢ| / √2. Insensitive to level
 * shifts and slow trends (each shift spoils one difference), so it is the usual scale for a
 * change-point penalty. Non-finite values are dropped first. Fewer than 2 points → `undefined`;
 * constant input → 0.
 *
 * @example diffScale([0, 1, 0, 1, 0]) // 1.048 (|Δ| = 1 everywhere)
 * @example diffScale([0, 0, 0, 10, 10, 10]) // 0 (a clean step has no noise)
 */
export function diffScale(xs: readonly number[]): number | undefined {
  const finite = xs.filter(Number.isFinite);
  if (finite.length < 2) return undefined;
  const d: number[] = [];
  for (let i = 1; i < finite.length; i++) d.push(Math.abs(finite[i]! - finite[i - 1]!));
  return (MAD_TO_SIGMA * (median(d) ?? 0)) / Math.SQRT2;
}
