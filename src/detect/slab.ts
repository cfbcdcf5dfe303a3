/**
 * Shared storage for the state of many streaming detectors. A live series' detector state is a
 * few hundred numbers; as fields of its own objects and typed arrays, V8 spends more on the
 * wrapping (a 16-byte box per double field, ~200 bytes per typed array) than on the numbers. Here
 * every detector gets a slot in chunks of one buffer seen as four typed arrays (float64, float32,
 * uint32 and uint8 numbers) shared by up to CHUNK_MAX detectors, and its objects keep only the slot.
 *
 * A slot is handed back when its owner is collected (FinalizationRegistry) or released explicitly
 * (batch mode and the series table's pool, which know when they are done). Chunks are kept for
 * reuse once allocated; a slab that is dropped (a pool's) takes its chunks with it.
 */

/** Numbers per slot of each kind (float64, float32, uint32, int16, uint8), laid out in that order in the slot's bytes. */
export interface Layout {
  readonly f64: number;
  readonly f32: number;
  readonly u32: number;
  readonly i16: number;
  readonly u8: number;
}

/** Bytes of a slot with this layout (a multiple of 8, so every slot's float64 part is aligned). */
export function slotBytes(l: Layout): number {
  return Math.ceil((l.f64 * 8 + (l.f32 + l.u32) * 4 + l.i16 * 2 + l.u8) / 8) * 8;
}

/**
 * Largest chunk, slots (chunks double from CHUNK_MIN so a single detector does not take
 * megabytes). The last chunk is part empty: at 1024 slots that is 400 kB on average, at 4096
 * (before) 1.6 MB; each chunk's views cost ~1.5 kB, under 2 bytes a slot.
 */
const CHUNK_MIN = 16;
const CHUNK_MAX = 1024;

/** Slots of the chunk with this index: doubling from CHUNK_MIN to CHUNK_MAX, then CHUNK_MAX. */
export function chunkSize(index: number): number {
  return CHUNK_MIN * 2 ** Math.min(index, Math.log2(CHUNK_MAX / CHUNK_MIN));
}

/** One buffer of `size` slots, seen as float64, float32, uint32, int16 and uint8 numbers. */
export class Chunk {
  readonly f: Float64Array;
  readonly g: Float32Array;
  readonly w: Uint32Array;
  readonly h: Int16Array;
  readonly u: Uint8Array;

  constructor(
    readonly index: number,
    readonly size: number,
    readonly layout: Layout,
  ) {
    const buffer = new ArrayBuffer(size * slotBytes(layout));
    this.f = new Float64Array(buffer);
    this.g = new Float32Array(buffer);
    this.w = new Uint32Array(buffer);
    this.h = new Int16Array(buffer);
    this.u = new Uint8Array(buffer);
  }
}

/** A slot of a chunk, with the chunk's views (objects shared by its slots, pointed at one at a time). */
export interface Slot<V> {
  readonly chunk: Chunk;
  readonly views: V;
  readonly slot: number;
  /** Chunk index and slot in one number, the registry's held value. */
  readonly id: number;
}

export class Slab<V> {
  private readonly chunks: { chunk: Chunk; views: V }[] = [];
  private readonly freed: number[] = [];
  /** Slots handed out from the last chunk. */
  private used = 0;
  private live = 0;
  private readonly registry = new FinalizationRegistry<number>((id) => this.free(id));

  constructor(
    readonly layout: Layout,
    private readonly makeViews: (c: Chunk) => V,
  ) {}

  /**
   * A slot for `owner`: returned to the slab when the owner is collected (no unregister token:
   * that cost ~40 bytes a series in the registry's table; the registry's own WeakCell is ~72).
   * With no owner, the caller must `release` it. The slot's contents are stale: the owner
   * initialises them.
   */
  alloc(owner: object | null): Slot<V> {
    let id = this.freed.pop();
    if (id === undefined) {
      const last = this.chunks[this.chunks.length - 1];
      if (last === undefined || this.used === last.chunk.size) {
        const chunk = new Chunk(this.chunks.length, chunkSize(this.chunks.length), this.layout);
        this.chunks.push({ chunk, views: this.makeViews(chunk) });
        this.used = 0;
      }
      id = (this.chunks.length - 1) * CHUNK_MAX + this.used++;
    }
    if (owner !== null) this.registry.register(owner, id);
    this.live++;
    return this.at(id);
  }

