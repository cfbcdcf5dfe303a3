import { DriftWatch, DRIFT_F64 } from './drift';
import { PeriodFinder, PERIOD_SLOT } from './period';
import { Ring, RING_F64 } from './ring';
import { PhaseProfile, SEASON_SLOT } from './season';
import { Chunk, Slab, type Layout } from './slab';

/** Float64 numbers of the detector's own fields (./robust.ts): 30 fields and 4 break positions. */
export const OWN_F64 = 34;

/** Where each part of a detector's state starts in its slot. */
const AT = {
  ring: { f64: OWN_F64, f32: 0, u8: 0 },
  season: { f64: OWN_F64 + RING_F64, f32: 0, u8: 0 },
  cycle: { f64: OWN_F64 + RING_F64 + SEASON_SLOT.f64, f32: SEASON_SLOT.f32, u8: SEASON_SLOT.u8 },
  drift: { f64: OWN_F64 + RING_F64 + SEASON_SLOT.f64 + PERIOD_SLOT.f64, f32: SEASON_SLOT.f32 + PERIOD_SLOT.f32, u8: SEASON_SLOT.u8 },
};
export const LAYOUT: Layout = { f64: AT.drift.f64 + DRIFT_F64, f32: AT.drift.f32, u8: AT.drift.u8 };
/** Payload bytes of one detector's state. */
export const SLOT_BYTES = LAYOUT.f64 * 8 + LAYOUT.f32 * 4 + LAYOUT.u8;

/** A chunk's parts, pointed at one detector's slot at a time (the detector does so before it uses them). */
export class Parts {
  readonly ring: Ring;
  readonly season: PhaseProfile;
  readonly cycle: PeriodFinder;
  readonly drift: DriftWatch;
  private slot = -1;

  constructor(c: Chunk) {
    this.ring = new Ring(c.f, c.g, c.u, LAYOUT, AT.ring);
    this.season = new PhaseProfile(c.f, c.g, c.u, LAYOUT, AT.season);
    this.cycle = new PeriodFinder(c.f, c.g, c.u, LAYOUT, AT.cycle);
    this.drift = new DriftWatch(c.f, c.g, c.u, LAYOUT, AT.drift);
  }

  point(slot: number): this {
    if (slot === this.slot) return this;
    // written out (not a call per part): this runs on every update of a round-robin feed
    this.slot = slot;
    const b = slot * LAYOUT.f64;
    const c = slot * LAYOUT.f32;
    const d = slot * LAYOUT.u8;
    this.ring.b = b + AT.ring.f64;
    this.season.b = b + AT.season.f64;
    this.season.c = c + AT.season.f32;
    this.season.d = d + AT.season.u8;
    this.cycle.b = b + AT.cycle.f64;
    this.cycle.c = c + AT.cycle.f32;
    this.drift.b = b + AT.drift.f64;
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

/** All detectors of the process share one slab. */
export const SLAB = new Slab(LAYOUT, (c) => new Parts(c));
