import type { SeriesRef } from '../domain/types';

/**
 * Turning monotonic cumulative counters into per-second rates. The state remembers the last
 * point of each counter series; it is bounded (least recently updated series are forgotten
 * first) so an unbounded stream of new series cannot exhaust memory. It also caches series
 * identities across calls, so a stream decodes each series' id once rather than per point.
 */

/**
 * Per-series state turning monotonic cumulative counters into per-second rates (resets handled),
 * plus a cache of series identities. Opaque to callers; keep one per consumer.
 */
export interface RateState {
  /** Counters currently remembered. */
  readonly size: number;
  /** Most series remembered before the least recently updated is forgotten. */
  readonly maxSeries: number;
}

interface Last {
  t: number;
  v: number;
  /** Counter start time (OTLP startTimeUnixNano), epoch ms, when known. */
  start: number | undefined;
  /** A companion cumulative value carried along (a histogram's sum, which need not be monotonic). */
  aux: number | undefined;
}

class RateTable implements RateState {
  readonly last = new Map<string, Last>();
  /** resource key → metric key → point attribute key → series. */
  readonly series = new Map<string, Map<string, SeriesTable>>();
  seriesCount = 0;
  constructor(readonly maxSeries: number) {}
  get size(): number {
    return this.last.size;
  }
}

/** Default bound of a RateState: 1,000,000 series (about 100 MB at worst). */
export const DEFAULT_MAX_RATE_SERIES = 1_000_000;

export function createRateState(maxSeries: number = DEFAULT_MAX_RATE_SERIES): RateState {
  if (!Number.isInteger(maxSeries) || maxSeries < 1) throw new RangeError(`maxSeries must be a positive integer, got ${maxSeries}`);
  return new RateTable(maxSeries);
}

/** Increase of a cumulative counter over `ms` milliseconds; `sinceStart` when measured from a reset's start time. */
export interface Increase {
  readonly increase: number;
  readonly ms: number;
  readonly sinceStart: boolean;
  /** Increase of the companion value over the same span, when one was passed both times. */
  readonly auxIncrease: number | undefined;
}

/**
 * Increase of cumulative counter `key` at point (t ms, v) since its previous point, or undefined
 * when there is none yet. The first point of a series yields nothing. A decrease, or a changed
 * `start`, is a reset: the counter restarts from v; when the new start is known and not before
 * the previous point, the increase since that start (v over t − start) is returned, otherwise
 * nothing. Points not newer than the last one (duplicates, reordering) are ignored. Never negative.
 */
export function cumulativeIncrease(state: RateState, key: string, t: number, v: number, start?: number, aux?: number): Increase | undefined {
  const table = state as RateTable;
  const prev = table.last.get(key);
  if (prev === undefined) {
    remember(table, key, { t, v, start, aux });
    return undefined;
  }
  if (t <= prev.t) return undefined;
  const reset = v < prev.v || (start !== undefined && prev.start !== undefined && start !== prev.start);
  // Refresh recency: Map keeps insertion order, so the first key is the least recently updated.
  table.last.delete(key);
  table.last.set(key, { t, v, start, aux });
  if (!reset) {
    const auxIncrease = aux === undefined || prev.aux === undefined ? undefined : aux - prev.aux;
    return { increase: v - prev.v, ms: t - prev.t, sinceStart: false, auxIncrease };
  }
  if (start !== undefined && start >= prev.t && t > start) return { increase: v, ms: t - start, sinceStart: true, auxIncrease: aux };
  return undefined;
}

/** Per-second rate of cumulative counter `key` (see cumulativeIncrease), or undefined. */
export function cumulativeRate(state: RateState, key: string, t: number, v: number, start?: number): number | undefined {
  const inc = cumulativeIncrease(state, key, t, v, start);
  return inc === undefined ? undefined : (inc.increase * 1000) / inc.ms;
}

function remember(table: RateTable, key: string, last: Last): void {
  if (table.last.size >= table.maxSeries) {
    const oldest = table.last.keys().next();
    if (oldest.done !== true) table.last.delete(oldest.value);
  }
  table.last.set(key, last);
}

/** Series of one metric name and unit within one resource, keyed by the point attributes' key. */
export type SeriesTable = Map<string, SeriesRef>;

/**
 * The cache table for (resource, metric, unit). Nested maps keep the per-point lookup to one
 * short key (the point attributes) instead of hashing a long composite string per point.
 */
export function seriesTable(state: RateState, resourceKey: string, metricKey: string): SeriesTable {
  const t = state as RateTable;
  let byMetric = t.series.get(resourceKey);
  if (byMetric === undefined) t.series.set(resourceKey, (byMetric = new Map<string, SeriesTable>()));
  let table = byMetric.get(metricKey);
  if (table === undefined) byMetric.set(metricKey, (table = new Map<string, SeriesRef>()));
  return table;
}

/**
 * The SeriesRef cached in `table` under `attrKey`, or the one `make` builds (then cached). The
 * whole cache is emptied when it reaches maxSeries entries: cheaper than LRU bookkeeping per point.
 */
export function cachedSeries(state: RateState, table: SeriesTable, attrKey: string, make: () => SeriesRef): SeriesRef {
  const hit = table.get(attrKey);
  if (hit !== undefined) return hit;
  const t = state as RateTable;
  if (t.seriesCount >= t.maxSeries) {
    t.series.clear();
    t.seriesCount = 0;
  }
  const made = make();
  table.set(attrKey, made);
  t.seriesCount++;
  return made;
}
