import { ssMedian } from './ss';

/**
 * Median of finite values; non-finite values (NaN, ±Infinity) are ignored.
 * Returns `undefined` for an empty input (simple-statistics would throw).
 *
 * @example median([3, 1, 2]) // 2
 * @example median([1, 2, 3, 4]) // 2.5
 * @example median([]) // undefined
 */
export function median(xs: readonly number[]): number | undefined {
  const finite = xs.filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  if (finite.length === 1) return finite[0];
  return ssMedian(finite);
}
