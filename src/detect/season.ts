import { Part, slotDefaults, type Layout } from './slab';

/** Bins per period (for the daily default: one per UTC hour). */
export const SEASON_BINS = 24;
export const DAY_MS = 86_400_000;
/** Memory of a bin, periods: each bin forgets old cycles at this time constant. */
const BIN_MEMORY = 3;
/** Time constant of the level envelope, periods. */
const ENVELOPE = 4;
/** Samples per period below which the profile is checked against samples, not the smoothed level. */
const FINE_PERIOD = 240;

/**
 * Phase profile of one period (24 bins; by default a day: hour of day, UTC) learned against a slow
 * baseline (time-based EWMA with a one-period time constant), so the fast level model does not
 * have to chase the wave. Bins are stored centred on use (mean of the learned bins subtracted), so
 * the profile never shifts the level. The baseline learns from the first sample, the bins after
 * one period; the owner decides when to use the profile (≥ 2 periods of history).
 */
export class PhaseProfile extends Part {
  /** Period, ms: a day unless a period was found in the data. */
  get period(): number { return this.f[this.b]!; }
  set period(x: number) { this.f[this.b] = x; }
  /** Deseasonalised slow baseline, series units. */
  get base(): number { return this.f[this.b + 1]!; }
  set base(x: number) { this.f[this.b + 1] = x; }
  /**
   * Envelope of deseasonalised values over about a period (decays toward the baseline), series
   * units: float32 distances from the baseline (they follow it: a shift moves all three).
   */
  get hi(): number { return this.base + this.g[this.c + 3]!; }
  get lo(): number { return this.base + this.g[this.c + 4]!; }
  private get lastT(): number { return this.f[this.b + 2]!; }
  private set lastT(x: number) { this.f[this.b + 2] = x; }
  // (float32: they only give the ratio unexplainedShare compares with 0.5 and 0.8)
  private get sq0(): number { return this.g[this.c + 1]!; }
  private set sq0(x: number) { this.g[this.c + 1] = x; }
  private get sq1(): number { return this.g[this.c + 2]!; }
  private set sq1(x: number) { this.g[this.c + 2] = x; }
  private get t0(): number { return this.f[this.b + 3]!; }
  private set t0(x: number) { this.f[this.b + 3] = x; }
  /**
   * The bins are int16 multiples of this step (float32, so a bin's value, int16 × step, is exact
   * in float64): 0 until a bin other than 0 is learned, then HEADROOM × the largest bin / MAX_Q,
   * set again when a bin outgrows it.
   */
  private get step(): number { return this.g[this.c]!; }
  private set step(x: number) { this.g[this.c] = x; }
  /**
   * Sum of the bins in steps: a signed 27-bit number in the low bits of a uint32 (|sum| ≤
   * SEASON_BINS × MAX_Q < 2^20; unlearned bins hold 0), the bins learned in its top 5 bits.
   */
  private get steps(): number { return (this.w[this.e + 1]! << 5) >> 5; }
  private set steps(x: number) { this.w[this.e + 1] = (this.w[this.e + 1]! & ~STEPS) | (x & STEPS); }
  /** Sum of the learned bins, series units (exact: the bins' steps times the step). */
  private get sum(): number { return this.steps * this.step; }
  /** Samples the baseline has averaged (uint32). */
  private get seen(): number { return this.w[this.e]!; }
  private set seen(x: number) { this.w[this.e] = x; }
  /** Bins learned (≤ SEASON_BINS: the top 5 bits of the bins' sum's uint32). */
  private get learned(): number { return this.w[this.e + 1]! >>> 27; }
  private set learned(x: number) { this.w[this.e + 1] = (this.w[this.e + 1]! & STEPS) | (x << 27); }

  /** The state of a new series: a daily profile, nothing learned. Bins are int16 steps, counts uint8. */
  clear(): void {
    this.f.set(SEASON_DEFAULTS, this.b);
    this.g.fill(0, this.c, this.c + SEASON_SLOT.f32);
    this.w.fill(0, this.e, this.e + SEASON_SLOT.u32);
    this.h.fill(0, this.s, this.s + SEASON_BINS);
    this.u.fill(0, this.d, this.d + SEASON_BINS);
    this.seen = 1;
  }

  /** Forget everything and learn a new period from now on. */
  reset(period: number): void {
    this.period = period;
    this.h.fill(0, this.s, this.s + SEASON_BINS);
    this.u.fill(0, this.d, this.d + SEASON_BINS);
    // the baseline and the level's envelope do not depend on the period: they are kept
    this.t0 = this.lastT;
    this.sq0 = this.sq1 = this.step = 0;
    this.w[this.e + 1] = 0; // the bins' sum and the bins learned
    this.seen = 1;
  }

