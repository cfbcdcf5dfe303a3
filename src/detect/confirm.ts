import type { BreakpointKind } from '../domain/types';
import { normalCdf } from '../stats';
import { bestSplit } from './split';
import type { DetectorOptions } from './options';
import type { Ring } from './ring';

/** What the detector hands to the confirmation: its buffer and the old regime's model. */
export interface JudgeContext {
  readonly ring: Ring;
  /** First sequence number that belongs to the current regime (and is still buffered). */
  readonly from: number;
  /** Sequence number where the alarming CUSUM left zero (its max-likelihood change time). */
  readonly cusumSeq: number;
  /** Typical sampling interval, ms. */
  readonly dt: number;
  /** Old regime's noise scale, series units. */
  readonly sigma: number;
  /** Old regime's prediction at time t (level + trend + daily profile). */
  readonly predict: (t: number) => number;
}

/** A confirmed change, in the old model's residual space (added to the old prediction). */
export interface Verdict {
  /** Sequence number of the first sample of the new regime. */
  readonly seq: number;
  readonly kind: BreakpointKind;
  /** Old model's offset just before the change (mean pre-split residual). */
  readonly m: number;
  /** Level change at the split (after.level − before.level). */
  readonly jump: number;
  /** Change at the last sample (jump + drift since the split). */
  readonly endShift: number;
  /** Slope change, units per ms. */
  readonly slopePerMs: number;
  readonly magnitude: number;
  readonly confidence: number;
  /** Noise scale seen in the new regime (never lowers the model's σ, only raises it). */
  readonly afterScale: number;
}

const CAP = 256;
const E = new Float64Array(CAP);
const U = new Float64Array(CAP);
const TMP = new Float64Array(CAP);
const RAW = new Float64Array(CAP);

/**
 * Decide on a pending alarm: a Verdict, or 'wait' (not enough or not convincing data yet; the
 * caller cancels the alarm when waiting has lasted too long). `final` = end of input: accept a
 * new regime of ¾·minRun samples instead of minRun.
 */
export function judge(ctx: JudgeContext, o: DetectorOptions, final: boolean): Verdict | 'wait' {
  const { ring, sigma } = ctx;
  const from = Math.max(ctx.from, ring.oldest);
  const n = Math.min(ring.next - from, CAP);
  const need = final ? Math.ceil(0.75 * o.minRun) : o.minRun;
  if (n < need + 3) return 'wait';
  const tLast = ring.timeAt(ring.next - 1);
  for (let i = 0; i < n; i++) {
    const t = ring.timeAt(from + i);
    E[i] = ring.valueAt(from + i) - ctx.predict(t);
    U[i] = (t - tLast) / ctx.dt;
  }
  const c = Math.min(n - 1, Math.max(0, ctx.cusumSeq - from));
  const raw = RAW.subarray(0, n);
  raw.set(E.subarray(0, n));
  // Winsorise beyond the range spanned by the old and the recent level, so a wild sample cannot
  // pull the least-squares split while the change itself is untouched.
  const early = c > 0 ? med(E, 0, c) : 0;
  const recent = med(E, Math.max(0, n - o.minRun), n);
  const lo = Math.min(early, recent) - 4 * sigma;
  const hi = Math.max(early, recent) + 4 * sigma;
  for (let i = 0; i < n; i++) E[i] = Math.max(lo, Math.min(hi, E[i]!));

  const fit = bestSplit(E, U, n, 3, Math.ceil(o.minRun / 2), sigma * sigma);
  if (fit !== undefined && n - fit.j >= need) {
    const v = meanChange(fit.j, fit.shape, fit.m, fit.a, fit.beta, fit.evidence, n, ctx, o, from);
    if (v !== undefined) return v;
  }
  return varianceChange(raw, c, n, need, ctx, o, from) ?? 'wait';
}

function meanChange(j: number, shape: string, m0: number, a0: number, beta: number, evidence: number, n: number, ctx: JudgeContext, o: DetectorOptions, from: number): Verdict | undefined {
  const { sigma } = ctx;
  let m = m0;
  let a = a0;
  if (shape === 'step') {
    // medians: a shift is what most samples say, not what the loudest say
    m = med(E, 0, j);
    a = med(E, j, n) - m;
  }
  const uj = U[j]!;
  const drift = beta * (U[n - 1]! - uj);
  const endShift = a + drift;
  const magnitude = Math.abs(endShift) / sigma;
  if (magnitude < o.minMagnitude || evidence < o.minEvidence) return undefined;
  // Persistence: where the fitted change is clear (≥ 2σ), most samples must sit on its far half.
  let clear = 0;
  let agree = 0;
  for (let i = j; i < n; i++) {
    const f = a + beta * (U[i]! - uj);
    if (Math.abs(f) < Math.max(2 * sigma, Math.abs(endShift) / 3)) continue;
    clear++;
    if ((E[i]! - m - f / 2) * Math.sign(f) > 0) agree++;
  }
  if (clear < Math.ceil(o.minRun / 2) || agree < 0.75 * clear) return undefined;
  for (let i = j; i < n; i++) TMP[i - j] = E[i]! - m - (a + beta * (U[i]! - uj));
  const afterScale = 1.4826 * madOf(TMP, n - j);
  const slopeDominates = shape === 'hinge' || (shape === 'both' && Math.abs(drift) > Math.abs(a));
  const kind: BreakpointKind = slopeDominates ? 'slope_change' : endShift > 0 ? 'level_up' : 'level_down';
  return {
    seq: from + j,
    kind,
    m,
    jump: a,
    endShift,
    slopePerMs: beta / ctx.dt,
    magnitude,
    confidence: score(evidence, n, magnitude / o.minMagnitude),
    afterScale,
  };
}

function varianceChange(raw: Float64Array, c: number, n: number, need: number, ctx: JudgeContext, o: DetectorOptions, from: number): Verdict | undefined {
  if (n - c < need || c < 3) return undefined;
  const ratio = (1.4826 * madOf(raw.subarray(c, n), n - c)) / ctx.sigma;
  if (ratio < o.varianceRatio) return undefined;
  return {
    seq: from + c,
    kind: 'variance_change',
    m: 0,
    jump: 0,
    endShift: 0,
    slopePerMs: 0,
    magnitude: ratio,
    confidence: score(Infinity, n, ratio / o.varianceRatio),
    afterScale: ratio * ctx.sigma,
  };
}

/**
 * Confidence in [0,1]: (1 − p) · (1 − e^(−size)), p = Bonferroni p-value of the best split
 * (n splits tried, two-sided), size = change / the smallest reported change. A change just at the
 * reporting threshold scores ≈ 0.63, twice the threshold ≈ 0.86, three times ≈ 0.95.
 */
function score(evidence: number, splits: number, size: number): number {
  const p = Math.min(1, 2 * splits * (1 - normalCdf(evidence)));
  return Math.max(0, Math.min(1, (1 - p) * (1 - Math.exp(-size))));
}

function med(xs: Float64Array, start: number, end: number): number {
  if (end <= start) return 0;
  const s = Float64Array.from(xs.subarray(start, end)).sort();
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

function madOf(xs: Float64Array, len: number): number {
  const m = med(xs, 0, len);
  const d = new Float64Array(len);
  for (let i = 0; i < len; i++) d[i] = Math.abs(xs[i]! - m);
  return med(d, 0, len);
}
