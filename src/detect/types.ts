import type { Breakpoint, Point } from '../domain/types';

/** What a detector reports for one series; the caller attaches the series (and limits). */
export type DetectedBreak = Omit<Breakpoint, 'series' | 'exhaustionAt' | 'limit'>;

/**
 * A streaming breakpoint detector for ONE series: a small state machine with bounded state.
 * The Kafka consumer calls `update` per point; batch mode runs the same code over an array.
 *
 *   const d = createSeriesDetector();            // create
 *   for (const p of points) out.push(...d.update(p.t, p.v));   // update
 *   out.push(...d.flush());                      // end of a finite input: confirm what is pending
 *   d.snapshot();                                // inspect (JSON-serialisable, bounded)
 */
export interface SeriesDetector {
  /** Feed one sample (t epoch ms, non-decreasing; out-of-order samples are ignored). Returns breakpoints confirmed by this sample. */
  update(t: number, v: number): DetectedBreak[];
  /** End of a finite input: report candidates that the remaining data supports. */
  flush(): DetectedBreak[];
  /** Serialisable view of the state (current regime level/slope/scale, sample count…). */
  snapshot(): DetectorSnapshot;
  /** Done with it: its state is freed (at once, or when the object is collected) and any later call throws. */
  release(): void;
}

export interface DetectorSnapshot {
  readonly n: number;
  readonly level: number;
  readonly slope: number;
  readonly scale: number;
  readonly lastT: number;
  readonly [extra: string]: unknown;
}

export type PointsOf = readonly Point[];
