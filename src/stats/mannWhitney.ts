import { normalCdf } from './normalCdf';
import { wilcoxonRankSum } from './ss';

/**
 * Mann–Whitney U test, one-sided: do values of `x` tend to be LARGER than those of `y`? (Kayenta,
 * Netflix's canary judge, compares canary and baseline instances this way.) U comes from
 * simple-statistics' Wilcoxon rank sum (ties get mean ranks); the p-value is exact for small
 * samples (the 3–5 samples per instance a canary has in its first minutes), by counting the
 * arrangements of ranks with U at least as large, and from the normal approximation beyond.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): { u: number; p: number } | undefined {
  const xs = x.filter(Number.isFinite);
  const ys = y.filter(Number.isFinite);
  if (xs.length === 0 || ys.length === 0) return undefined;
  const m = xs.length;
  const n = ys.length;
  const u = wilcoxonRankSum(xs, ys) - (m * (m + 1)) / 2;
  if (m * n <= 400) return { u, p: exactUpper(m, n, u) };
  const mean = (m * n) / 2;
  const sd = Math.sqrt((m * n * (m + n + 1)) / 12);
  return { u, p: 1 - normalCdf((u - 0.5 - mean) / sd) };
}

/** P(U ≥ u) under the null, from the count of rank arrangements (no tie correction: conservative enough here). */
function exactUpper(m: number, n: number, u: number): number {
  // counts[i][j][k]: arrangements of i x's and j y's with U = k, built row by row.
  let prev: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i++) {
    const cur: number[][] = [];
    for (let j = 0; j <= n; j++) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      // The largest value is an x (adds j to U) or a y (adds nothing).
      const a = prev[j] ?? [];
      for (let k = 0; k < a.length; k++) row[k + j] = (row[k + j] ?? 0) + (a[k] ?? 0);
      const b = j > 0 ? (cur[j - 1] ?? []) : [];
      for (let k = 0; k < b.length; k++) row[k] = (row[k] ?? 0) + (b[k] ?? 0);
      cur.push(row);
    }
    prev = cur;
  }
  const dist = prev[n] ?? [1];
  const total = dist.reduce((s, v) => s + v, 0);
  let tail = 0;
  for (let k = Math.ceil(u - 1e-9); k < dist.length; k++) tail += dist[k] ?? 0;
  return tail / total;
}
