import type { Snapshot } from './types';

/** How stale a cached snapshot may be: data up to this much older than asked for. @default 5 min */
export const SNAPSHOT_MAX_AGE_MS = 5 * 60_000;
const MAX_ENTRIES = 4;

interface Entry {
  readonly until: number;
  readonly days: number;
  readonly snapshot: Promise<Snapshot>;
}

/**
 * Snapshots built from the store, reused across what-if requests: building one reads days of
 * points, far more than the prediction costs. A snapshot built up to `until` serves a request for
 * `until'` when `until ≤ until' ≤ until + maxAgeMs` (never one that holds data after the time
 * asked about) and the same history length. Concurrent requests share one build; a failed build
 * is forgotten. Pure: times come from the caller.
 */
export class SnapshotCache {
  private entries: Entry[] = [];

  constructor(private readonly maxAgeMs = SNAPSHOT_MAX_AGE_MS) {}

  get(until: number, days: number, build: () => Promise<Snapshot>): Promise<Snapshot> {
    const hit = this.entries.find((e) => e.days === days && e.until <= until && until - e.until <= this.maxAgeMs);
    if (hit !== undefined) return hit.snapshot;
    const snapshot = build();
    const entry: Entry = { until, days, snapshot };
    this.entries = [entry, ...this.entries.filter((e) => until - e.until <= this.maxAgeMs)].slice(0, MAX_ENTRIES);
    snapshot.catch(() => {
      this.entries = this.entries.filter((e) => e !== entry);
    });
    return snapshot;
  }
}
