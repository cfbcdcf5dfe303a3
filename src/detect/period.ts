import { Part, wrap, type Layout } from './slab';

const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1440;
/** Slots of the coarse history the period is read from (int16: 96 bytes). */
const SLOTS = 48;
/** Shortest period looked for, slots (a shorter one shows at the finer scale before it doubles). */
const MIN_LAG = 4;
/** Autocorrelation a period needs at its lag, and how far below it the curve must dip first. */
const MIN_ACF = 0.5;
const MIN_DIP = 0.4;
/** Slots needed before the history is searched. */
const MIN_SLOTS = 32;
/** Once a period is known, its autocorrelation is re-checked every this many new slots. */
const RECHECK = 8;

/**
 * Finds a period from the data (any period: a 2.4-hour cycle, an hourly batch job, a weekly
 * pattern in daily data), in bounded memory: a history of SLOTS block means whose block size
 * doubles (pairs merged) whenever it is full and no period has been found, so every period is
 * seen at a scale where it spans MIN_LAG … SLOTS/2.5 slots. On the linearly detrended history the
 * normalised autocorrelation must have a local maximum ≥ MIN_ACF at the period's lag, dip by
 * MIN_DIP below it at a shorter lag (a wandering series has high autocorrelation but no dip),
 * and stay positive at twice the lag when the history holds it. The lag is refined by a parabola
 * through its neighbours. Once found, the scale is kept and the history slides.
 */
export class PeriodFinder extends Part {
  // counts: where the oldest slot is, slots held and checks since the last (uint8: at most SLOTS),
  // the samples in the block being summed (uint32) and the samples per slot (a power of two: its
  // exponent, uint8)
  private get head(): number { return this.u[this.d]!; }
  private set head(x: number) { this.u[this.d] = x; }
  private get count(): number { return this.u[this.d + 1]!; }
  private set count(x: number) { this.u[this.d + 1] = x; }
  private get sinceCheck(): number { return this.u[this.d + 2]!; }
  private set sinceCheck(x: number) { this.u[this.d + 2] = x; }
  /** Samples per slot: 2 to the power of its uint8 (doubled by merge; below 2^32 / SLOTS, so the shift is exact). */
  private get block(): number { return 1 << this.u[this.d + 3]!; }
  private get accN(): number { return this.w[this.e]!; }
  private set accN(x: number) { this.w[this.e] = x; }
  private get acc(): number { return this.f[this.b]!; }
  private set acc(x: number) { this.f[this.b] = x; }
  /** What the last check found (samples, 0 = none): a period is taken when the next agrees. */
  private get candidate(): number { return this.g[this.c]!; }
  private set candidate(x: number) { this.g[this.c] = x; }
  /** Period in samples (fractional), 0 while none is known. */
  get samples(): number { return this.f[this.b + 1]!; }
  set samples(x: number) { this.f[this.b + 1] = x; }
  /** Amplitude of the cycle when last checked, series units: √2 × the detrended history's σ. */
  get amplitude(): number { return this.g[this.c + 1]!; }
  set amplitude(x: number) { this.g[this.c + 1] = x; }
  /** The history's encoding: a slot holds round((value − zero) / step) (step 0: nothing encoded yet). */
  private get zero(): number { return this.f[this.b + 2]!; }
  private set zero(x: number) { this.f[this.b + 2] = x; }
  private get step(): number { return this.f[this.b + 3]!; }
  private set step(x: number) { this.f[this.b + 3] = x; }

  /** The state of a new series. */
  clear(): void {
    this.f.fill(0, this.b, this.b + PERIOD_SLOT.f64);
    this.g.fill(0, this.c, this.c + PERIOD_SLOT.f32);
    this.w.fill(0, this.e, this.e + PERIOD_SLOT.u32);
    this.u.fill(0, this.d, this.d + PERIOD_SLOT.u8);
    this.h.fill(0, this.s, this.s + SLOTS);
  }

  /** Add one sample's value. Returns true when the known period changed (found, moved or lost). */
  update(v: number): boolean {
    this.acc += v;
    this.accN++;
    if (this.accN < this.block) return false;
    this.push(this.acc / this.accN);
    this.acc = 0;
    this.accN = 0;
    if (this.samples === 0 && this.count === SLOTS) {
      this.merge();
      return false;
    }
    if (this.count < MIN_SLOTS || ++this.sinceCheck < (this.samples > 0 ? RECHECK : 2)) return false;
    this.sinceCheck = 0;
    const found = this.find() * this.block;
    // a period (or its loss) counts once two checks in a row agree on it
    const agrees = (a: number, b: number): boolean => (a === 0 ? b === 0 : Math.abs(a - b) < 0.1 * a);
    const stable = agrees(this.candidate, found);
    this.candidate = found;
    if (!stable || agrees(this.samples, found) || harmonic(this.samples, found)) return false;
    this.samples = found;
    return true;
  }

