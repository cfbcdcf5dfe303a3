import type { DetectorOptions } from './options';
import { Part, slotDefaults, type Layout } from './slab';

/** A confirmed slow slope change, relative to the anchor (the model when the watch was armed). */
export interface DriftVerdict {
  /** Where the new trend leaves the old line, epoch ms (may fall between samples). */
  readonly onset: number;
  /** Old model's level at the onset, series units (deseasonalised). */
  readonly level: number;
  /** Old slope, units per ms. */
  readonly oldSlope: number;
  /** Slope change, units per ms. */
  readonly slopeChange: number;
  /** Deviation from the old line at the confirming sample, series units. */
  readonly endShift: number;
  readonly magnitude: number;
  /** t-statistic of the slope change (after autocorrelation and line-misfit corrections). */
  readonly evidence: number;
}

/** What the owner passes per sample besides (t, v). */
export interface DriftContext {
  /** Daily-profile offset at t (0 when unused). */
  readonly season: number;
  /** Noise scale σ of the regime, series units. */
  readonly sigma: number;
  /** Typical sampling interval, ms. */
  readonly dt: number;
  /** Variance inflation from residual autocorrelation, (1+ρ)/(1−ρ). */
  readonly inflation: number;
  /** Daily cycles are possible (the seasonal option): drifts must leave the level's recent range. */
  readonly seasonal: boolean;
}

/**
 * Leak / slow-ramp watch: the fast level+trend model follows a slow ramp (that is what a trend
 * model does), so slow slope changes are judged here, over a long horizon with O(1) memory.
 * When armed, the model of that moment is frozen (the anchor); residuals against it are summed
 * (n, Σu, Σu², Σe, Σue, Σe² with u in sampling intervals) and fed to a two-sided CUSUM. When the
 * CUSUM alarms, the least-squares line through the residuals decides: its slope must be
 * significant (t ≥ minEvidence, with the line's own misfit and the autocorrelation counted) and
 * the drift must reach minMagnitude σ (plus what a daily wave could do). The owner re-arms the
 * watch every `horizon` quiet samples so an old anchor never accumulates stale-trend error.
 */
export class DriftWatch extends Part {
  /**
   * Variance of the anchor's slope, (units per sampling interval)²: Infinity for a slope taken from
   * a short window (nothing is judged against it), σ²/Σ(u−ū)² for one fitted over a horizon.
   */
  get slopeVar(): number { return this.g[this.c + 2]!; }
  set slopeVar(x: number) { this.g[this.c + 2] = x; }
  /** Samples watched (uint32). */
  get n(): number { return this.w[this.e]!; }
  set n(x: number) { this.w[this.e] = x; }
  private get L(): number { return this.f[this.b]!; }
  private set L(x: number) { this.f[this.b] = x; }
  private get B(): number { return this.f[this.b + 1]!; }
  private set B(x: number) { this.f[this.b + 1] = x; }
  private get T(): number { return this.f[this.b + 2]!; }
  private set T(x: number) { this.f[this.b + 2] = x; }
  private get su(): number { return this.f[this.b + 3]!; }
  private set su(x: number) { this.f[this.b + 3] = x; }
  private get suu(): number { return this.f[this.b + 4]!; }
  private set suu(x: number) { this.f[this.b + 4] = x; }
  private get se(): number { return this.f[this.b + 5]!; }
  private set se(x: number) { this.f[this.b + 5] = x; }
  private get sue(): number { return this.f[this.b + 6]!; }
  private set sue(x: number) { this.f[this.b + 6] = x; }
  private get see(): number { return this.f[this.b + 7]!; }
  private set see(x: number) { this.f[this.b + 7] = x; }
  /** Two-sided CUSUM of the residuals (float32, see DRIFT_SLOT). */
  private get cp(): number { return this.g[this.c + 4]!; }
  private set cp(x: number) { this.g[this.c + 4] = x; }
  private get cn(): number { return this.g[this.c + 5]!; }
  private set cn(x: number) { this.g[this.c + 5] = x; }
  /** Running centre of the residuals: samples further than 4σ from it are winsorised. */
  private get ec(): number { return this.g[this.c + 3]!; }
  private set ec(x: number) { this.g[this.c + 3] = x; }
  /**
   * Range of the deseasonalised level over the day before arming (series units; float32: a drift
   * must leave it by minMagnitude σ, it only tells a wave from a leak).
   */
  private get lo(): number { return this.g[this.c]!; }
  private set lo(x: number) { this.g[this.c] = x; }
  private get hi(): number { return this.g[this.c + 1]!; }
  private set hi(x: number) { this.g[this.c + 1] = x; }

