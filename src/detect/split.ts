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
}

const MAX = 256;
const Pe = new Float64Array(MAX + 1);
const Pee = new Float64Array(MAX + 1);
const Pu = new Float64Array(MAX + 1);
const Puu = new Float64Array(MAX + 1);
const Pue = new Float64Array(MAX + 1);

/**
 * Best split of e[0..n) with u[0..n) (increasing). Splits leave at least `minPre` samples before
 * and `minAfter` after. `sigma2` is the old regime's noise variance. Undefined when no split fits.
 */
export function bestSplit(e: Float64Array, u: Float64Array, n: number, minPre: number, minAfter: number, sigma2: number): SplitFit | undefined {
  if (n > MAX || n < minPre + minAfter) return undefined;
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
  let best: SplitFit | undefined;
  let bestCost = Infinity;
  for (let j = minPre; j <= n - minAfter; j++) {
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
    // step
    const sseStep = ssePre + Aee - (Ae * Ae) / na;
    consider('step', sseStep, 2, m, Ae / na - m, 0);
    // hinge: regression of e on x = max(0, u − u_j) over all n samples
    const Sx = Au - na * uj;
    const Sxx = Auu - 2 * uj * Au + na * uj * uj - (Sx * Sx) / n;
    const Sxe = Aue - uj * Ae - (Sx * Se) / n;
    if (Sxx > 1e-12) {
      const beta = Sxe / Sxx;
      const m0 = (Se - beta * Sx) / n;
      consider('hinge', Snn - (Sxe * Sxe) / Sxx, 2, m0, 0, beta);
    }
    // both: free line after the split
    const Sxxa = Auu - (Au * Au) / na;
    if (na >= 3 && Sxxa > 1e-12) {
      const Sxya = Aue - (Au * Ae) / na;
      const beta = Sxya / Sxxa;
      const intercept = Ae / na - beta * (Au / na - uj); // line value at u_j
      consider('both', ssePre + Aee - (Ae * Ae) / na - (Sxya * Sxya) / Sxxa, 3, m, intercept - m, beta);
    }

    function consider(shape: Shape, sse: number, params: number, mm: number, a: number, beta: number): void {
      const cost = sse / sigma2 + params * lnN;
      if (cost < bestCost) {
        bestCost = cost;
        best = { j, shape, m: mm, a, beta, evidence: Math.sqrt(Math.max(0, Snn - sse) / sigma2) };
      }
    }
  }
  return best;
}
