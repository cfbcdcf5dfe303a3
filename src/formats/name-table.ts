import { textHash } from '../domain/hash';

/**
 * A map from strings to values in two arrays, open addressing with linear probing, at most 3/4
 * full and grown by half: ~21–32 bytes an entry against ~36–56 for a Map (three words an entry,
 * a capacity doubled). For the series cache's per-resource tables of metric names, one entry
 * per series. Entries are only added: the cache is dropped whole.
 */
export class NameTable<V> {
  private keys: (string | undefined)[] = new Array<string | undefined>(8).fill(undefined);
  private vals: (V | undefined)[] = new Array<V | undefined>(8).fill(undefined);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    const keys = this.keys;
    const n = keys.length;
    for (let i = home(key, n); ; i = i + 1 === n ? 0 : i + 1) {
      const k = keys[i];
      if (k === undefined) return undefined;
      if (k === key) return this.vals[i];
    }
  }

  /** Adds `key` (not in the table) with `value`. */
  add(key: string, value: V): void {
    if (4 * (this.count + 1) > 3 * this.keys.length) this.grow();
    this.place(key, value);
    this.count++;
  }

  *values(): Generator<V> {
    for (const v of this.vals) if (v !== undefined) yield v;
  }

  private place(key: string, value: V): void {
    const n = this.keys.length;
    let i = home(key, n);
    while (this.keys[i] !== undefined) i = i + 1 === n ? 0 : i + 1;
    this.keys[i] = key;
    this.vals[i] = value;
  }

  private grow(): void {
    const keys = this.keys;
    const vals = this.vals;
    const n = Math.ceil(keys.length * 1.5);
    this.keys = new Array<string | undefined>(n).fill(undefined);
    this.vals = new Array<V | undefined>(n).fill(undefined);
    keys.forEach((k, i) => {
      if (k !== undefined) this.place(k, vals[i] as V);
    });
  }
}

/** Where `key` starts probing in a table of `n` places. */
function home(key: string, n: number): number {
  return (textHash(key) >>> 0) % n;
}
