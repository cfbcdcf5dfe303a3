import { Part, wrap, type Layout } from './slab';

/** Samples kept for locating a change. */
export const RING_SIZE = 32;
/**
 * Numbers of a ring in a detector's slot: time base and unit, value base; values; next sequence
 * number; time offsets, 24 bits each: the low 16 in the int16 part, the high 8 in the uint8 part.
 */
export const RING_SLOT: Layout = { f64: 3, f32: RING_SIZE, u32: 1, i16: RING_SIZE, u8: RING_SIZE };
/** Largest time offset held, units. */
const MAX_Q = 0xff_ffff;

/**
 * Fixed ring of the last RING_SIZE samples of one series, in the detector's slot (./slab.ts).
 * Times are 24-bit offsets from a float64 base in a float64 unit of milliseconds: 1 ms until the
 * offsets outgrow 24 bits (4.66 hours), then the samples held are re-encoded from the oldest with
 * the greatest common divisor of their offsets (10 s data: a 10-second unit; jittered 10 s data
 * keeps 1 ms, its 32 samples span 5 minutes), so times come back exactly, whatever the sampling
 * (32 samples of yearly data too). Fractional-millisecond times come back within a millisecond;
 * only whole-millisecond times whose offsets share no unit that spans them in 24 bits (irregular
 * samples 9 minutes or more apart: 31 gaps over 4.66 hours) are rounded to a coarser one, the
 * span over 2^24 (and again when it changes): 20-minute samples jittered by a second come back
 * within 2 ms, hourly ones within 6 ms, daily ones jittered by an hour within half a second.
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
    if (r <= MAX_Q && Math.abs(q - r) * unit < 1) this.setOffset(i, r);
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
    for (let s = first; s < next; s++) this.setOffset(wrap(s, RING_SIZE), Math.round((TMP[s - first]! - base) / unit));
    this.setOffset(at, Math.round((t - base) / unit));
    f[b] = base;
    f[b + 1] = unit;
  }

  /** Time offset `r` (< 2^24) of the sample at position `i`: low 16 bits, high 8. */
  private setOffset(i: number, r: number): void {
    this.h[this.s + i] = r & 0xffff;
    this.u[this.d + i] = r >>> 16;
  }

  /** Sequence number of the oldest sample still held. */
  get oldest(): number {
    return Math.max(0, this.next - RING_SIZE);
  }

  get size(): number {
    return Math.min(this.next, RING_SIZE);
  }

  timeAt(seq: number): number {
    const i = wrap(seq, RING_SIZE);
    return this.f[this.b]! + ((this.h[this.s + i]! & 0xffff) + this.u[this.d + i]! * 65536) * this.f[this.b + 1]!;
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