  /** Value of bin h, series units. */
  private bin(h: number): number {
    return this.h[this.s + h]! * this.step;
  }

  /** When the profile started learning (NaN before the first sample). */
  get start(): number {
    return this.t0;
  }

  // Where place() puts its answer (fields of the chunk's shared view, not a new array per sample).
  private h0 = 0;
  private h1 = 0;
  private wt = 0;

  /** Position of t between bin centres: the bin before (h0), the one after (h1) and the weight w of h1. */
  private place(t: number): void {
    const x = (t % this.period) / (this.period / SEASON_BINS) - 0.5;
    const fl = Math.floor(x);
    let h0 = fl % SEASON_BINS;
    if (h0 < 0) h0 += SEASON_BINS;
    this.h0 = h0;
    this.h1 = (h0 + 1) % SEASON_BINS;
    this.wt = x - fl;
  }

  /** Profile value at t, interpolated linearly between hour centres (a bin never seen borrows its neighbour). */
  private raw(h0: number, h1: number, f: number): number {
    const c0 = this.u[this.d + h0]! > 0;
    const c1 = this.u[this.d + h1]! > 0;
    if (c0 && c1) return (1 - f) * this.bin(h0) + f * this.bin(h1);
    if (c0) return this.bin(h0);
    if (c1) return this.bin(h1);
    return NaN;
  }

  /** Centred seasonal offset at time t (0 where nothing was learned yet). */
  offset(t: number): number {
    if (this.learned === 0) return 0;
    this.place(t);
    const r = this.raw(this.h0, this.h1, this.wt);
    return Number.isNaN(r) ? 0 : r - this.sum / this.learned;
  }

  /**
   * Learn from one sample. `clip` bounds the innovation (series units) so an outlier moves a bin by
   * at most gain·clip; `dt` is the typical sampling interval, ms (sets the per-update gain);
   * `level` is the owner's smoothed level at t (deseasonalised when `used`, i.e. when the owner
   * subtracts the profile): the envelope follows it, not the noisy sample.
   */
  learn(t: number, v: number, clip: number, dt: number, level = v, used = false): void {
    const off = this.offset(t);
    const x = v - off;
    // the envelope measures what the owner's model is left with: its level, deseasonalised by
    // the profile only when the owner subtracts it
    const xs = used ? level : level - off;
    // The out-of-sample check compares the owner's smoothed level with the profile; where a
    // period holds few samples per bin (a sharp hourly pulse at one sample a minute) the smoothed
    // level lags the wave by a bin or more, so the sample itself is compared.
    // (the per-sample part works on locals read from the slot once, see ./slab.ts)
    const { f: m, b } = this;
    const period = m[b + S.period]!;
    const smooth = period / dt < FINE_PERIOD ? v : used ? level + off : level;
    const lastT = m[b + S.lastT]!;
    let base = m[b + S.base]!;
    if (Number.isNaN(base)) {
      // from the owner's smoothed level: a first sample that is an outlier must not set them
      // (the envelope's distances from it are 0 from clear)
      m[b + S.base] = xs;
    } else {
      // running mean for the first period, then a one-period exponential memory
      const seen = this.w[this.e]! + 1;
      this.w[this.e] = seen;
      const decay = 1 - Math.exp(-Math.max(0, t - lastT) / period);
      const { g, c } = this;
      const was = base;
      base += Math.max(1 / seen, decay) * (x - base);
      m[b + S.base] = base;
      // the envelope follows a wave (≤ clip per sample) but not a lone outlier
      // the envelope forgets slowly (4-period time constant) so a peak is still there a cycle later
      const keep = 1 - Math.exp(-Math.max(0, t - lastT) / (ENVELOPE * period));
      const hi0 = was + g[c + 3]!;
      const lo0 = was + g[c + 4]!;
      const hi = hi0 - keep * (hi0 - base);
      const lo = lo0 - keep * (lo0 - base);
      g[c + 3] = Math.min(Math.max(hi, xs), hi + clip) - base;
      g[c + 4] = Math.max(Math.min(lo, xs), lo - clip) - base;
    }
    m[b + S.lastT] = t;
    let t0 = m[b + S.t0]!;
    if (Number.isNaN(t0)) m[b + S.t0] = t0 = t;
    // Until a full period has been averaged the baseline is the mean of part of a cycle; bins learned
    // against it would be skewed, so they start after one period.
    if (t - t0 < period) return;
    this.place(t);
    const { h0, h1, wt: f } = this;
    const near = f < 0.5 ? h0 : h1;
    const c = this.u[this.d + near]!;
    const target = v - this.base;
    if (c === 0) {
      this.setBin(near, target);
      this.learned++;
      this.u[this.d + near] = 1;
      return;
    }
    const old = this.raw(h0, h1, f);
    if (c > this.period / SEASON_BINS / dt) {
      // Out-of-sample check, once the bin holds more than a period of samples (so `old` was learned on
      // earlier cycles): squared distance of the smoothed level to the baseline without (sq0) and
      // with (sq1) the centred profile.
      const d0 = smooth - this.base;
      const decay = 1 - Math.exp(-dt / this.period);
      this.sq0 += decay * (d0 * d0 - this.sq0);
      this.sq1 += decay * ((d0 - (old - this.sum / this.learned)) ** 2 - this.sq1);
    }
    const gain = Math.max(1 / (c + 1), Math.min(1, dt / ((BIN_MEMORY * this.period) / SEASON_BINS)));
    const lim = clip + Math.abs(old);
    const innov = gain * Math.max(-lim, Math.min(lim, target - old));
    // the update goes to both neighbouring centres in proportion to their weight
    if (this.u[this.d + h0]! > 0) this.setBin(h0, this.bin(h0) + (1 - f) * innov);
    if (this.u[this.d + h1]! > 0) this.setBin(h1, this.bin(h1) + f * innov);
    if (c < 255) this.u[this.d + near] = c + 1;
  }

