import { textHash } from '../domain/hash';
import { seriesTail } from '../domain/series';
import type { SeriesRef } from '../domain/types';

/**
 * The series table's entries by series id: entry + 1 in an Int32Array, open addressing with
 * linear probing (0: empty), at most 3/4 full and grown by half (not doubled: it holds a quarter
 * to a half free, not up to three quarters). A Map keyed by id kept each series' id text alive
 * (~136 bytes) besides its ~40-byte entry; here an entry costs 5–8 bytes and no text. Hashes are
 * not kept but computed from the series (`refAt`) where they are needed: when a series is new or
 * comes as another SeriesRef, is forgotten, or the index grows — never per sample.
 */
export class IdIndex {
  private index = new Int32Array(32);

  constructor(private readonly refAt: (e: number) => SeriesRef) {}

  /** The entry whose series has `ref`'s id, or -1. */
  find(ref: SeriesRef): number {
    const n = this.index.length;
    for (let i = home(idHash(ref), n); ; i = next(i, n)) {
      const e = (this.index[i] as number) - 1;
      if (e < 0) return -1;
      if (sameId(this.refAt(e), ref)) return e;
    }
  }

  /** Index entry `e` (its series is refAt(e)), the `count`-th held. */
  add(e: number, count: number): void {
    if (4 * count > 3 * this.index.length) this.grow(Math.ceil(1.5 * this.index.length));
    this.place(this.index, e);
  }

  /** Take entry `e` out (before its place is freed), moving back the entries after it that probed past it. */
  remove(e: number): void {
    const index = this.index;
    const n = index.length;
    let i = home(idHash(this.refAt(e)), n);
    while (index[i] !== e + 1) i = next(i, n);
    for (let j = next(i, n); index[j] !== 0; j = next(j, n)) {
      const h = home(idHash(this.refAt((index[j] as number) - 1)), n);
      // index[j] may fill the hole at i when its home is not in (i, j] (cyclically)
      if (i <= j ? h <= i || h > j : h <= i && h > j) {
        index[i] = index[j] as number;
        i = j;
      }
    }
    index[i] = 0;
  }

  private grow(size: number): void {
    const old = this.index;
    this.index = new Int32Array(size);
    for (const x of old) if (x !== 0) this.place(this.index, x - 1);
  }

  /** Put entry `e` in the first free place of `index` from its home on. */
  private place(index: Int32Array, e: number): void {
    const n = index.length;
    let i = home(idHash(this.refAt(e)), n);
    while (index[i] !== 0) i = next(i, n);
    index[i] = e + 1;
  }
}

/** FNV-1a of a series' id, from its metric and id tail when it keeps them (the same text, so the same hash, as its id). */
function idHash(ref: SeriesRef): number {
  const tail = seriesTail(ref);
  return tail === undefined ? textHash(ref.id) : textHash(tail, textHash(ref.metric));
}

/** Whether two series have one id: compared by their metric and id tail where both keep them (interned: often the same text), else by id. */
function sameId(a: SeriesRef, b: SeriesRef): boolean {
  if (a === b) return true;
  const ta = seriesTail(a);
  const tb = seriesTail(b);
  return ta !== undefined && tb !== undefined && a.metric.length === b.metric.length ? a.metric === b.metric && ta === tb : a.id === b.id;
}

/** Where hash `h` starts probing in an index of `n` places. */
function home(h: number, n: number): number {
  return (h >>> 0) % n;
}

function next(i: number, n: number): number {
  return i + 1 === n ? 0 : i + 1;
}