  /** The slot with this id (as handed out by alloc). */
  at(id: number): Slot<V> {
    const { chunk, views } = this.chunks[Math.floor(id / CHUNK_MAX)]!;
    return { chunk, views, slot: id % CHUNK_MAX, id };
  }

  /** The views of the chunk holding the slot with this id (no Slot object: the per-sample path). */
  views(id: number): V {
    return this.chunks[Math.floor(id / CHUNK_MAX)]!.views;
  }

  /** Give back a slot allocated without an owner (it must not be used afterwards). */
  release(id: number): void {
    this.free(id);
  }

  /** Slots handed out and not yet returned, and slots allocated in chunks (for tests and benchmarks). */
  stats(): { live: number; capacity: number } {
    return { live: this.live, capacity: this.chunks.reduce((s, c) => s + c.chunk.size, 0) };
  }

  private free(id: number): void {
    this.freed.push(id);
    this.live--;
  }
}

/**
 * Something whose numbers live in a slot: its float64 fields in the chunk's `f` from index `b` on,
 * float32 in `g` from `c`, uint32 in `w` from `e`, int16 in `h` from `s`, uint8 in `u` from `d`.
 * The detector points its parts at its slot before it uses them.
 */
export class Part {
  b = 0;
  c = 0;
  e = 0;
  s = 0;
  d = 0;
  readonly f: Float64Array;
  readonly g: Float32Array;
  readonly w: Uint32Array;
  readonly h: Int16Array;
  readonly u: Uint8Array;

  constructor(
    chunk: Chunk,
    private readonly layout: Layout,
    private readonly from: Layout,
  ) {
    this.f = chunk.f;
    this.g = chunk.g;
    this.w = chunk.w;
    this.h = chunk.h;
    this.u = chunk.u;
  }

  point(slot: number): void {
    const at = partIndex(slot, this.layout, this.from);
    this.b = at.f64;
    this.c = at.f32;
    this.e = at.u32;
    this.s = at.i16;
    this.d = at.u8;
  }
}

/** Indices in the chunk's four views where a part starting at `from` within slot `slot` begins. */
export function partIndex(slot: number, layout: Layout, from: Layout): Layout {
  const base = slot * slotBytes(layout);
  const f32At = base + layout.f64 * 8;
  const u32At = f32At + layout.f32 * 4;
  const i16At = u32At + layout.u32 * 4;
  const u8At = i16At + layout.i16 * 2;
  return { f64: base / 8 + from.f64, f32: f32At / 4 + from.f32, u32: u32At / 4 + from.u32, i16: i16At / 2 + from.i16, u8: u8At + from.u8 };
}

/**
 * The initial values of a class's float64 fields in slot order (booleans as 0/1), copied in when a
 * slot gets a new owner. The class reads and writes them through accessors, `this.f[this.b + i]`
 * in the same order: written out one by one, because accessors made in a loop share one closure's
 * type feedback and ran the detector ~30 % slower.
 */
export function slotDefaults(defaults: Readonly<Record<string, number | boolean>>): Float64Array {
  return Float64Array.from(Object.values(defaults), (v) => +v);
}

/**
 * x mod m for a non-negative integer x held as a float64 (a slot's sequence numbers and
 * positions): the same value as `x % m`, which on a float64 compiles to a call to C's fmod.
 */
export function wrap(x: number, m: number): number {
  return x - Math.floor(x / m) * m;
}

/** The slot (within its chunk) of a slot id handed out by a slab. */
export function slotOf(id: number): number {
  return id % CHUNK_MAX;
}