  /** Set bin h to value, in steps (its old steps, 0 when unlearned, leave the sum). */
  private setBin(h: number, value: number): void {
    if (!(Math.abs(value) <= MAX_Q * this.step)) this.encode(value);
    const q = this.step > 0 ? Math.max(-MAX_Q, Math.min(MAX_Q, Math.round(value / this.step))) : 0;
    this.steps += q - this.h[this.s + h]!;
    this.h[this.s + h] = q;
  }

  /**
   * A bin's value x is beyond the bins' range: choose the step again for the largest of the bins
   * and x, with room to spare (a profile keeps the resolution of its own amplitude), and store the
   * bins again in it.
   */
  private encode(x: number): void {
    let top = Math.abs(x);
    for (let i = 0; i < SEASON_BINS; i++) top = Math.max(top, Math.abs(this.bin(i)));
    // (float32: HEADROOM leaves room for its rounding; never 0, so x fits whatever it is)
    const step = Math.max(Math.fround((HEADROOM * top) / MAX_Q), MIN_STEP);
    let steps = 0;
    for (let i = 0; i < SEASON_BINS; i++) {
      const q = Math.round(this.bin(i) / step);
      this.h[this.s + i] = q;
      steps += q;
    }
    this.step = step;
    this.steps = steps;
  }

  /** A level shift was confirmed: move the baseline with it so bins do not learn the shift. */
  shift(by: number): void {
    if (Number.isNaN(this.base)) return;
    this.base += by;
  }

  /**
   * Amplitude of a periodic wave the series could be carrying that the profile does not explain yet,
   * series units: half the envelope of the smoothed, deseasonalised level over about a period.
   */
  unexplainedAmplitude(): number {
    return Number.isNaN(this.base) ? 0 : (this.g[this.c + 3]! - this.g[this.c + 4]!) / 2;
  }

  /** The envelope [lo, hi] of the smoothed, deseasonalised level over about a period, series units. */
  range(): [number, number] {
    return [this.lo, this.hi];
  }

  /**
   * Fraction of the level's variance around the baseline the profile left unexplained on cycles it
   * was not learned from (1 = useless or not known yet).
   */
  unexplainedShare(): number {
    return this.sq0 > 0 ? this.sq1 / this.sq0 : 1;
  }
}

/** Slot positions of the fields (the order of SEASON_DEFAULTS), for the per-sample path. */
const enum S {
  period, base, lastT, t0,
}
const SEASON_DEFAULTS = slotDefaults({ period: DAY_MS, base: NaN, lastT: NaN, t0: NaN });
/**
 * Numbers of a profile in a detector's slot: float64 fields; the bins' step, sq0, sq1 and the
 * envelope's distances from the baseline as float32; the sample count, and the bins' sum in steps
 * with the bins learned, as uint32; the bins as int16 steps (a step is 1/21845 of the largest bin
 * when it was chosen: bins are within 1/43690 of that of what float64 bins would hold; as float32
 * they were within 2^-24 of their own value); the bin counts as uint8.
 */
export const SEASON_SLOT: Layout = { f64: SEASON_DEFAULTS.length, f32: 5, u32: 2, i16: SEASON_BINS, u8: SEASON_BINS };
/** Largest |bin|, steps. */
const MAX_Q = 32767;
/** Bits of the bins' sum in its uint32 (the rest: the bins learned). */
const STEPS = 0x7ff_ffff;
/** Range the step gives the bins over the largest of them when it is chosen. */
const HEADROOM = 1.5;
/** Smallest step (the smallest positive float32). */
const MIN_STEP = 2 ** -149;
