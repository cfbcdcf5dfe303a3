import type { SeriesRef } from '../domain/types';
import type { DetectorSlots } from '../detect/pool';

/**
 * Live per-series state of one consumer: the canonical SeriesRef (so buffered rows share one
 * object per series instead of one per sample) and the streaming detector, a number in the
 * table's detector pool that the table releases when it forgets the series. Bounded two ways:
 * at most `maxSeries` entries (the least recently updated is evicted first) and entries idle
 * for `idleMs` of wall-clock time are swept. Eviction forgets the detector's regime; a series
 * that comes back starts learning again (its stored points are unaffected).
 */
export interface SeriesEntry {
  readonly ref: SeriesRef;
  /** The series' detector: an id in the table's DetectorSlots (a small integer, kept in the object). */
  readonly detector: number;
  /**
   * Wall-clock tick (of idleMs/64) in which the series was last seen, counted from the table's
   * first touch: a small integer, which V8 keeps in the object, where epoch ms would be a double
   * boxed in a heap number of its own (16 bytes per series).
   */
  seen: number;
  /**
   * Tick (of rowEveryMs/16, same origin) in which this consumer last wrote the series' `series`
   * row; ROW_NEVER before the first. A small integer, for the reason `seen` is.
   */
  rowAt: number;
}

/** rowAt of a series whose row was never written: due at any tick. */
const ROW_NEVER = -0x3fffffff;
/** rowEveryMs in ticks of rowAt. */
const ROW_TICKS = 16;

export interface SeriesTableOptions {
  /** Most live series. @default 500000 */
  maxSeries: number;
  /** Wall-clock ms after which an unseen series is forgotten. @default 3 h */
  idleMs: number;
  /** Wall-clock ms between two `series` rows of one series (clickhouse.seriesEveryMs). @default 5 min */
  rowEveryMs: number;
}

export class SeriesTable {
  // Map keeps insertion order; touching re-inserts, so the first entry is the least recently seen.
  private readonly entries = new Map<string, SeriesEntry>();
  private evictedTotal = 0;
  readonly maxSeries: number;
  readonly idleMs: number;
  private readonly tickMs: number;
  private readonly rowTickMs: number;
  /** Wall-clock time of tick 0 (the first touch). */
  private origin: number | undefined;

  constructor(
    private readonly detectors: DetectorSlots,
    opts: Partial<SeriesTableOptions> = {},
  ) {
    this.maxSeries = opts.maxSeries ?? 500_000;
    this.idleMs = opts.idleMs ?? 3 * 3_600_000;
    this.tickMs = this.idleMs / 64;
    const rowEveryMs = opts.rowEveryMs ?? 300_000;
    if (!(rowEveryMs > 0) || !Number.isFinite(rowEveryMs)) throw new RangeError(`rowEveryMs must be a positive number, got ${rowEveryMs}`);
    this.rowTickMs = rowEveryMs / ROW_TICKS;
    if (!Number.isInteger(this.maxSeries) || this.maxSeries < 1) throw new RangeError(`maxSeries must be a positive integer, got ${this.maxSeries}`);
  }

  /** The entry for `ref.id`, created (and the oldest evicted when full) if new; marks it seen at `now`. */
  touch(ref: SeriesRef, now: number): SeriesEntry {
    const tick = this.tick(now);
    let e = this.entries.get(ref.id);
    if (e !== undefined) {
      // Re-inserting on every sample costs more than decoding it: recency is kept to within a
      // tick, idleMs/64 (≈ 3 min by default), which is all eviction needs.
      if (e.seen !== tick) {
        this.entries.delete(ref.id);
        this.entries.set(ref.id, e);
        e.seen = tick;
      }
      return e;
    }
    if (this.entries.size >= this.maxSeries) this.evictOldest();
    e = { ref, detector: this.detectors.create(), seen: tick, rowAt: ROW_NEVER };
    this.entries.set(ref.id, e);
    return e;
  }

  /**
   * Forget series not seen since `now - idleMs` (to within a tick: a series is kept up to one
   * tick longer, never forgotten early). Cheap: stops at the first recent entry.
   */
  sweep(now: number): number {
    // Last seen in a tick before the one holding now - idleMs: last seen before that instant.
    const cutoff = this.tick(now - this.idleMs);
    let n = 0;
    for (const [id, e] of this.entries) {
      if (e.seen >= cutoff) break;
      this.entries.delete(id);
      this.detectors.release(e.detector);
      n++;
    }
    this.evictedTotal += n;
    return n;
  }

  /** The tick rowDue compares rowAt with; compute it once per batch. */
  rowTick(now: number): number {
    this.origin ??= now;
    return Math.floor((now - this.origin) / this.rowTickMs);
  }

  /**
   * Whether the series' row is due at `rowTick` (never written by this consumer, or written at
   * least rowEveryMs ago: more than ROW_TICKS whole ticks between), marking it written if so.
   * Rows of one series are thus ≥ rowEveryMs apart and, while it keeps sending, ≤ rowEveryMs
   * plus two ticks (1/8 of it) apart.
   */
  rowDue(e: SeriesEntry, rowTick: number): boolean {
    if (rowTick - e.rowAt <= ROW_TICKS) return false;
    e.rowAt = rowTick;
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Series forgotten so far (cap or idleness). */
  get evicted(): number {
    return this.evictedTotal;
  }

  private tick(at: number): number {
    this.origin ??= at;
    return Math.floor((at - this.origin) / this.tickMs);
  }

  private evictOldest(): void {
    const first = this.entries.entries().next();
    if (first.done !== true) {
      this.entries.delete(first.value[0]);
      this.detectors.release(first.value[1].detector);
      this.evictedTotal++;
    }
  }
}
