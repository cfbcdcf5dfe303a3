/**
 * Trend-breakpoint detection (pure). Public API used by the pipeline, the correlator and the CLI:
 *
 *   createSeriesDetector(opts)          streaming, one per series: update(t, v) / flush() / snapshot() / release()
 *   detectorPool(opts)                  streaming, many series held as numbers: create() / update(id, t, v) / release(id)
 *   detectSeries(points, opts)          batch = the same code over an array
 *   detectAll(series, opts, topology)   every series, with series attached and exhaustion projected
 *   exhaustionTime(now, level, slopePerHour, limit)
 *
 * See docs/detection.md.
 */
export { createSeriesDetector, detectSeries, detectorPool } from './series';
export type { DetectorPool, DetectorSlots } from './pool';
export { detectAll, groupSamples, limitFor } from './all';
export { exhaustionTime } from './exhaustion';
export { DEFAULT_DETECTOR_OPTIONS, resolveOptions, type DetectorOptions } from './options';
export { RING_SIZE } from './robust';
export type { DetectedBreak, DetectorSnapshot, SeriesDetector } from './types';
