import { CounterSlots, type CounterKey } from './counter-slots';
import { NameTable } from './name-table';
import { seriesBelow, seriesNode, type NodeCounter, type SeriesNode } from './series-cache';
import type { SeriesRef } from '../domain/types';

/**
 * Turning monotonic cumulative counters into per-second rates. The state remembers the last
 * point of each counter series; it is bounded (the first-inserted counter is forgotten first)
 * so an unbounded stream of new series cannot exhaust memory. It also caches series
 * identities across calls, so a stream decodes each series' id once rather than per point.
 */

/**
 * Per-series state turning monotonic cumulative counters into per-second rates (resets handled),
 * plus a cache of series identities. Opaque to callers; keep one per consumer.
 */
export interface RateState {
  /** Counters currently remembered. */
  readonly size: number;
  /** Most counters (and cached series) remembered before old ones are forgotten. */
  readonly maxSeries: number;
}

/** Most distinct metric names and units interned before the table starts afresh. */
const MAX_NAMES = 65_536;

class RateTable implements RateState, NodeCounter {
  /** Counters' last points: of sums (cumulativeRate), and of counters with a companion value (cumulativeIncrease). */
  readonly last: CounterSlots;
  readonly lastWithAux: CounterSlots;
  /**
   * resource key → unit → metric name → trie of point attributes → series. The unit is a level
   * of its own so that the metric name string (which the series also holds) is the key, instead
   * of a `metric + unit` string built and kept per metric and resource. The metric level is a
   * NameTable: a Map entry per series cost ~15 bytes more.
   */
  readonly series = new Map<string, Map<string, NameTable<SeriesNode>>>();
  /**
   * One copy of each metric name and unit: every decoded message brings its own copies, and a
   * series keeps the ones of the message that created it (32+ bytes each per series otherwise).
   */
  readonly names = new Map<string, string>();
  /**
   * One copy of each id tail (the labels part of a series id) of the cached series: the series
   * of a resource whose points carry the same attributes share it. Dropped with the cache.
   */
  readonly tails = new Map<string, string>();
  readonly internTail = (text: string): string => {
    const known = this.tails.get(text);
    if (known !== undefined) return known;
    this.tails.set(text, text);
    return text;
  };
  readonly internName = (name: string): string => intern(this, name);
  /** Each resource's export times (exportClock), by resource key. Dropped with the series cache. */
  readonly clocks = new Map<string, ExportClock>();
  seriesCount = 0;
  constructor(readonly maxSeries: number) {
    this.last = new CounterSlots(maxSeries, false);
    this.lastWithAux = new CounterSlots(maxSeries, true);
  }
  get size(): number {
    return this.last.size + this.lastWithAux.size;
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
export function cumulativeIncrease(state: RateState, key: CounterKey, t: number, v: number, start?: number, aux?: number, clock?: ExportClock): Increase | undefined {
  clock?.see(t);
  return increase((state as RateTable).lastWithAux, key, t, v, start, aux, clock);
}

/**
 * How recent a counter's start may be for its first point to give a rate since that start. A new
 * pod's counters begin with it, and at a 5-minute export its first point is all there is of its
 * first minutes; read as counting from zero at the start time (as Prometheus reads a created
 * timestamp), it is that rate. A counter first seen long after it started would give its lifetime
 * average instead, so its first point only sets the reference, as one without a start time does.
 */
export const FIRST_POINT_SPAN_MS = 10 * 60_000;

/** Points of one resource this close in time belong to one export (SDKs stamp each instrument as they collect it). */
const SAME_EXPORT_MS = 1_000;

/**
 * When a resource exported last, to read a counter's first point. An SDK exporting cumulative
 * counters sends every attribute set it has recorded at each collection, so a set that first
 * appears in an export was zero at the export before, and its first point is its increase since
 * then. Errors by status code appear that way, on the first failure, hours after the process
 * started: read only from their second point, the first minutes of an outage (at a 5-minute
 * export, all of them) went unseen.
 */
export class ExportClock {
  /** The latest export's time, the one before, and the step before that (NaN until seen). */
  private cur = Number.NaN;
  private prev = Number.NaN;
  private step = Number.NaN;

  see(t: number): void {
    // Not later than this export (NaN compares false: the first time seen starts one).
    if (t <= this.cur + SAME_EXPORT_MS) return;
    this.step = this.cur - this.prev;
    this.prev = this.cur;
    this.cur = t;
  }

  /**
   * When a counter first seen at `t` was zero: the export before, if `t` is in the latest one and
   * the last two steps agree. A resource fed at other moments by a second pipeline (its points
   * interleaved with the SDK's) would date the counter from the other pipeline's export.
   */
  zeroAt(t: number): number | undefined {
    if (Math.abs(t - this.cur) > SAME_EXPORT_MS) return undefined;
    const step = this.cur - this.prev;
    return step <= 1.5 * this.step && 1.5 * step >= this.step ? this.prev : undefined;
  }
}

/** The export clock of resource `resourceKey`: pass it with each of its counters' points. */
export function exportClock(state: RateState, resourceKey: string): ExportClock {
  const clocks = (state as RateTable).clocks;
  let clock = clocks.get(resourceKey);
  if (clock === undefined) clocks.set(resourceKey, (clock = new ExportClock()));
  return clock;
}

/** The increase of a counter that counted from zero at `since` (its start, or the export before its first point). */
const fromZero = (t: number, v: number, since: number, sinceStart: boolean, aux: number | undefined): Increase => ({ increase: v, ms: t - since, sinceStart, auxIncrease: aux });

/**
 * A new counter's first point: counted from its start when that is recent, or from its
 * resource's export before when that is later. Not once counters have been forgotten (the table
 * is full): one forgotten and back would give its whole count since the start as one step's.
 */
function firstIncrease(last: CounterSlots, t: number, v: number, stamped: number | undefined, aux: number | undefined, clock: ExportClock | undefined): Increase | undefined {
  // A start at the point's own time is a first sight, not a start (the Prometheus receiver stamps a new series so).
  const start = stamped !== undefined && stamped < t ? stamped : undefined;
  const recentStart = start !== undefined && t - start <= FIRST_POINT_SPAN_MS ? start : undefined;
  const zeroAt = clock === undefined || last.full ? undefined : clock.zeroAt(t);
  const since = zeroAt !== undefined && (start === undefined || start <= zeroAt) ? zeroAt : recentStart;
  return since !== undefined && t > since ? fromZero(t, v, since, since === start, aux) : undefined;
}

function increase(last: CounterSlots, key: CounterKey, t: number, v: number, start: number | undefined, aux: number | undefined, clock?: ExportClock): Increase | undefined {
  if (!last.find(key)) {
    last.add(key, t, v, start, aux);
    return firstIncrease(last, t, v, start, aux, clock);
  }
  const prevT = last.t();
  if (t <= prevT) return undefined;
  const prevV = last.v();
  const prevStart = last.start();
  const reset = v < prevV || (start !== undefined && prevStart !== undefined && start !== prevStart);
  const dv = v - prevV;
  const prevAux = last.aux();
  // Updated in place (no delete/insert per point): eviction order is therefore first-inserted,
  // not least-recently-updated; an evicted live counter just misses one rate when it returns.
  last.set(t, v, start, aux);
  if (!reset) return { increase: dv, ms: t - prevT, sinceStart: false, auxIncrease: aux === undefined || prevAux === undefined ? undefined : aux - prevAux };
  if (start !== undefined && start >= prevT && t > start) return fromZero(t, v, start, true, aux);
  return undefined;
}

/** Per-second rate of cumulative counter `key` (see cumulativeIncrease), or undefined. Allocates nothing on the common path. */
export function cumulativeRate(state: RateState, key: CounterKey, t: number, v: number, start?: number, clock?: ExportClock): number | undefined {
  clock?.see(t);
  const last = (state as RateTable).last;
  if (last.find(key)) {
    const prevT = last.t();
    const prevV = last.v();
    const prevStart = last.start();
    if (t > prevT && v >= prevV && (start === undefined || prevStart === undefined || start === prevStart)) {
      last.set(t, v, start, last.aux());
      return ((v - prevV) * 1000) / (t - prevT);
    }
  }
  const inc = increase(last, key, t, v, start, undefined, clock);
  return inc === undefined ? undefined : (inc.increase * 1000) / inc.ms;
}

/** The series of one metric name and unit in one resource: the names interned, the root of their trie. */
export interface MetricRoot {
  readonly metric: string;
  readonly unit: string | undefined;
  readonly root: SeriesNode;
  readonly counter: NodeCounter;
  /** The cache's one copy of an id tail (makeSeries' `intern`). */
  readonly internTail: (tail: string) => string;
  /** The one copy of a name (of a metric, unit, attribute key or value) kept. */
  readonly internName: (name: string) => string;
}

/**
 * The series cache root for (resource, metric, unit): resolve once per metric, then walk it per
 * point with findSeries(). The whole cache is dropped when it holds more than maxSeries series —
 * cheaper than per-point LRU bookkeeping; the cost is rebuilding identities once.
 */
export function seriesRoot(state: RateState, resourceKey: string, metric: string, unit: string | undefined): MetricRoot {
  const t = state as RateTable;
  // More than maxSeries, not as many: with exactly maxSeries live series the cache must not be
  // rebuilt on every round (each rebuild also made a second copy of every identity).
  if (t.seriesCount > t.maxSeries) {
    const cached = [...cachedSeries(t)];
    t.last.rekeyById(cached);
    t.lastWithAux.rekeyById(cached);
    t.series.clear();
    t.tails.clear();
    t.clocks.clear();
    t.seriesCount = 0;
  }
  const m = intern(t, metric);
  const u = unit === undefined ? undefined : intern(t, unit);
  let byUnit = t.series.get(resourceKey);
  if (byUnit === undefined) t.series.set(resourceKey, (byUnit = new Map<string, NameTable<SeriesNode>>()));
  let byMetric = byUnit.get(u ?? '');
  if (byMetric === undefined) byUnit.set(u ?? '', (byMetric = new NameTable<SeriesNode>()));
  let root = byMetric.get(m);
  if (root === undefined) byMetric.add(m, (root = seriesNode()));
  return { metric: m, unit: u, root, counter: t, internTail: t.internTail, internName: t.internName };
}

function* cachedSeries(t: RateTable): Generator<SeriesRef> {
  for (const byUnit of t.series.values()) for (const byMetric of byUnit.values()) for (const root of byMetric.values()) yield* seriesBelow(root);
}

function intern(t: RateTable, s: string): string {
  const known = t.names.get(s);
  if (known !== undefined) return known;
  if (t.names.size >= MAX_NAMES) t.names.clear();
  t.names.set(s, s);
  return s;
}
