import { DriftWatch, DRIFT_SLOT } from './drift';
import { PeriodFinder, PERIOD_SLOT } from './period';
import { Ring, RING_SLOT } from './ring';
import { PhaseProfile, SEASON_SLOT } from './season';
import { Chunk, Part, Slab, slotBytes, type Layout } from './slab';

/**
 * Numbers of the detector's own fields (./robust.ts): the model, its statistics, the anchors'
 * levels and times as float64 (as float32, the scale and CUSUM sums changed detections on real
 * data); the slope's wander, the residuals' autocorrelation and the anchors' slopes as float32;
 * the anchors' and the regime's sequence numbers as uint32; the model's age and the 4 kept break
 * positions as int16 (both count only while small); one byte of bit flags (whether the profile
 * is used, the pending alarm's side, how the slot is held, the break count up to 4) and the
 * pending alarm's sequence number (its low byte) as uint8. The sample count is the ring's next
 * sequence number, and whether the model is initialised follows from it.
 */
export const OWN_SLOT: Layout = { f64: 12, f32: 7, u32: 3, i16: 5, u8: 2 };

const after = (a: Layout, b: Layout): Layout => ({ f64: a.f64 + b.f64, f32: a.f32 + b.f32, u32: a.u32 + b.u32, i16: a.i16 + b.i16, u8: a.u8 + b.u8 });
/** Where each part of a detector's state starts in its slot (per kind of number). */
const RING_AT = OWN_SLOT;
const SEASON_AT = after(RING_AT, RING_SLOT);
const CYCLE_AT = after(SEASON_AT, SEASON_SLOT);
const DRIFT_AT = after(CYCLE_AT, PERIOD_SLOT);
export const LAYOUT: Layout = after(DRIFT_AT, DRIFT_SLOT);
const OWN_AT: Layout = { f64: 0, f32: 0, u32: 0, i16: 0, u8: 0 };
/** Bytes of one detector's state. */
export const SLOT_BYTES = slotBytes(LAYOUT);

/**
 * A chunk's parts, pointed at one detector's slot at a time (the detector does so before it uses
 * them); its own indices (b, e, d) are the detector's own fields.
 */
export class Parts extends Part {
  readonly ring: Ring;
  readonly season: PhaseProfile;
  readonly cycle: PeriodFinder;
  readonly drift: DriftWatch;
  private slot = -1;

  constructor(c: Chunk) {
    super(c, LAYOUT, OWN_AT);
    this.ring = new Ring(c, LAYOUT, RING_AT);
    this.season = new PhaseProfile(c, LAYOUT, SEASON_AT);
    this.cycle = new PeriodFinder(c, LAYOUT, CYCLE_AT);
    this.drift = new DriftWatch(c, LAYOUT, DRIFT_AT);
  }

  override point(slot: number): this {
    if (slot === this.slot) return this;
    // written out (not a call per part): this runs on every update of a round-robin feed
    this.slot = slot;
    // (the own fields start each kind's region: the indices of partIndex(slot, LAYOUT, OWN_AT))
    const b = (slot * SLOT_BYTES) / 8;
    const c = 2 * b + 2 * LAYOUT.f64;
    const e = c + LAYOUT.f32;
    const s = 2 * (e + LAYOUT.u32);
    const d = 2 * (s + LAYOUT.i16);
    this.b = b;
    this.c = c;
    this.e = e;
    this.s = s;
    this.d = d;
    this.ring.b = b + RING_AT.f64;
    this.ring.e = e + RING_AT.u32;
    this.ring.c = c + RING_AT.f32;
    this.ring.s = s + RING_AT.i16;
    this.ring.d = d + RING_AT.u8;
    this.season.b = b + SEASON_AT.f64;
    this.season.c = c + SEASON_AT.f32;
    this.season.e = e + SEASON_AT.u32;
    this.season.s = s + SEASON_AT.i16;
    this.season.d = d + SEASON_AT.u8;
    this.cycle.b = b + CYCLE_AT.f64;
    this.cycle.c = c + CYCLE_AT.f32;
    this.cycle.e = e + CYCLE_AT.u32;
    this.cycle.s = s + CYCLE_AT.i16;
    this.cycle.d = d + CYCLE_AT.u8;
    this.drift.b = b + DRIFT_AT.f64;
    this.drift.c = c + DRIFT_AT.f32;
    this.drift.e = e + DRIFT_AT.u32;
    this.drift.d = d + DRIFT_AT.u8;
    return this;
  }

  /** A new detector in the current slot. */
  clear(): void {
    this.ring.clear();
    this.season.clear();
    this.cycle.clear();
    this.drift.clear();
  }
}

/** A slab of detector slots. */
export const detectorSlab = (): Slab<Parts> => new Slab(LAYOUT, (c) => new Parts(c));

/** The detectors made one by one (createSeriesDetector, batch mode) share this slab; each pool has its own. */
export const SLAB = detectorSlab();