  /**
   * The state of a new series. It is armed before its first update (the owner arms it when its
   * model is initialised and feeds it only from then on), so no flag says whether it is.
   */
  clear(): void {
    this.f.set(DRIFT_DEFAULTS, this.b);
    this.g.fill(0, this.c, this.c + DRIFT_SLOT.f32);
    this.slopeVar = Infinity;
    this.w[this.e] = 0;
  }

  /** Freeze the model (level at t, slope per ms) as the anchor and start afresh. */
  arm(level: number, slope: number, t: number, slopeVar: number, range: readonly [number, number] = [level, level]): void {
    this.lo = range[0];
    this.hi = range[1];
    this.slopeVar = slopeVar;
    this.L = level;
    this.B = slope;
    this.T = t;
    this.n = 0;
    this.su = this.suu = this.se = this.sue = this.see = 0;
    this.cp = this.cn = 0;
    this.ec = 0;
  }

  /** No alarm building up: safe to re-arm. */
  quiet(h: number): boolean {
    return this.cp < h / 2 && this.cn < h / 2;
  }

  /** Slope of the anchor, units per ms. */
  get slope(): number {
    return this.B;
  }

  /**
   * Re-anchor on the line fitted over the samples just watched (level at t, slope): a slope
   * estimated from many samples, far steadier than the fast model's, with its variance.
   */
  rearm(t: number, dt: number, sigma: number, inflation: number, range?: readonly [number, number]): void {
    const n = this.n;
    const sxx = this.suu - (this.su * this.su) / n;
    if (n < 3 || sxx <= 0 || dt <= 0) return this.arm(this.L + this.B * (t - this.T), this.B, t, this.slopeVar, range);
    const sxy = this.sue - (this.su * this.se) / n;
    const beta = sxy / sxx;
    const a = (this.se - beta * this.su) / n;
    const u = (t - this.T) / dt;
    const s2 = Math.max(sigma * sigma, this.misfit2(sxx, sxy)) * inflation;
    this.arm(this.L + this.B * (t - this.T) + a + beta * u, this.B + beta / dt, t, s2 / sxx, range);
  }

  private misfit2(sxx: number, sxy: number): number {
    const n = this.n;
    return Math.max(0, (this.see - (this.se * this.se) / n - (sxy * sxy) / sxx) / (n - 2));
  }

  /** One sample (on locals read from the slot once: the per-sample path, see ./slab.ts). */
  update(t: number, v: number, c: DriftContext, o: DetectorOptions): DriftVerdict | undefined {
    const { f, b } = this;
    if (c.dt <= 0) return undefined;
    const T = f[b + W.T]!;
    const raw = v - (f[b + W.L]! + f[b + W.B]! * (t - T)) - c.season;
    const ec = this.ec;
    const e = Math.max(ec - 4 * c.sigma, Math.min(ec + 4 * c.sigma, raw));
    this.ec = ec + 0.2 * (e - ec);
    const u = (t - T) / c.dt;
    const n = this.w[this.e]! + 1;
    this.w[this.e] = n;
    f[b + W.su] = f[b + W.su]! + u;
    f[b + W.suu] = f[b + W.suu]! + u * u;
    f[b + W.se] = f[b + W.se]! + e;
    f[b + W.sue] = f[b + W.sue]! + u * e;
    f[b + W.see] = f[b + W.see]! + e * e;
    const z = Math.max(-o.cusumClip, Math.min(o.cusumClip, e / c.sigma));
    // (float32 sums: the value compared is the one kept)
    const g = this.g;
    const cp = Math.fround(Math.max(0, g[this.c + 4]! + z - o.cusumK));
    const cn = Math.fround(Math.max(0, g[this.c + 5]! - z - o.cusumK));
    g[this.c + 4] = cp;
    g[this.c + 5] = cn;
    const dir = cp > o.cusumH ? 1 : cn > o.cusumH ? -1 : 0;
    if (dir === 0 || !Number.isFinite(this.slopeVar) || n < 4 * o.minRun) return undefined;
    return this.judge(u, dir, c, o);
  }

