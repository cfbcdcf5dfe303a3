/**
 * The F1 of the TCPD benchmark (van den Burg & Williams 2020, `metrics.py`): the start (index 0)
 * is a change point in the truth and in the prediction; each truth takes the closest unused
 * prediction within ±margin; precision against the union of annotations, recall averaged over
 * annotators (one annotator here); F1 per series, then averaged over series.
 */
export function tcpdF1(truth: readonly number[], predicted: readonly number[], margin = 5): { precision: number; recall: number; f1: number } {
  const T = [...new Set([0, ...truth])].sort((a, b) => a - b);
  const X = new Set([0, ...predicted]);
  const free = new Set(X);
  let tp = 0;
  for (const tau of T) {
    let best: number | undefined;
    for (const x of free) if (Math.abs(tau - x) <= margin && (best === undefined || Math.abs(tau - x) < Math.abs(tau - best) || (Math.abs(tau - x) === Math.abs(tau - best) && x < best))) best = x;
    if (best === undefined) continue;
    tp++;
    free.delete(best);
  }
  const precision = tp / X.size;
  const recall = tp / T.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
