/** Scoring against labels: precision, recall and F1 with a margin in samples. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export function prf(c: Counts): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/**
 * Greedy one-to-one matching of detected indices to true indices within ±margin samples
 * (closest pairs first). Each truth is matched at most once; unmatched detections are FPs.
 */
export function matchIndices(truth: readonly number[], detected: readonly number[], margin: number): Counts & { matched: [number, number][] } {
  const pairs: [number, number, number][] = [];
  truth.forEach((t, ti) => detected.forEach((d, di) => Math.abs(d - t) <= margin && pairs.push([Math.abs(d - t), ti, di])));
  pairs.sort((a, b) => a[0] - b[0]);
  const usedT = new Set<number>();
  const usedD = new Set<number>();
  const matched: [number, number][] = [];
  for (const [, ti, di] of pairs) {
    if (usedT.has(ti) || usedD.has(di)) continue;
    usedT.add(ti);
    usedD.add(di);
    matched.push([ti, di]);
  }
  return { tp: matched.length, fp: detected.length - matched.length, fn: truth.length - matched.length, matched };
}

/**
 * NAB-style windows: a detection inside a window (extended by `margin` samples each side) is a TP
 * for that window, each window counts once, detections outside every window are FPs.
 */
export function scoreWindows(windows: readonly [number, number][], detected: readonly number[], margin: number): Counts {
  const hit = new Set<number>();
  let fp = 0;
  for (const d of detected) {
    const w = windows.findIndex(([a, b]) => d >= a - margin && d <= b + margin);
    if (w < 0) fp++;
    else hit.add(w);
  }
  return { tp: hit.size, fp, fn: windows.length - hit.size };
}

/** Index of the sample nearest to time t (points sorted by t). */
export function nearest(points: readonly { t: number }[], t: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(points[lo - 1]!.t - t) <= Math.abs(points[lo]!.t - t)) return lo - 1;
  return lo;
}
