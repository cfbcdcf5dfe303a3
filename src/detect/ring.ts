import { Part, wrap, type Layout } from './slab';

/** Samples kept for locating a change. */
export const RING_SIZE = 32;
/** Numbers of a ring in a detector's slot: time base and unit, value base; values; next sequence number, time offsets. */
export const RING_SLOT: Layout = { f64: 3, f32: RING_SIZE, u32: 1 + RING_SIZE, i16: 0, u8: 0 };
/** Largest time offset held, units. */
const MAX_Q = 0xffff_ffff;

/**
 * Fixed ring of the last RING_SIZE samples of one series, in the detector's slot (./slab.ts).
 * Times are uint32 offsets from a float64 base in a float64 unit of milliseconds: 1 ms until the
 * offsets outgrow 32 bits (49.7 days), then the samples held are re-encoded from the oldest with
 * the greatest common divisor of their offsets (10 s data: a 10-second unit), so times come back
 * exactly, whatever the sampling (32 samples of yearly data too). Fractional-millisecond times
 * come back within a millisecond; only whole-millisecond times whose offsets share no unit that
 * spans them in 32 bits (irregular samples 1.6 days or more apart: 31 gaps over 49.7 days) are
 * rounded to a coarser one.
 * Values are float32 differences from a float64 base, the newest value when the ring last
 * re-based: every RING_SIZE samples, and at once when a value is nearer zero than the base (a drop
 * to 0). So a value comes back within 2⁻²⁴ of its distance from a recent value of the series (a
 * level of 1e9 with noise of 1 keeps its noise; stored as float32, it was rounded to 64), and
 * never worse than its own float32 rounding; whole numbers up to 2²⁴ apart come back exactly.
 * Samples are addressed by their sequence number (0, 1, 2, … in arrival order), so callers can say
 * "from the sample that started the CUSUM" without tracking indices themselves.
 */
export class Ring extends Part {
  /** Empty the ring (a new owner of the slot). */
  clear(): void {
    this.w[this.e] = 0;
    this.f[this.b + 1] = 1;
    this.f[this.b + 2] = 0;
  }

  /** Sequence number of the next sample pushed. */
  get next(): number {
    return this.w[this.e]!;
  }

  push(t: number, v: number): void {
    const { f, g, w, b, c, e } = this;
    const next = w[e]!;
    const i = wrap(next, RING_SIZE);
    if (next === 0) f[b] = t;
    const unit = f[b + 1]!;
    const q = (t - f[b]!) / unit;
    const r = Math.round(q);
    // exact for whole-millisecond times, within a millisecond for others
    if (r <= MAX_Q && Math.abs(q - r) * unit < 1) w[e + 1 + i] = r;
    else this.encode(t, i);
    const d = v - f[b + 2]!;
    if (i === 0 || Math.abs(d) > Math.abs(v)) this.rebase(v, next);
    g[c + i] = v - f[b + 2]!;
    w[e] = next + 1;
  }

  /** Make v the values' base: the samples held (before `next`) are stored again as differences from it. */
  private rebase(v: number, next: number): void {
    const { f, g, b, c } = this;
    const old = f[b + 2]!;
    for (let s = Math.max(0, next - RING_SIZE); s < next; s++) {
      const k = c + wrap(s, RING_SIZE);
      g[k] = old + g[k]! - v;
    }
    f[b + 2] = v;
  }

  /**
   * The new time t does not fit the base and unit: re-encode the samples kept (the newest
   * RING_SIZE − 1 and t, which goes to position `at`) from the oldest of them, in the largest
   * unit that divides their whole-millisecond offsets and spans them in 32 bits.
   */
  private encode(t: number, at: number): void {
    const { f, w, b, e } = this;
    const next = w[e]!;
    const first = Math.max(0, next - (RING_SIZE - 1));
    const base = next > first ? this.timeAt(first) : t;
    let unit = 0;
    for (let s = first; s < next; s++) unit = gcd(unit, Math.round(this.timeAt(s) - base));
    unit = gcd(unit, Math.round(t - base));
    unit = Math.max(unit, 1, Math.ceil((t - base) / MAX_Q));
    for (let s = first; s < next; s++) TMP[s - first] = this.timeAt(s);
    for (let s = first; s < next; s++) w[e + 1 + wrap(s, RING_SIZE)] = Math.round((TMP[s - first]! - base) / unit);
    w[e + 1 + at] = Math.round((t - base) / unit);
    f[b] = base;
    f[b + 1] = unit;
  }

  /** Sequence number of the oldest sample still held. */
  get oldest(): number {
    return Math.max(0, this.next - RING_SIZE);
  }

  get size(): number {
    return Math.min(this.next, RING_SIZE);
  }

  timeAt(seq: number): number {
    return this.f[this.b]! + this.w[this.e + 1 + wrap(seq, RING_SIZE)]! * this.f[this.b + 1]!;
  }

  valueAt(seq: number): number {
    return this.f[this.b + 2]! + this.g[this.c + wrap(seq, RING_SIZE)]!;
  }
}

const TMP = new Float64Array(RING_SIZE);

/** Greatest common divisor of two non-negative whole numbers (gcd(0, x) = x). */
function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y > 0) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}
