/**
 * Locating a change inside a detector's buffer: maximum-likelihood split of the residuals (against
 * the old regime's model) into "before" and "after", for three shapes of change:
 *
 *   step   before: mean m; after: mean m + a                      (level shift)
 *   hinge  before: mean m; after: m + β·(u − u_j), continuous     (slope change: leak, ramp)
 *   both   before: mean m; after: m + a + β·(u − u_j)             (jump and new slope)
 *
 * u is time in typical sampling intervals (from timestamps, so gaps and jitter are honoured).
 * Least squares via prefix sums: O(n) per call. The shape and split are chosen by BIC
 * (SSE/σ² + params·ln n), the evidence is the likelihood-ratio statistic against "no change".
 */

export type Shape = 'step' | 'hinge' | 'both';

export interface SplitFit {
  /** Index of the first sample of the new regime. */
  readonly j: number;
  readonly shape: Shape;
  /** Mean residual before the split. */
  readonly m: number;
  /** Jump at the split (0 for hinge). */
  readonly a: number;
  /** Slope change per unit of u (0 for step). */
  readonly beta: number;
  /** √((SSE_null − SSE_fit)/σ²): how many σ of evidence the change has. */
  readonly evidence: number;
  /** t-statistic of β alone (0 for step): is the slope change real by itself? */
  readonly slopeEvidence: number;
  /** BIC-like cost: SSE/σ² + params·ln n (lower is better). */
  readonly cost: number;
}

const MAX = 256;
const Pe = new Float64Array(MAX + 1);
const Pee = new Float64Array(MAX + 1);
const Pu = new Float64Array(MAX + 1);
const Puu = new Float64Array(MAX + 1);
const Pue = new Float64Array(MAX + 1);

/**
 * Best split j ∈ [jMin, jMax] of e[0..n) with u[0..n) (increasing); j is the first sample after
 * the change. `sigma2` is the old regime's noise variance. Undefined when no split fits.
 */
export function bestSplit(e: Float64Array, u: Float64Array, n: number, jMin: number, jMax: number, sigma2: number): SplitFit | undefined {
  const all = bestSplits(e, u, n, jMin, jMax, sigma2);
  let best: SplitFit | undefined;
  for (const f of all) if (best === undefined || f.cost < best.cost) best = f;
  return best;
}

/** The best split of each shape (those that could be fitted), same arguments as bestSplit; steps only from `jMinStep`. */
export function bestSplits(e: Float64Array, u: Float64Array, n: number, jMin: number, jMax: number, sigma2: number, jMinStep = jMin): SplitFit[] {
  if (n > MAX || jMin < 1 || jMax > n - 1 || jMin > jMax) return [];
  for (let i = 0; i < n; i++) {
    const ei = e[i]!;
    const ui = u[i]!;
    Pe[i + 1] = Pe[i]! + ei;
    Pee[i + 1] = Pee[i]! + ei * ei;
    Pu[i + 1] = Pu[i]! + ui;
    Puu[i + 1] = Puu[i]! + ui * ui;
    Pue[i + 1] = Pue[i]! + ui * ei;
  }
  const Se = Pe[n]!;
  const Snn = Pee[n]! - (Se * Se) / n;
  const lnN = Math.log(n);
  const best: Partial<Record<Shape, SplitFit>> = {};
  const sigma = Math.sqrt(sigma2);
  const consider = (j: number, shape: Shape, sse: number, params: number, m: number, a: number, beta: number, sxx: number): void => {
    const cost = sse / sigma2 + params * lnN;
    if (cost >= (best[shape]?.cost ?? Infinity)) return;
    const slopeEvidence = shape === 'step' ? 0 : (Math.abs(beta) * Math.sqrt(sxx)) / sigma;
    best[shape] = { j, shape, m, a, beta, evidence: Math.sqrt(Math.max(0, Snn - sse) / sigma2), slopeEvidence, cost };
  };
  for (let j = jMin; j <= jMax; j++) {
    const np = j;
    const na = n - j;
    const ssePre = Pee[j]! - (Pe[j]! * Pe[j]!) / np;
    const m = Pe[j]! / np;
    const Ae = Se - Pe[j]!;
    const Aee = Pee[n]! - Pee[j]!;
    const Au = Pu[n]! - Pu[j]!;
    const Auu = Puu[n]! - Puu[j]!;
    const Aue = Pue[n]! - Pue[j]!;
    const uj = u[j]!;
    if (j >= jMinStep) consider(j, 'step', ssePre + Aee - (Ae * Ae) / na, 2, m, Ae / na - m, 0, 0);
    // hinge: regression of e on x = max(0, u − u_j) over all n samples
    const Sx = Au - na * uj;
    const Sxx = Auu - 2 * uj * Au + na * uj * uj - (Sx * Sx) / n;
    const Sxe = Aue - uj * Ae - (Sx * Se) / n;
    if (Sxx > 1e-12) {
      const beta = Sxe / Sxx;
      consider(j, 'hinge', Snn - (Sxe * Sxe) / Sxx, 2, (Se - beta * Sx) / n, 0, beta, Sxx);
    }
    // both: free line after the split
    const Sxxa = Auu - (Au * Au) / na;
    if (na >= 3 && Sxxa > 1e-12) {
      const Sxya = Aue - (Au * Ae) / na;
      const beta = Sxya / Sxxa;
      const atSplit = Ae / na - beta * (Au / na - uj); // the after line's value at u_j
      consider(j, 'both', ssePre + Aee - (Ae * Ae) / na - (Sxya * Sxya) / Sxxa, 3, m, atSplit - m, beta, Sxxa);
    }
  }
  const out: SplitFit[] = [];
  for (const k of ['step', 'hinge', 'both'] as const) {
    const f = best[k];
    if (f !== undefined) out.push(f);
  }
  return out;
}
