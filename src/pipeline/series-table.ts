import type { SeriesRef } from '../domain/types';
import type { SeriesDetector } from '../detect/types';

/**
 * Live per-series state of one consumer: the canonical SeriesRef (so buffered rows share one
 * object per series instead of one per sample) and the streaming detector. Bounded two ways:
 * at most `maxSeries` entries (the least recently updated is evicted first) and entries idle
 * for `idleMs` of wall-clock time are swept. Eviction forgets the detector's regime; a series
 * that comes back starts learning again (its stored points are unaffected).
 */
export interface SeriesEntry {
  readonly ref: SeriesRef;
  readonly detector: SeriesDetector;
  /**
   * Wall-clock tick (of idleMs/64) in which the series was last seen, counted from the table's
   * first touch: a small integer, which V8 keeps in the object, where epoch ms would be a double
   * boxed in a heap number of its own (16 bytes per series).
   */
  seen: number;
}

export interface SeriesTableOptions {
  /** Most live series. @default 500000 */
  maxSeries: number;
  /** Wall-clock ms after which an unseen series is forgotten. @default 3 h */
  idleMs: number;
}

export class SeriesTable {
  // Map keeps insertion order; touching re-inserts, so the first entry is the least recently seen.
  private readonly entries = new Map<string, SeriesEntry>();
  private evictedTotal = 0;
  readonly maxSeries: number;
  readonly idleMs: number;
  private readonly tickMs: number;
  /** Wall-clock time of tick 0 (the first touch). */
  private origin: number | undefined;

  constructor(
    private readonly newDetector: () => SeriesDetector,
    opts: Partial<SeriesTableOptions> = {},
  ) {
    this.maxSeries = opts.maxSeries ?? 500_000;
    this.idleMs = opts.idleMs ?? 3 * 3_600_000;
    this.tickMs = this.idleMs / 64;
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
    e = { ref, detector: this.newDetector(), seen: tick };
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
      n++;
    }
    this.evictedTotal += n;
    return n;
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
    const first = this.entries.keys().next();
    if (first.done !== true) {
      this.entries.delete(first.value);
      this.evictedTotal++;
    }
  }
}
