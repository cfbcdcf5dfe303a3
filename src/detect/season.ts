/** Hours in a day: one profile bin per UTC hour. */
export const SEASON_BINS = 24;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Memory of a bin, days: each bin forgets old days at this time constant. */
const BIN_MEMORY_DAYS = 3;

/**
 * Hour-of-day profile (24 bins, UTC) learned against a slow baseline (time-based EWMA with a one-day
 * time constant), so the fast level model does not have to chase a daily wave. Bins are stored
 * centred on use (mean of the learned bins subtracted), so the profile never shifts the level.
 * Learning starts with the first sample; the owner decides when to use it (≥ 2 days of history).
 */
export class HourProfile {
  readonly bins = new Float64Array(SEASON_BINS);
  readonly counts = new Uint8Array(SEASON_BINS);
  /** Deseasonalised slow baseline, series units. */
  base = NaN;
  private lastT = NaN;
  private sum = 0;
  private learned = 0;

  static bin(t: number): number {
    const h = Math.floor(t / HOUR_MS) % SEASON_BINS;
    return h < 0 ? h + SEASON_BINS : h;
  }

  /** Centred seasonal offset at time t (0 for bins never seen). */
  offset(t: number): number {
    const h = HourProfile.bin(t);
    if (this.counts[h] === 0 || this.learned === 0) return 0;
    return this.bins[h]! - this.sum / this.learned;
  }

  /**
   * Learn from one sample. `clip` bounds the innovation (series units) so an outlier moves a bin by
   * at most gain·clip; `dt` is the typical sampling interval, ms (sets the per-update gain).
   */
  learn(t: number, v: number, clip: number, dt: number): void {
    const off = this.offset(t);
    if (Number.isNaN(this.base)) this.base = v;
    else {
      const w = 1 - Math.exp(-Math.max(0, t - this.lastT) / DAY_MS);
      this.base += w * (v - off - this.base);
    }
    this.lastT = t;
    const h = HourProfile.bin(t);
    const c = this.counts[h]!;
    const old = this.bins[h]!;
    const gain = Math.max(1 / (c + 1), Math.min(1, dt / ((BIN_MEMORY_DAYS * DAY_MS) / SEASON_BINS)));
    const lim = clip + Math.abs(old);
    const innov = Math.max(-lim, Math.min(lim, v - this.base - old));
    const nv = old + gain * innov;
    this.bins[h] = nv;
    this.sum += nv - old;
    if (c === 0) this.learned++;
    if (c < 255) this.counts[h] = c + 1;
  }

  /** A level shift was confirmed: move the baseline with it so bins do not learn the shift. */
  shift(by: number): void {
    if (!Number.isNaN(this.base)) this.base += by;
  }

  /** Payload bytes: bins, counts and the four scalars. */
  get bytes(): number {
    return this.bins.byteLength + this.counts.byteLength + 4 * 8;
  }
}
