/**
 * Fixed ring of the last `capacity` samples of one series — the only per-series memory that grows
 * with the capacity: 16 bytes per slot (value and time as float64). Times are kept whole: int32
 * millisecond offsets (12 bytes per slot) could not span 32 samples of daily, monthly or yearly
 * data (±24.8 days), and a change's time there came out wrong.
 * Samples are addressed by their sequence number (0, 1, 2, … in arrival order), so callers can say
 * "from the sample that started the CUSUM" without tracking indices themselves.
 */
export class Ring {
  private readonly t: Float64Array;
  readonly v: Float64Array;
  /** Sequence number of the next sample pushed. */
  next = 0;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  push(t: number, v: number): void {
    const i = this.next % this.capacity;
    this.t[i] = t;
    this.v[i] = v;
    this.next++;
  }

  /** Sequence number of the oldest sample still held. */
  get oldest(): number {
    return Math.max(0, this.next - this.capacity);
  }

  get size(): number {
    return Math.min(this.next, this.capacity);
  }

  timeAt(seq: number): number {
    return this.t[seq % this.capacity]!;
  }

  valueAt(seq: number): number {
    return this.v[seq % this.capacity]!;
  }
}
