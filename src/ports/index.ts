import type { Analysis, Breakpoint, ChangeEvent, Point, Sample, SeriesRef } from '../domain/types';

/**
 * The small interfaces the pipeline, the API and the CLI talk to. Adapters (ClickHouse, the
 * embedded in-memory store, Kafka, the in-process bus) implement them; the core never sees which.
 */

export interface SeriesData {
  readonly series: SeriesRef;
  /** Sorted by time. */
  readonly points: readonly Point[];
}

export interface TimeRange {
  /** epoch ms, inclusive */
  readonly from: number;
  /** epoch ms, exclusive */
  readonly to: number;
}

export interface PointQuery extends TimeRange {
  /** Restrict to these services; all when absent. */
  readonly services?: readonly string[];
}

export interface ChangeQuery extends TimeRange {
  readonly service?: string;
  readonly team?: string;
}

export interface BreakpointQuery extends TimeRange {
  readonly service?: string;
}

export interface StoredAnalysis extends Analysis {
  /** Deterministic id: service + at + window. */
  readonly id: string;
  /** epoch ms */
  readonly createdAt: number;
}

/** Where results live. Writes are idempotent: replaying the same rows creates no duplicates. */
export interface Store {
  insertPoints(samples: readonly Sample[]): Promise<void>;
  insertBreakpoints(breakpoints: readonly Breakpoint[]): Promise<void>;
  insertChanges(changes: readonly ChangeEvent[]): Promise<void>;
  insertAnalysis(analysis: StoredAnalysis): Promise<void>;
  queryPoints(q: PointQuery): Promise<SeriesData[]>;
  queryChanges(q: ChangeQuery): Promise<ChangeEvent[]>;
  queryBreakpoints(q: BreakpointQuery): Promise<Breakpoint[]>;
  recentAnalyses(q: { service?: string; limit: number }): Promise<StoredAnalysis[]>;
  /** Readiness: resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Where new change events go (the change topic, or straight to the embedded store). */
export interface ChangeSink {
  publishChanges(changes: readonly ChangeEvent[]): Promise<void>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
