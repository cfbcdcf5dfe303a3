import type { SeriesRef } from '../domain/types';
import type { DetectorSlots } from '../detect/pool';

/**
 * Live per-series state of one consumer: the canonical SeriesRef (so buffered rows share one
 * object per series instead of one per sample) and the streaming detector, a number in the
 * table's detector pool that the table releases when it forgets the series. Bounded two ways:
 * at most `maxSeries` entries (the least recently updated is evicted first) and entries idle
 * for `idleMs` of wall-clock time are swept. Eviction forgets the detector's regime; a series
 * that comes back starts learning again (its stored points are unaffected).
 *
 * An entry is a number, the series' place in the table's columns (an array of refs and typed
 * arrays of the numbers below): an object per series cost 56 bytes, its columns cost 20.
 */
export type SeriesEntry = number;

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
  /** The columns, by entry: the canonical SeriesRef (undefined while the place is free)… */
  private refs: (SeriesRef | undefined)[] = [];
  /** …its detector (an id in the table's DetectorSlots)… */
  private detectorOf = new Int32Array(16);
  /** …the tick (of idleMs/64) in which the series was last seen, counted from the table's first touch… */
  private seenAt = new Int32Array(16);
  /**
   * …and the tick (of rowEveryMs/16, same origin) in which this consumer last wrote the
   * series' `series` row; ROW_NEVER before the first.
   */
  private rowAtOf = new Int32Array(16);
  // (Ticks as int32: they count from the table's first touch and last 68 years of uptime at the
  // smallest idleMs (1 min), 4 at the smallest rowEveryMs (1 s; 1,275 at the default 5 min).)
  /** Places of forgotten series, taken again before the columns grow. */
  private readonly free: SeriesEntry[] = [];
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
      if (this.seenAt[e] !== tick) {
        this.entries.delete(ref.id);
        this.entries.set(ref.id, e);
        this.seenAt[e] = tick;
      }
      return e;
    }
    if (this.entries.size >= this.maxSeries) this.evictOldest();
    e = this.free.pop() ?? this.grow();
    this.refs[e] = ref;
    this.detectorOf[e] = this.detectors.create();
    this.seenAt[e] = tick;
    this.rowAtOf[e] = ROW_NEVER;
    this.entries.set(ref.id, e);
    return e;
  }

  /** The canonical SeriesRef of entry `e` (the first one touched with its id). */
  ref(e: SeriesEntry): SeriesRef {
    return this.refs[e] as SeriesRef;
  }

  /** The detector of entry `e`: an id in the table's DetectorSlots. */
  detector(e: SeriesEntry): number {
    return this.detectorOf[e] as number;
  }

  /** The rowTick in which entry `e`'s row was last written (see rowDue). */
  rowAt(e: SeriesEntry): number {
    return this.rowAtOf[e] as number;
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
      if ((this.seenAt[e] as number) >= cutoff) break;
      this.forget(id, e);
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
    if (rowTick - (this.rowAtOf[e] as number) <= ROW_TICKS) return false;
    this.rowAtOf[e] = rowTick;
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
      this.forget(first.value[0], first.value[1]);
      this.evictedTotal++;
    }
  }

  private forget(id: string, e: SeriesEntry): void {
    this.entries.delete(id);
    this.detectors.release(this.detectorOf[e] as number);
    this.refs[e] = undefined;
    this.free.push(e);
  }

  /** A new place at the end of the columns (the typed ones doubled when full, up to maxSeries). */
  private grow(): SeriesEntry {
    const e = this.refs.length;
    this.refs.push(undefined);
    if (e === this.seenAt.length) {
      const wider = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(Math.max(e + 1, Math.min(2 * a.length, this.maxSeries)));
        b.set(a);
        return b;
      };
      this.detectorOf = wider(this.detectorOf);
      this.seenAt = wider(this.seenAt);
      this.rowAtOf = wider(this.rowAtOf);
    }
    return e;
  }
}