  private judge(u: number, dir: number, c: DriftContext, o: DetectorOptions): DriftVerdict | undefined {
    const n = this.n;
    const sxx = this.suu - (this.su * this.su) / n;
    if (sxx <= 0) return undefined;
    const sxy = this.sue - (this.su * this.se) / n;
    const beta = sxy / sxx;
    if (Math.sign(beta) !== dir) return undefined;
    const a = (this.se - beta * this.su) / n;
    // The line's own misfit counts as noise (a wandering series is not a clean ramp), and the
    // anchor's slope is itself an estimate: both variances enter the test.
    const sigma = Math.max(c.sigma, Math.sqrt(this.misfit2(sxx, sxy)));
    const evidence = Math.abs(beta) / Math.sqrt((sigma * sigma * c.inflation) / sxx + this.slopeVar);
    const endShift = a + beta * u;
    const magnitude = Math.abs(endShift) / sigma;
    // A slow bend is also what a daily wave does. A drift counts once it takes the level out of
    // the range it swept over the day before the watch was armed (a leak makes new highs; a wave,
    // once a cycle has been seen, stays inside).
    if (c.seasonal) {
      const now = this.L + this.B * u * c.dt + endShift;
      const beyond = dir > 0 ? now - this.hi : this.lo - now;
      if (beyond < o.minMagnitude * sigma) return undefined;
    }
    if (evidence < o.minEvidence || magnitude < o.minMagnitude) return undefined;
    const u0 = hingeOnset(a, beta, u);
    const onset = Math.round(this.T + u0 * c.dt);
    return {
      onset,
      level: this.L + this.B * (onset - this.T),
      oldSlope: this.B,
      slopeChange: beta / c.dt,
      endShift,
      magnitude,
      evidence,
    };
  }

}

/** Slot positions of the fields (the order of DRIFT_DEFAULTS), for the per-sample path. */
const enum W {
  L, B, T, su, suu, se, sue, see,
}
const DRIFT_DEFAULTS = slotDefaults({ L: 0, B: 0, T: 0, su: 0, suu: 0, se: 0, sue: 0, see: 0 });
/**
 * Numbers of a leak watch in a detector's slot: float64 fields (the anchor and the sums), the
 * range, the anchor slope's variance, the residuals' centre and the CUSUM sums as float32 (the
 * variance only widens the evidence test's denominator, the centre only winsorises at 4σ; the
 * CUSUM sums are only compared with h, which starts a judgement, and h/2, which allows a re-arm:
 * unlike the detector's own CUSUM, nothing tests them for 0), the uint32 sample count.
 */
export const DRIFT_SLOT: Layout = { f64: DRIFT_DEFAULTS.length, f32: 6, u32: 1, i16: 0, u8: 0 };

/**
 * Where a hinge (flat, then a ramp from u_h) lies, given the least-squares line a + β·u fitted to it
 * over [0, U]. A line through a hinge crosses zero before the hinge, so the crossing is mapped back
 * (the map from the hinge's position to the crossing is monotonic; bisection). When the line
 * crosses before 0 the ramp had begun before the anchor: the crossing is returned (≥ −U).
 */
export function hingeOnset(a: number, beta: number, U: number): number {
  const cross = -a / beta;
  if (!(U > 0) || !Number.isFinite(cross) || cross <= 0) return Math.max(-U, Number.isFinite(cross) ? cross : 0);
  const target = cross / U;
  // crossing (in units of U) of the line fitted to a unit hinge at h ∈ [0, 1)
  const crossingOf = (h: number): number => {
    const s = 1 - h;
    const mean = (s * s) / 2;
    const cov = 1 / 3 - h / 2 + (h * h * h) / 6 - mean / 2;
    const b = 12 * cov;
    return b > 0 ? -(mean - b / 2) / b : 1;
  };
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (crossingOf(mid) < target) lo = mid;
    else hi = mid;
  }
  return U * ((lo + hi) / 2);
}
