import type { BreakpointKind } from '../domain/types';
import { normalCdf } from '../stats';
import { bestSplits, type SplitFit } from './split';
import type { DetectorOptions } from './options';
import type { Ring } from './ring';

/** What the detector hands to the confirmation: its buffer and the old regime's model. */
export interface JudgeContext {
  readonly ring: Ring;
  /** First sequence number that belongs to the current regime (and is still buffered). */
  readonly from: number;
  /** Sequence number where the alarming CUSUM left zero (its max-likelihood change time). */
  readonly cusumSeq: number;
  /** Sequence number of the sample that raised the alarm. */
  readonly alarmSeq: number;
  /** Typical sampling interval, ms. */
  readonly dt: number;
  /** Old regime's noise scale, series units. */
  readonly sigma: number;
  /** Old regime's prediction at time t (level + trend + daily profile). */
  readonly predict: (t: number) => number;
  /**
   * Variance inflation of a mean of residuals from their lag-1 autocorrelation ρ: (1+ρ)/(1−ρ).
   * Evidence is divided by its square root, so slowly wandering series need more of it.
   */
  readonly inflation: number;
  /** Amplitude of a periodic wave not explained by the profile (series units; 0 = none/seasonal off). */
  readonly waveAmplitude: number;
  /** Period of that wave, ms (a day unless one was found in the data). */
  readonly wavePeriod: number;
  /** Usual wander of the series' local slope, units per sampling interval (robust σ of the slope). */
  readonly slopeScale: number;
  /** Samples since the current regime began (slopes need a settled trend model to be judged). */
  readonly regimeAge: number;
}

/** BIC margin for preferring a slope shape over a step ("strong evidence", Kass & Raftery 1995). */
const STRONG_BIC = 6;

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
 * Decide on a pending alarm: a Verdict; 'over' (two runs after the alarm the newest samples
 * are back within 1.5σ of the old level: it was an excursion, not a new regime); or 'wait' (not
 * enough or not convincing data yet; the caller gives up when its buffer cannot hold more).
 * `final` = end of input: accept a new regime of ¾·minRun samples instead of minRun.
 */
export function judge(ctx: JudgeContext, o: DetectorOptions, final: boolean): Verdict | 'wait' | 'over' {
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

  // A step starts near where the CUSUM left zero; a ramp may have begun well before (the CUSUM
  // only notices it once it has grown), so slope shapes search the whole window. The old regime
  // needs enough samples for a robust level, the new one at least half a run.
  const half = Math.ceil(o.minRun / 2);
  const fits = bestSplits(E, U, n, half, n - half, sigma * sigma, Math.max(half, c - o.minRun)).sort((x, y) => x.cost - y.cost);
  const stepCost = fits.find((f) => f.shape === 'step')?.cost ?? Infinity;
  // Occam: a continuous bend (hinge) within 2 BIC units of a bend-with-jump (both) is preferred
  const hinge = fits.find((f) => f.shape === 'hinge');
  if (hinge !== undefined) {
    const both = fits.findIndex((f) => f.shape === 'both');
    if (both >= 0 && fits[both]!.cost + 2 > hinge.cost) fits.splice(both, 1);
  }
  for (const fit of fits) {
    // Evidence is judged against the noisier of the old and the new regime, so a burst of noise
    // is not read as a trend; a slope change must be real by itself, otherwise the step speaks.
    // (only beyond the sampling error of the scale estimate itself, ≈ 1/√k for k differences)
    const noisier = diffScaleOf(raw, fit.j, n) / sigma / (1 + 2 / Math.sqrt(n - fit.j));
    const deflate = 1 / Math.sqrt(ctx.inflation) / Math.max(1, noisier);
    if (fit.shape !== 'step' && !slopeEligible(fit, n, need, deflate, ctx, o, stepCost)) continue;
    if (n - fit.j < need) break; // the change looks younger than a run: wait for more samples
    // A "step" whose new samples keep climbing (by half the jump or more within the run) may be
    // the start of a ramp: give it a second run before calling it a step.
    if (fit.shape === 'step' && n - fit.j < 2 * need && climbs(fit, n)) break;
    const v = meanChange(fit, n, ctx, o, from, deflate);
    if (v !== undefined) return v;
    break;
  }
  const v = varianceChange(raw, c, n, need, ctx, o, from);
  if (v !== undefined) return v;
  const sinceAlarm = ring.next - 1 - ctx.alarmSeq;
  return sinceAlarm >= 2 * o.minRun && Math.abs(med(E, n - half, n) - early) < 1.5 * sigma ? 'over' : 'wait';
}

/**
 * May a slope-shaped fit speak? Its slope change must be real by itself (evidence), larger than
 * the usual wander of the local slope (a smooth, meandering series has "slope changes" everywhere:
 * its normal behaviour, not breaks), seen over two runs (a steep short line is a step), in a
 * regime old enough for its trend to be known, and it must explain the window clearly better than
 * a step (BIC lower by ≥ 6, "strong" on the Kass–Raftery scale): the simpler story wins ties.
 */
