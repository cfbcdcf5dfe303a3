import { COUNTER_SLOT, seriesSlot, setSeriesSlot } from '../domain/series';
import type { SeriesRef } from '../domain/types';

/**
 * The last point of each cumulative counter: (t, v, start) and, for counters with a companion
 * value (a histogram's count and sum), aux, in slots of shared Float64Array chunks (an object
 * per counter cost ~90 bytes more: its header and a heap number per double field). A counter is
 * the series a decoder's cache made, which keeps its slot (seriesSlot), or, from decoders that
 * make their series afresh, a key (its id) in a Map. A Map keyed by series cost ~37 bytes a
 * counter, and one keyed by id kept each id text alive too (series keep none). When the cache is dropped, its
 * series are keyed by id until their new SeriesRef claims them. Bounded: when full, the
 * first-inserted counter is forgotten and its slot reused. NaN marks an unset start or aux
 * (neither is ever NaN when set: the decoders refuse non-finite values).
 */
const SLOTS_PER_CHUNK = 1024;
/**
 * A series keeps its counter's slot and the slot's generation when it got it, slot × GENS + gen
 * (a small integer: slots are bounded by MAX_SLOTS); forgetting a counter bumps its slot's
 * generation, so a series whose counter was forgotten no longer finds the slot. (A series would
 * have to go unseen while its slot is reused 128 times, that is while more than 128 × the bound of
 * counters are added, and the decoder's cache holding it is dropped long before.)
 */
const GENS = 128;
const MAX_SLOTS = 2 ** 24;

export type CounterKey = SeriesRef | string;

export class CounterSlots {
  /** Slots of counters keyed by text: ids, and series that keep no slot… */
  private readonly slots = new Map<string, number>();
  /** …and their keys by slot, to forget them. */
  private readonly keyOf = new Map<number, string>();
  private readonly chunks: Float64Array[] = [];
  /** Each slot's generation, by chunk. */
  private readonly gens: Uint8Array[] = [];
  private used = 0;
  /** The next slot to forget and reuse once all are used (slots were handed out in insertion order). */
  private next = 0;
  /** Counters keyed by id by rekeyById not claimed yet (an upper bound: some may have been forgotten since). */
  private unclaimed = 0;
  /** Chunk and offset of the slot found by the last find(): reading them costs no allocation. */
  f: Float64Array = new Float64Array(0);
  at = 0;
  private readonly max: number;
  /** Numbers per slot: t, v, start, and aux when kept. */
  private readonly fields: number;

  constructor(
    max: number,
    private readonly withAux = true,
  ) {
    this.max = Math.min(max, MAX_SLOTS);
    this.fields = withAux ? 4 : 3;
  }

  get size(): number {
    return this.used;
  }

  /** Whether every slot is used: each counter added from now on forgets one. */
  get full(): boolean {
    return this.used >= this.max;
  }

  /** Points `f`/`at` at the counter's slot; false when it is not remembered. */
  find(key: CounterKey): boolean {
    const slot = this.slotOf(key);
    if (slot === undefined) return false;
    this.point(slot);
    return true;
  }

  t(): number {
    return this.f[this.at] as number;
  }

  v(): number {
    return this.f[this.at + 1] as number;
  }

  start(): number | undefined {
    const s = this.f[this.at + 2] as number;
    return Number.isNaN(s) ? undefined : s;
  }

  aux(): number | undefined {
    if (!this.withAux) return undefined;
    const a = this.f[this.at + 3] as number;
    return Number.isNaN(a) ? undefined : a;
  }

  /** Overwrites the slot found last. */
  set(t: number, v: number, start: number | undefined, aux: number | undefined): void {
    const f = this.f;
    const at = this.at;
    f[at] = t;
    f[at + 1] = v;
    f[at + 2] = start ?? Number.NaN;
    if (this.withAux) f[at + 3] = aux ?? Number.NaN;
  }

  /** Remembers a new counter (forgetting the first-inserted one when full). */
  add(key: CounterKey, t: number, v: number, start: number | undefined, aux: number | undefined): void {
    let slot: number;
    if (this.used < this.max) {
      slot = this.used++;
      if (slot % SLOTS_PER_CHUNK === 0) {
        this.chunks.push(new Float64Array(SLOTS_PER_CHUNK * this.fields));
        this.gens.push(new Uint8Array(SLOTS_PER_CHUNK));
      }
    } else {
      slot = this.next;
      this.next = (slot + 1) % this.max;
      this.forget(slot);
    }
    this.key(key, slot);
    this.point(slot);
    this.set(t, v, start, aux);
  }

  /**
   * Key the counters of `series` by their ids: their SeriesRefs are about to be dropped with the
   * decoder's cache that made them; the new SeriesRef of each series claims its counter on its
   * next point.
   */
  rekeyById(series: Iterable<SeriesRef>): void {
    for (const ref of series) {
      const slot = this.kept(seriesSlot(ref, COUNTER_SLOT) ?? -1);
      if (slot === undefined) continue;
      setSeriesSlot(ref, COUNTER_SLOT, -1);
      this.keyByText(ref.id, slot);
      this.unclaimed++;
    }
  }

  private slotOf(key: CounterKey): number | undefined {
    if (typeof key === 'string') return this.slots.get(key);
    const stamp = seriesSlot(key, COUNTER_SLOT);
    if (stamp === undefined) return this.slots.get(key.id);
    return this.kept(stamp) ?? (this.unclaimed > 0 ? this.claim(key) : undefined);
  }

  /** The slot of a series' `stamp` (seriesSlot), if it is still its counter's. */
  private kept(stamp: number): number | undefined {
    if (stamp < 0) return undefined;
    const slot = Math.floor(stamp / GENS);
    return slot < this.used && this.gen(slot) === stamp % GENS ? slot : undefined;
  }

  /** The slot keyed by `ref`'s id (rekeyById), now kept on `ref`. */
  private claim(ref: SeriesRef): number | undefined {
    const id = ref.id;
    const slot = this.slots.get(id);
    if (slot !== undefined) {
      this.slots.delete(id);
      this.keyOf.delete(slot);
      this.key(ref, slot);
      this.unclaimed--;
    }
    return slot;
  }

  /** Make `slot` findable by `key`: kept on a series that can keep it, else by text. */
  private key(key: CounterKey, slot: number): void {
    if (typeof key !== 'string' && seriesSlot(key, COUNTER_SLOT) !== undefined) setSeriesSlot(key, COUNTER_SLOT, slot * GENS + this.gen(slot));
    else this.keyByText(typeof key === 'string' ? key : key.id, slot);
  }

  private keyByText(text: string, slot: number): void {
    this.slots.set(text, slot);
    this.keyOf.set(slot, text);
  }

  /** Forget the counter of `slot`: its text key, or (a new generation) the slot kept on its series. */
  private forget(slot: number): void {
    const text = this.keyOf.get(slot);
    if (text !== undefined) {
      this.keyOf.delete(slot);
      this.slots.delete(text);
    }
    const gens = this.gens[Math.floor(slot / SLOTS_PER_CHUNK)] as Uint8Array;
    const i = slot % SLOTS_PER_CHUNK;
    gens[i] = ((gens[i] as number) + 1) % GENS;
  }

  private gen(slot: number): number {
    return (this.gens[Math.floor(slot / SLOTS_PER_CHUNK)] as Uint8Array)[slot % SLOTS_PER_CHUNK] as number;
  }

  private point(slot: number): void {
    this.f = this.chunks[Math.floor(slot / SLOTS_PER_CHUNK)] as Float64Array;
    this.at = (slot % SLOTS_PER_CHUNK) * this.fields;
  }
}
