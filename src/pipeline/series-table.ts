import { seriesSlot, setSeriesSlot, TABLE_SLOT } from '../domain/series';
import type { SeriesRef } from '../domain/types';
import type { DetectorSlots } from '../detect/pool';
import { IdIndex } from './id-index';

/**
 * Live per-series state of one consumer: the canonical SeriesRef (so buffered rows share one
 * object per series instead of one per sample) and the streaming detector, a number in the
 * table's detector pool that the table releases when it forgets the series. Bounded two ways:
 * at most `maxSeries` entries (the least recently updated is evicted first) and entries idle
 * for `idleMs` of wall-clock time are swept. Eviction forgets the detector's regime; a series
 * that comes back starts learning again (its stored points are unaffected).
 *
 * An entry is a number, the series' place in the table's columns (an array of refs and typed
 * arrays of the numbers below): an object per series cost 56 bytes, its columns cost 20 and its
 * place in the id index (./id-index.ts) 5–8. A series is found by the place kept on its
 * SeriesRef (seriesSlot), and a SeriesRef that is not the one the table holds by its id.
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
  /** The columns, by entry: the canonical SeriesRef (undefined while the place is free)… */
  private refs: (SeriesRef | undefined)[] = new Array<SeriesRef | undefined>(16).fill(undefined);
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
  /** The entries by id: for a new series, or another SeriesRef of one. */
  private readonly index = new IdIndex((e) => this.refs[e] as SeriesRef);
  private live = 0;
  /** Places handed out so far (the columns beyond are unused). */
  private used = 0;
  /** Places of forgotten series, taken again before the columns grow. */
  private readonly free: SeriesEntry[] = [];
  private evictedTotal = 0;
  /** The cutoff tick of the last sweep: a sweep scans the columns only when it moved. */
  private sweptTo = -Infinity;
  readonly maxSeries: number;
  readonly idleMs: number;
  private readonly tickMs: number;
  private readonly rowTickMs: number;
  /** Series evicted at once when the table is full (a scan of the columns finds them). */
  private readonly evictBatch: number;
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
    this.evictBatch = Math.max(1, Math.floor(this.maxSeries / 64));
  }

  /** The entry for `ref.id`, created (and the least recently seen evicted when full) if new; marks it seen at `now`. */
  touch(ref: SeriesRef, now: number): SeriesEntry {
    const tick = this.tick(now);
    const kept = seriesSlot(ref, TABLE_SLOT) ?? -1;
    let e = kept >= 0 && this.refs[kept] === ref ? kept : this.index.find(ref);
    if (e >= 0) {
      // (another SeriesRef of the series is found by its id each time: rare, after a decoder's cache was dropped)
      if (e !== kept && this.refs[e] === ref) setSeriesSlot(ref, TABLE_SLOT, e);
      // Recency is kept to within a tick, idleMs/64 (≈ 3 min by default), which is all eviction needs.
      this.seenAt[e] = tick;
      return e;
    }
    if (this.live >= this.maxSeries) this.evictOldest();
    e = this.free.pop() ?? this.grow();
    this.refs[e] = ref;
    this.detectorOf[e] = this.detectors.create();
    this.seenAt[e] = tick;
    this.rowAtOf[e] = ROW_NEVER;
    this.index.add(e, this.live + 1);
    this.live++;
    setSeriesSlot(ref, TABLE_SLOT, e);
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
   * tick longer, never forgotten early). Cheap: the columns are scanned once per tick.
   */
  sweep(now: number): number {
    // Last seen in a tick before the one holding now - idleMs: last seen before that instant.
    const cutoff = this.tick(now - this.idleMs);
    if (cutoff <= this.sweptTo) return 0;
    this.sweptTo = cutoff;
    let n = 0;
    for (let e = 0; e < this.used; e++) {
      if (this.refs[e] !== undefined && (this.seenAt[e] as number) < cutoff) {
        this.forget(e);
        n++;
      }
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
    return this.live;
  }

  /** Series forgotten so far (cap or idleness). */
  get evicted(): number {
    return this.evictedTotal;
  }

  private tick(at: number): number {
    this.origin ??= at;
    return Math.floor((at - this.origin) / this.tickMs);
  }

  /**
   * Evict the least recently seen series (to within a tick; in a tick, those in the first
   * places): one with a bound under 128, else 1/64 of the bound at once, so that a full table
   * taking new series scans its columns once per maxSeries/64 of them rather than once each.
   */
  private evictOldest(): void {
    const seen: number[] = [];
    for (let e = 0; e < this.used; e++) if (this.refs[e] !== undefined) seen.push(this.seenAt[e] as number);
    if (seen.length === 0) return;
    let k = Math.min(this.evictBatch, seen.length);
    const last = Int32Array.from(seen).sort()[k - 1] as number;
    for (let e = 0; e < this.used && k > 0; e++) {
      if (this.refs[e] !== undefined && (this.seenAt[e] as number) < last) {
        this.forget(e);
        this.evictedTotal++;
        k--;
      }
    }
    for (let e = 0; e < this.used && k > 0; e++) {
      if (this.refs[e] !== undefined && this.seenAt[e] === last) {
        this.forget(e);
        this.evictedTotal++;
        k--;
      }
    }
  }

  private forget(e: SeriesEntry): void {
    this.index.remove(e);
    this.detectors.release(this.detectorOf[e] as number);
    const ref = this.refs[e] as SeriesRef;
    if (seriesSlot(ref, TABLE_SLOT) === e) setSeriesSlot(ref, TABLE_SLOT, -1);
    this.refs[e] = undefined;
    this.free.push(e);
    this.live--;
  }

  /** A new place at the end of the columns (doubled when full, up to maxSeries). */
  private grow(): SeriesEntry {
    const e = this.used++;
    if (e === this.seenAt.length) {
      const size = Math.max(e + 1, Math.min(2 * e, this.maxSeries));
      // sized as the typed columns: pushing kept up to half as many places again free
      const refs = new Array<SeriesRef | undefined>(size).fill(undefined);
      for (let i = 0; i < e; i++) refs[i] = this.refs[i];
      this.refs = refs;
      const wider = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(size);
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
