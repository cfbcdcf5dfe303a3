import type { SeriesRef } from '../domain/types';

/**
 * The last point of each cumulative counter, by series key: (t, v, start, aux) in slots of
 * shared Float64Array chunks, the Map holding only a slot number. The key is the series a
 * decoder's cache made (kept by identity: a Map keyed by id kept the id text of each counter
 * alive once series no longer kept it), or, from decoders that make their series afresh, its id.
 * When the cache is dropped, its series are re-keyed by id until their new SeriesRef claims them. An object per counter with
 * four number fields cost about 90 bytes more per series (its header, and a heap number for
 * each field holding a double); here a counter costs its Map entry and 32 bytes. Bounded: when
 * full, the first-inserted counter is forgotten and its slot reused. NaN marks an unset start
 * or aux (neither is ever NaN when set: the decoders refuse non-finite values).
 */
const FIELDS = 4;
const SLOTS_PER_CHUNK = 1024;

export type CounterKey = SeriesRef | string;

export class CounterSlots {
  private readonly slots = new Map<CounterKey, number>();
  private readonly chunks: Float64Array[] = [];
  private used = 0;
  /** Counters re-keyed by id (rekeyById) not claimed yet (an upper bound: some may have been forgotten since). */
  private unclaimed = 0;
  /** Chunk and offset of the slot found by the last find(): reading them costs no allocation. */
  f: Float64Array = new Float64Array(0);
  at = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.slots.size;
  }

  /** Points `f`/`at` at the counter's slot; false when it is not remembered. */
  find(key: CounterKey): boolean {
    let slot = this.slots.get(key);
    if (slot === undefined && this.unclaimed > 0 && typeof key !== 'string') slot = this.claim(key);
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
    f[at + 3] = aux ?? Number.NaN;
  }

  /** Remembers a new counter (forgetting the first-inserted one when full). */
  add(key: CounterKey, t: number, v: number, start: number | undefined, aux: number | undefined): void {
    let slot: number | undefined;
    if (this.slots.size >= this.max) {
      const oldest = this.slots.entries().next();
      if (oldest.done !== true) {
        this.slots.delete(oldest.value[0]);
        slot = oldest.value[1];
      }
    }
    if (slot === undefined) {
      slot = this.used++;
      if (slot % SLOTS_PER_CHUNK === 0) this.chunks.push(new Float64Array(SLOTS_PER_CHUNK * FIELDS));
    }
    this.slots.set(key, slot);
    this.point(slot);
    this.set(t, v, start, aux);
  }

  /**
   * Key the counters of series by their ids (their SeriesRefs are about to be dropped with the
   * decoder's cache); the new SeriesRef of each series claims its counter on its next point.
   */
  rekeyById(): void {
    const entries = [...this.slots];
    this.slots.clear();
    for (const [k, slot] of entries) {
      if (typeof k !== 'string') this.unclaimed++;
      this.slots.set(typeof k === 'string' ? k : k.id, slot);
    }
  }

  private claim(ref: SeriesRef): number | undefined {
    const id = ref.id;
    const slot = this.slots.get(id);
    if (slot !== undefined) {
      this.slots.delete(id);
      this.slots.set(ref, slot);
      this.unclaimed--;
    }
    return slot;
  }

  private point(slot: number): void {
    this.f = this.chunks[Math.floor(slot / SLOTS_PER_CHUNK)] as Float64Array;
    this.at = (slot % SLOTS_PER_CHUNK) * FIELDS;
  }
}
