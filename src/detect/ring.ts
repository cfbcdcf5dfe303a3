const INT32_MAX = 2_147_483_647;
const INT32_MIN = -2_147_483_648;

/**
 * Fixed ring of the last `capacity` samples of one series — the only per-series memory that grows
 * with the capacity: 12 bytes per slot (value as float64, time as an int32 ms offset from a base,
 * re-based when a time runs past ±24.8 days; sub-millisecond parts of times are not kept).
 * Samples are addressed by their sequence number (0, 1, 2, … in arrival order), so callers can say
 * "from the sample that started the CUSUM" without tracking indices themselves.
 */
export class Ring {
  private readonly off: Int32Array;
  readonly v: Float64Array;
  private base = 0;
  /** Sequence number of the next sample pushed. */
  next = 0;

  constructor(readonly capacity: number) {
    this.off = new Int32Array(capacity);
    this.v = new Float64Array(capacity);
  }

  push(t: number, v: number): void {
    if (this.next === 0) this.base = Math.round(t);
    let d = Math.round(t) - this.base;
    if (d > INT32_MAX || d < INT32_MIN) {
      this.rebase(Math.round(t));
      d = 0;
    }
    const i = this.next % this.capacity;
    this.off[i] = d;
    this.v[i] = v;
    this.next++;
  }

  /** Move the base to `t`; samples older than the int32 range are pinned at its edge. */
  private rebase(t: number): void {
    const shift = this.base - t;
    for (let i = 0; i < this.capacity; i++) this.off[i] = Math.max(INT32_MIN, this.off[i]! + shift);
    this.base = t;
  }

  /** Sequence number of the oldest sample still held. */
  get oldest(): number {
    return Math.max(0, this.next - this.capacity);
  }

  get size(): number {
    return Math.min(this.next, this.capacity);
  }

  timeAt(seq: number): number {
    return this.base + this.off[seq % this.capacity]!;
  }

  valueAt(seq: number): number {
    return this.v[seq % this.capacity]!;
  }

}