function slopeEligible(fit: SplitFit, n: number, need: number, deflate: number, ctx: JudgeContext, o: DetectorOptions, stepCost: number): boolean {
  return (
    stepCost - fit.cost >= STRONG_BIC &&
    fit.slopeEvidence * deflate >= o.minEvidence &&
    Math.abs(fit.beta) >= o.minMagnitude * ctx.slopeScale &&
    n - fit.j >= 2 * need &&
    ctx.regimeAge >= 4 * o.minRun
  );
}

/** Do the samples after a step's split keep moving in the jump's direction (≥ half the jump)? */
function climbs(fit: SplitFit, n: number): boolean {
  const k = n - fit.j;
  let su = 0;
  let se = 0;
  for (let i = fit.j; i < n; i++) {
    su += U[i]!;
    se += E[i]!;
  }
  let sxx = 0;
  let sxy = 0;
  for (let i = fit.j; i < n; i++) {
    const du = U[i]! - su / k;
    sxx += du * du;
    sxy += du * (E[i]! - se / k);
  }
  const rise = sxx > 0 ? (sxy / sxx) * (U[n - 1]! - U[fit.j]!) : 0;
  return rise * Math.sign(fit.a) >= Math.abs(fit.a) / 2;
}

/** Noise scale of raw[from..n) from first differences (a step or a ramp inside does not count). */
function diffScaleOf(raw: Float64Array, from: number, n: number): number {
  const len = n - from - 1;
  if (len < 2) return 0;
  for (let i = 0; i < len; i++) TMP[i] = raw[from + i + 1]! - raw[from + i]!;
  return (1.4826 * medAbs(TMP, len)) / Math.SQRT2;
}

function meanChange(fit: SplitFit, n: number, ctx: JudgeContext, o: DetectorOptions, from: number, deflate: number): Verdict | undefined {
  const { sigma } = ctx;
  const { j } = fit;
  const { shape } = fit;
  let { m, a } = fit;
  const { beta } = fit;
  if (shape === 'step') {
    // medians: a shift is what most samples say, not what the loudest say
    m = med(E, 0, j);
    a = med(E, j, n) - m;
  }
  const uj = U[j]!;
  const drift = beta * (U[n - 1]! - uj);
  const endShift = a + drift;
  const magnitude = Math.abs(endShift) / sigma;
  // What a periodic wave of the amplitude seen (and not yet explained) could bend the residuals by
  // over the window the change was fitted on.
  const span = ctx.dt * (U[n - 1]! - U[0]! + 1);
  // A sine bends away from its tangent by A·(ωT)²/2 over a span T, by at most A·(2 + ωT) later;
  // the old model's slope lags the wave's by up to a window, which doubles the first term.
  const wt = (2 * Math.PI * span) / ctx.wavePeriod;
  const wave = (ctx.waveAmplitude * Math.min(wt * wt, 2 + wt)) / sigma;
  if (magnitude < o.minMagnitude + wave || fit.evidence * deflate < o.minEvidence) return undefined;
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
  // The newest samples must still say what the fit says at the end (a spike that came and went,
  // fitted by a steep line, does not).
  const half = Math.ceil(o.minRun / 2);
  if (Math.abs(med(E, n - half, n) - m - endShift) > Math.max(2 * sigma, Math.abs(endShift) / 2)) return undefined;
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
    confidence: score(fit.evidence * deflate, n, magnitude / (o.minMagnitude + wave)),
    afterScale,
  };
}

function varianceChange(raw: Float64Array, c: number, n: number, need: number, ctx: JudgeContext, o: DetectorOptions, from: number): Verdict | undefined {
  // a scale needs more samples than a level: 2·minRun, so a few outliers cannot fake it
  if (n - c < 2 * need || c < Math.ceil(o.minRun / 2)) return undefined;
  // scale from first differences: a trend or a wave inside the window does not count as noise
  const ratio = diffScaleOf(raw, c, n) / ctx.sigma;
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
export function score(evidence: number, splits: number, size: number): number {
  const p = Math.min(1, 2 * splits * (1 - normalCdf(evidence)));
  return Math.max(0, Math.min(1, (1 - p) * (1 - Math.exp(-size))));
}

const SORT = new Float64Array(CAP);
const ABS = new Float64Array(CAP);

/** Median of xs[start..end) (0 when empty), sorted in a module scratch buffer: no allocation. */
function med(xs: Float64Array, start: number, end: number): number {
  const len = end - start;
  if (len <= 0) return 0;
  SORT.set(xs.subarray(start, end));
  const s = SORT.subarray(0, len).sort();
  const h = len >> 1;
  return len % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

function medAbs(xs: Float64Array, len: number): number {
  for (let i = 0; i < len; i++) ABS[i] = Math.abs(xs[i]!);
  return med(ABS, 0, len);
}

function madOf(xs: Float64Array, len: number): number {
  const m = med(xs, 0, len);
  for (let i = 0; i < len; i++) ABS[i] = Math.abs(xs[i]! - m);
  return med(ABS, 0, len);
}