  /**
   * The history in order with its samples per value, while it still starts at the series' first
   * sample (no period found, nothing slid out); `seen` = samples given so far. A trailing partial
   * block is left out.
   */
  history(seen: number): { values: Float64Array; block: number } | undefined {
    if (this.samples > 0 || this.head !== 0 || this.count * this.block + this.accN !== seen) return undefined;
    const values = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) values[i] = this.at(i);
    return { values, block: this.block };
  }

  private push(x: number): void {
    if (!(Math.abs(x - this.zero) <= MAX_Q * this.step)) this.encode(x);
    this.h[this.s + wrap(this.head + this.count, SLOTS)] = Math.round((x - this.zero) / this.step);
    if (this.count < SLOTS) this.count++;
    else this.head = wrap(this.head + 1, SLOTS);
  }

  private at(i: number): number {
    return this.zero + this.step * this.h[this.s + wrap(this.head + i, SLOTS)]!;
  }

  /**
   * x is outside the history's encoded range: encode the history again on the range of the values
   * held and x, with room to spare (so a range is kept to the values held: a climbing series keeps
   * its resolution), in steps of 1/32767 of half of it.
   */
  private encode(x: number): void {
    let lo = x;
    let hi = x;
    for (let i = 0; i < this.count; i++) {
      const v = this.at(i);
      TMP[i] = v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const zero = (lo + hi) / 2;
    // (a constant history is exact with any step; the finest keeps it until a second value
    // differs, which then encodes the history again on the range of the two)
    const step = hi > lo ? (HEADROOM * (hi - lo)) / 2 / MAX_Q : Math.abs(x) * 2 ** -52 || Number.MIN_VALUE;
    this.zero = zero;
    this.step = step;
    for (let i = 0; i < this.count; i++) this.h[this.s + wrap(this.head + i, SLOTS)] = Math.round((TMP[i]! - zero) / step);
  }

  /** Halve the resolution: pairs of slots become one (the history keeps its span, half full). */
  private merge(): void {
    const half = this.count >> 1;
    for (let i = 0; i < half; i++) TMP[i] = (this.at(2 * i) + this.at(2 * i + 1)) / 2;
    // (means of values in range are in range)
    for (let i = 0; i < half; i++) this.h[this.s + i] = Math.round((TMP[i]! - this.zero) / this.step);
    this.head = 0;
    this.count = half;
    this.u[this.d + 3] = this.u[this.d + 3]! + 1; // block *= 2
  }

  /** Lag of the period in slots (refined, fractional), 0 when the history shows none. */
  private find(): number {
    const n = this.count;
    // detrend with the least-squares line
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      sx += i;
      sy += this.at(i);
    }
    const mx = sx / n;
    const my = sy / n;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      sxx += (i - mx) ** 2;
      sxy += (i - mx) * (this.at(i) - my);
    }
    const b = sxx > 0 ? sxy / sxx : 0;
    let var0 = 0;
    for (let i = 0; i < n; i++) {
      X[i] = this.at(i) - my - b * (i - mx);
      var0 += X[i]! * X[i]!;
    }
    if (!(var0 > 0)) return 0;
    var0 /= n;
    this.amplitude = Math.sqrt(2 * var0);
    const maxLag = Math.floor(n / 2.5);
    for (let L = 1; L <= Math.min(maxLag + 1, n - 2); L++) R[L] = acf(n, L, var0);
    let dip = Infinity;
    for (let L = 1; L <= maxLag; L++) {
      const r = R[L]!;
      if (L >= MIN_LAG && r >= MIN_ACF && r >= R[L - 1]! && r >= R[L + 1]! && dip <= r - MIN_DIP && (2 * L > n - 8 || acf(n, 2 * L, var0) > 0)) {
        const den = R[L - 1]! - 2 * r + R[L + 1]!;
        const shift = den < 0 ? (0.5 * (R[L - 1]! - R[L + 1]!)) / den : 0;
        return L + Math.max(-0.5, Math.min(0.5, shift));
      }
      dip = Math.min(dip, r);
    }
    return 0;
  }
}

/**
 * Numbers of a period finder in a detector's slot: 6 float64 fields, a uint32 and 4 uint8 counts,
 * the int16 history (values to 1/65534 of the range they span: autocorrelations, the
 * retrospective's segments and the cycle's amplitude are measured on far coarser differences).
 */
export const PERIOD_SLOT: Layout = { f64: 4, f32: 2, u32: 1, i16: SLOTS, u8: 4 };
/** Largest |slot| of the int16 history. */
const MAX_Q = 32767;
/** Range encoded over the range held when the history is encoded again. */
const HEADROOM = 1.5;

const X = new Float64Array(SLOTS);
const R = new Float64Array(SLOTS);
const TMP = new Float64Array(SLOTS);

/** Autocorrelation of X[0..n) at lag L, normalised by the pairs it has and the lag-0 variance. */
function acf(n: number, L: number, var0: number): number {
  let s = 0;
  for (let i = 0; i + L < n; i++) s += X[i]! * X[i + L]!;
  return s / (n - L) / var0;
}

/** Is one period a multiple (2–4×) of the other? Then the known one still describes the cycle. */
function harmonic(known: number, found: number): boolean {
  if (known === 0 || found === 0) return false;
  const k = Math.max(known, found) / Math.min(known, found);
  return Math.round(k) >= 2 && Math.round(k) <= 4 && Math.abs(k - Math.round(k)) < 0.1 * Math.round(k);
}

/**
 * Periods of machines and people are calendar periods: a whole number of minutes that divides a
 * day (an hourly job, a 2.4-hour cycle = a tenth of a day) or a whole number of days. An estimate
 * within 3 % of one is snapped to it; the estimate from block means is ~1 % off, which over a few
 * cycles would slide a sharp pulse out of its profile bins.
 */
export function calendarPeriod(p: number): number {
  const minutes = p < DAY_MS ? MINUTES_PER_DAY / Math.round(DAY_MS / p) : Math.round(p / DAY_MS) * MINUTES_PER_DAY;
  const snapped = Number.isInteger(minutes) ? minutes * 60_000 : NaN;
  return Math.abs(snapped - p) < 0.03 * p ? snapped : p;
}


