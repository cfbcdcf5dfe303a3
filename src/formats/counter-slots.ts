import { COUNTER_SLOT, seriesSlot, setSeriesSlot } from '../domain/series';
import type { SeriesRef } from '../domain/types';

/**
 * The last point of each cumulative counter: (t, v, start) and, for counters with a companion
 * value (a histogram's count and sum), aux, in slots of shared Float64Array chunks. An object per counter with four number fields cost about 90 bytes more per series (its
 * header, and a heap number for each field holding a double). A counter is the series a
 * decoder's cache made, which keeps its slot (seriesSlot), or, from decoders that make their
 * series afresh, a key (its id) in a Map. A Map keyed by series cost ~37 bytes a counter, and one
 * keyed by id kept each id text alive too (series keep none). When the cache is dropped, its
 * series are keyed by id until their new SeriesRef claims them. Bounded: when full, the
 * first-inserted counter is forgotten and its slot reused. NaN marks an unset start or aux
 * (neither is ever NaN when set: the decoders refuse non-finite values).
 */
const SLOTS_PER_CHUNK = 1024;

export type CounterKey = SeriesRef | string;

export class CounterSlots {
  /** Slots of counters keyed by text: ids, and series that keep no slot. */
  private readonly slots = new Map<string, number>();
  /** The counter of each slot, a series or a key of `slots`: forgetting it needs it, and a slot kept on a series is checked against it. */
  private readonly owners: CounterKey[] = [];
  private readonly chunks: Float64Array[] = [];
  /** The next slot to forget and reuse once all are used (slots were handed out in insertion order). */
  private next = 0;
  /** Counters keyed by id by rekeyById not claimed yet (an upper bound: some may have been forgotten since). */
  private unclaimed = 0;
  /** Chunk and offset of the slot found by the last find(): reading them costs no allocation. */
  f: Float64Array = new Float64Array(0);
  at = 0;

  /** Numbers per slot: t, v, start, and aux when kept. */
  private readonly fields: number;

  constructor(
    private readonly max: number,
    private readonly withAux = true,
  ) {
    this.fields = withAux ? 4 : 3;
  }

  get size(): number {
    return this.owners.length;
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
    if (this.owners.length < this.max) {
      slot = this.owners.length;
      if (slot % SLOTS_PER_CHUNK === 0) this.chunks.push(new Float64Array(SLOTS_PER_CHUNK * this.fields));
    } else {
      slot = this.next;
      this.next = (slot + 1) % this.max;
      this.unkey(this.owners[slot] as CounterKey, slot);
    }
    this.owners[slot] = this.key(key, slot);
    this.point(slot);
    this.set(t, v, start, aux);
  }

  /**
   * Key the counters of series by their ids (their SeriesRefs are about to be dropped with the
   * decoder's cache); the new SeriesRef of each series claims its counter on its next point.
   */
  rekeyById(): void {
    this.owners.forEach((owner, slot) => {
      if (typeof owner === 'string') return;
      this.unkey(owner, slot);
      this.owners[slot] = owner.id;
      this.slots.set(owner.id, slot);
      this.unclaimed++;
    });
  }

  private slotOf(key: CounterKey): number | undefined {
    if (typeof key === 'string') return this.slots.get(key);
    const kept = seriesSlot(key, COUNTER_SLOT);
    if (kept === undefined) return this.slots.get(key.id);
    if (kept >= 0 && this.owners[kept] === key) return kept;
    return this.unclaimed > 0 ? this.claim(key) : undefined;
  }

  /** The slot keyed by `ref`'s id (rekeyById), now kept on `ref`. */
  private claim(ref: SeriesRef): number | undefined {
    const id = ref.id;
    const slot = this.slots.get(id);
    if (slot !== undefined) {
      this.slots.delete(id);
      this.owners[slot] = this.key(ref, slot);
      this.unclaimed--;
    }
    return slot;
  }

  /** Make `slot` findable by `key`; returns its owner. */
  private key(key: CounterKey, slot: number): CounterKey {
    if (typeof key !== 'string' && seriesSlot(key, COUNTER_SLOT) !== undefined) {
      setSeriesSlot(key, COUNTER_SLOT, slot);
      return key;
    }
    const text = typeof key === 'string' ? key : key.id;
    this.slots.set(text, slot);
    return text;
  }

  private unkey(owner: CounterKey, slot: number): void {
    if (typeof owner === 'string') this.slots.delete(owner);
    else if (seriesSlot(owner, COUNTER_SLOT) === slot) setSeriesSlot(owner, COUNTER_SLOT, -1);
  }

  private point(slot: number): void {
    this.f = this.chunks[Math.floor(slot / SLOTS_PER_CHUNK)] as Float64Array;
    this.at = (slot % SLOTS_PER_CHUNK) * this.fields;
  }
}
