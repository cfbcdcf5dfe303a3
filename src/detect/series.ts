import type { Point } from '../domain/types';
import { resolveOptions, type DetectorOptions } from './options';
import { DetectorPool } from './pool';
import { Held, RobustDetector } from './robust';
import type { DetectedBreak, SeriesDetector } from './types';

/** The defaults, resolved once: detectors keep a reference, so a copy per series cost ~300 bytes each. */
let defaults: DetectorOptions | undefined;
const resolve = (opts?: Partial<DetectorOptions>): DetectorOptions => (opts === undefined ? (defaults ??= resolveOptions()) : resolveOptions(opts));

/** A streaming detector for one series (see ./robust.ts). Throws BAD_CONFIG on an invalid option. */
export function createSeriesDetector(opts?: Partial<DetectorOptions>): SeriesDetector {
  return new RobustDetector(resolve(opts));
}

/**
 * Detectors held as numbers by an owner that releases each (the series table): no object per
 * series, and one validated options object for all (resolving per series cost more than the detector).
 */
export function detectorPool(opts?: Partial<DetectorOptions>): DetectorPool {
  return new DetectorPool(resolveOptions(opts));
}

/**
 * Batch = the same streaming code over an array (sorted by t; unsorted or non-finite points are
 * skipped). The detector's slot is handed back at once: a batch over many series in one
 * synchronous pass would otherwise hold every slot until the event loop lets the GC's
 * finalizers run.
 */
export function detectSeries(points: readonly Point[], opts?: Partial<DetectorOptions>): DetectedBreak[] {
  const d = new RobustDetector(resolve(opts), Held.released);
  try {
    const out: DetectedBreak[] = [];
    for (const p of points) {
      const r = d.update(p.t, p.v);
      if (r.length > 0) out.push(...r);
    }
    out.push(...d.flush());
    return out;
  } finally {
    d.release();
  }
}
