import { Part, wrap } from './slab';

/** Samples kept for locating a change. */
export const RING_SIZE = 32;
/** Float64 numbers of a ring in a detector's slot: the next sequence number, then times, then values. */
export const RING_F64 = 1 + 2 * RING_SIZE;

/**
 * Fixed ring of the last RING_SIZE samples of one series, in the detector's slot (./slab.ts):
 * 16 bytes per sample (value and time as float64). Times are kept whole: int32 millisecond
 * offsets (12 bytes per slot) could not span 32 samples of daily, monthly or yearly data
 * (±24.8 days), and a change's time there came out wrong.
 * Samples are addressed by their sequence number (0, 1, 2, … in arrival order), so callers can say
 * "from the sample that started the CUSUM" without tracking indices themselves.
 */
export class Ring extends Part {
  /** Empty the ring (a new owner of the slot). */
  clear(): void {
    this.f[this.b] = 0;
  }

  /** Sequence number of the next sample pushed. */
  get next(): number {
    return this.f[this.b]!;
  }

  push(t: number, v: number): void {
    const next = this.f[this.b]!;
    const i = this.b + 1 + wrap(next, RING_SIZE);
    this.f[i] = t;
    this.f[i + RING_SIZE] = v;
    this.f[this.b] = next + 1;
  }

  /** Sequence number of the oldest sample still held. */
  get oldest(): number {
    return Math.max(0, this.next - RING_SIZE);
  }

  get size(): number {
    return Math.min(this.next, RING_SIZE);
  }

  timeAt(seq: number): number {
    return this.f[this.b + 1 + wrap(seq, RING_SIZE)]!;
  }

  valueAt(seq: number): number {
    return this.f[this.b + 1 + RING_SIZE + wrap(seq, RING_SIZE)]!;
  }
}
