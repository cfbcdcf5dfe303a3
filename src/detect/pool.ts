import { Held, RobustDetector } from './robust';
import { detectorSlab } from './state';
import type { DetectorOptions } from './options';
import type { DetectedBreak, DetectorSnapshot } from './types';

/** What an owner of many detectors needs to hold them: a number per series. */
export interface DetectorSlots {
  /** A new detector; its id is valid until `release`. */
  create(): number;
  /** Done with the detector: its slot is free at once, and the id must not be used again. */
  release(id: number): void;
}

/**
 * Detectors for an owner that releases each one it is done with (the pipeline's series table):
 * a detector is the id of a slot in the pool's own slab, with no object per series (a detector
 * object and its FinalizationRegistry entry cost ~120 bytes a series on the V8 heap, a tenth of
 * the state itself). One shared detector object (the cursor) is aimed at a slot per call.
 * Dropping the pool drops its slab with every slot in it.
 */
export class DetectorPool implements DetectorSlots {
  private readonly slab = detectorSlab();
  private readonly cursor: RobustDetector;

  constructor(o: DetectorOptions) {
    this.cursor = new RobustDetector(o, Held.cursor);
  }

  create(): number {
    const id = this.slab.alloc(null).id;
    this.on(id).reset(Held.released);
    return id;
  }

  /** Feed one sample to detector `id` (see SeriesDetector.update). */
  update(id: number, t: number, v: number): DetectedBreak[] {
    return this.on(id).update(t, v);
  }

  flush(id: number): DetectedBreak[] {
    return this.on(id).flush();
  }

  snapshot(id: number): DetectorSnapshot {
    return this.on(id).snapshot();
  }

  /** Throws if `id` was released already (unless its slot went to a new detector since). */
  release(id: number): void {
    this.on(id).retire();
    this.slab.release(id);
  }

  /** Detectors created and not released. */
  get size(): number {
    return this.slab.stats().live;
  }

  private on(id: number): RobustDetector {
    return this.cursor.aim(this.slab.views(id), id);
  }
}
