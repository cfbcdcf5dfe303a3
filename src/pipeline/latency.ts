/**
 * A fixed-size latency histogram (log buckets, ~4% wide) for end-to-end lag: produce time →
 * durably stored. Constant memory whatever the rate; quantiles are bucket upper bounds.
 */
const GROWTH = 1.04;
const LOG_GROWTH = Math.log(GROWTH);
/** Buckets cover 1 ms .. ~1.7e7 ms (about 4.6 hours); beyond goes into the last one. */
const BUCKETS = 425;

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private n = 0;
  private maxMs = 0;

  record(ms: number, times = 1): void {
    const x = ms < 1 ? 1 : ms;
    const i = Math.min(BUCKETS - 1, Math.floor(Math.log(x) / LOG_GROWTH));
    this.counts[i] = (this.counts[i] ?? 0) + times;
    this.n += times;
    if (x > this.maxMs) this.maxMs = x;
  }

  get count(): number {
    return this.n;
  }

  get max(): number {
    return this.maxMs;
  }

  /** Upper bound of the bucket holding quantile q in [0,1], ms; 0 when empty. */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const target = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= target) return Math.min(this.maxMs, GROWTH ** (i + 1));
    }
    return this.maxMs;
  }

  reset(): void {
    this.counts.fill(0);
    this.n = 0;
    this.maxMs = 0;
  }
}
