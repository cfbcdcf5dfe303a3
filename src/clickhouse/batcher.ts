/**
 * A generic batching writer: buffers rows per table, sends a table's rows when it holds
 * `batchRows` of them or when the `batchMs` timer fires, up to `concurrency` sends at a time,
 * and retries retriable failures with capped exponential backoff. It knows nothing about
 * ClickHouse: the sender is injected (see ./writer.ts), so this is unit-testable.
 *
 * Guarantees:
 * - no loss: rows leave the buffer only after the sender resolved for them; a failed batch is
 *   re-sent as-is (same rows, same order), which ReplacingMergeTree keys make idempotent;
 * - ordered acknowledgement: with several sends in flight, a table's rows count as stored only
 *   up to its oldest unfinished batch, so `flush()` never resolves (and the pipeline never
 *   commits an offset) while an earlier batch is still being retried;
 * - `flush()` resolves once every row added before the call has been sent (or rejected, below);
 * - a non-retriable failure splits the batch in halves until the bad rows are isolated; those
 *   are handed to `onRejected` (the pipeline dead-letters them) so one bad row cannot wedge
 *   the writer; the rest are sent.
 */
import { EpicenterError } from '../errors';
import { silentLogger, type ChLogger } from './types';

export type Sender<T extends string> = (table: T, rows: readonly unknown[]) => Promise<void>;

export interface BatcherOptions<T extends string> {
  /** Send a table's rows once this many are buffered; also the largest batch. */
  readonly batchRows: number;
  /** Send whatever is buffered at least this often, ms. */
  readonly batchMs: number;
  /** `isSaturated()` is true from this many buffered rows (the consumer should pause). */
  readonly maxBufferedRows: number;
  /** Sends in flight at once (their acknowledgements are still taken in order). @default 1 */
  readonly concurrency?: number;
  /** First retry delay, ms. @default 100 */
  readonly initialBackoffMs?: number;
  /** Largest retry delay, ms. @default 5000 */
  readonly maxBackoffMs?: number;
  /** How long `close()` keeps retrying before giving up, ms. @default 30000 */
  readonly closeTimeoutMs?: number;
  /** Rows refused for good (non-retriable error, isolated to single rows). @default logs an error */
  readonly onRejected?: (table: T, rows: readonly unknown[], error: EpicenterError) => void;
  readonly logger?: ChLogger;
  /** Start the `batchMs` timer (unref'd). @default true */
  readonly timer?: boolean;
  /** Injected for tests. @default setTimeout-based */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export interface BatcherStats {
  readonly buffered: number;
  readonly sentRows: number;
  readonly rejectedRows: number;
  readonly retries: number;
  readonly lastError?: EpicenterError;
}

/** A batch handed to the sender: the rows `[start, start + rows.length)` of its table, in order. */
interface Flight {
  readonly rows: readonly unknown[];
  state: 'sending' | 'ok' | 'failed';
}

interface Waiter<T extends string> {
  readonly targets: ReadonlyMap<T, number>;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Batcher<T extends string> {
  /** Rows not yet sent, per table; the head may be the batch in flight. */
  private readonly buf = new Map<T, unknown[]>();
  /** Counters per table, in rows: enqueued ever, finished (sent or rejected), and the drain target. */
  private readonly enq = new Map<T, number>();
  private readonly done = new Map<T, number>();
  private readonly want = new Map<T, number>();
  /** Per table, the batches taken from the head of its buffer and not yet acknowledged, oldest first. */
  private readonly flights = new Map<T, Flight[]>();
  private active = 0;
  private readonly concurrency: number;
  private idleWaiters: (() => void)[] = [];
  private waiters: Waiter<T>[] = [];
  private readonly interval: NodeJS.Timeout | undefined;
  private closed = false;
  private lastServed: T | undefined;
  private deadline = Infinity;
  private sentRows = 0;
  private rejectedRows = 0;
  private retries = 0;
  private lastError: EpicenterError | undefined;
  private readonly log: ChLogger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly send: Sender<T>,
    private readonly opts: BatcherOptions<T>,
  ) {
    this.concurrency = opts.concurrency ?? 1;
    if (!(opts.batchRows >= 1) || !(opts.batchMs >= 1) || !(opts.maxBufferedRows >= 1) || !Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new EpicenterError('BAD_CONFIG', 'clickhouse writer: batchRows, batchMs, maxBufferedRows and concurrency must be ≥ 1');
    }
    this.log = opts.logger ?? silentLogger;
    this.sleep = opts.sleep ?? defaultSleep;
    this.now = opts.now ?? Date.now;
    if (opts.timer !== false) {
      this.interval = setInterval(() => this.drainAll(), opts.batchMs);
      this.interval.unref();
    }
  }

  /** Buffer rows for `table`; starts a send when the table holds a full batch. Throws INTERNAL after close(). */
  add(table: T, rows: readonly unknown[]): void {
    if (this.closed) throw new EpicenterError('INTERNAL', `clickhouse writer: add to ${table} after close()`);
    if (rows.length === 0) return;
    let b = this.buf.get(table);
    if (b === undefined) {
      b = [];
      this.buf.set(table, b);
    }
    for (const r of rows) b.push(r);
    this.enq.set(table, (this.enq.get(table) ?? 0) + rows.length);
    if (b.length >= this.opts.batchRows) {
      const full = (this.done.get(table) ?? 0) + Math.floor(b.length / this.opts.batchRows) * this.opts.batchRows;
      this.want.set(table, Math.max(this.want.get(table) ?? 0, full));
      this.kick();
    }
  }

  /** Rows buffered, including a batch in flight. */
  buffered(): number {
    let n = 0;
    for (const b of this.buf.values()) n += b.length;
    return n;
  }

  isSaturated(): boolean {
    return this.buffered() >= this.opts.maxBufferedRows;
  }

  stats(): BatcherStats {
    const s = { buffered: this.buffered(), sentRows: this.sentRows, rejectedRows: this.rejectedRows, retries: this.retries };
    return this.lastError === undefined ? s : { ...s, lastError: this.lastError };
  }

  /** Resolves when every row added before this call is stored (or rejected through onRejected). */
  flush(): Promise<void> {
    const targets = new Map<T, number>();
    for (const [t, n] of this.enq) {
      if ((this.done.get(t) ?? 0) < n) targets.set(t, n);
    }
    if (targets.size === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ targets, resolve, reject });
      this.drainAll();
    });
  }

  /** Stop the timer, flush (retrying until closeTimeoutMs), refuse further rows. Rejects with STORE_UNAVAILABLE if rows remain unsent. */
  async close(): Promise<void> {
    if (this.interval !== undefined) clearInterval(this.interval);
    this.closed = true;
    this.deadline = this.now() + (this.opts.closeTimeoutMs ?? 30_000);
    await this.flush();
    if (this.active > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  private drainAll(): void {
    for (const [t, n] of this.enq) this.want.set(t, n);
    this.kick();
  }

  /** Start sends while fewer than `concurrency` are in flight: first batches whose send failed, then new ones. */
  private kick(): void {
    while (this.active < this.concurrency) {
      const retry = this.failedFlight();
      if (retry !== undefined) {
        this.start(retry[0], retry[1]);
        continue;
      }
      const table = this.pending();
      if (table === undefined) return;
      const b = this.buf.get(table) ?? [];
      const flights = this.flightsOf(table);
      const taken = this.taken(flights);
      const n = Math.min(this.opts.batchRows, (this.want.get(table) ?? 0) - (this.done.get(table) ?? 0) - taken, b.length - taken);
      // The batch is fixed here and re-sent unchanged on retry; rows added meanwhile queue behind it.
      const f: Flight = { rows: b.slice(taken, taken + n), state: 'sending' };
      flights.push(f);
      this.lastServed = table;
      this.start(table, f);
    }
  }

  private start(table: T, f: Flight): void {
    f.state = 'sending';
    this.active++;
    this.sendWithRetry(table, f.rows)
      .then(
        () => {
          f.state = 'ok';
          this.acknowledge(table);
        },
        (e: unknown) => {
          f.state = 'failed';
          const waiters = this.waiters;
          this.waiters = [];
          for (const w of waiters) w.reject(e);
        },
      )
      .finally(() => {
        this.active--;
        // After a failure at close there is no more retrying: the rows stay buffered, unsent.
        if (this.deadline === Infinity) this.kick();
        if (this.active === 0) {
          const ws = this.idleWaiters;
          this.idleWaiters = [];
          for (const w of ws) w();
        }
      });
  }

  /** Take finished batches off the head of the table's buffer, in order: a later batch waits for an earlier one. */
  private acknowledge(table: T): void {
    const flights = this.flightsOf(table);
    const b = this.buf.get(table) ?? [];
    let n = 0;
    while (flights[0]?.state === 'ok') n += (flights.shift() as Flight).rows.length;
    if (n === 0) return;
    b.splice(0, n);
    this.done.set(table, (this.done.get(table) ?? 0) + n);
    this.settleWaiters();
  }

  private flightsOf(table: T): Flight[] {
    let f = this.flights.get(table);
    if (f === undefined) this.flights.set(table, (f = []));
    return f;
  }

  private taken(flights: readonly Flight[]): number {
    let n = 0;
    for (const f of flights) n += f.rows.length;
    return n;
  }

  private failedFlight(): [T, Flight] | undefined {
    for (const [t, fs] of this.flights) for (const f of fs) if (f.state === 'failed') return [t, f];
    return undefined;
  }

  /** A table with rows not yet taken below its drain target, round-robin after the last one served, so a busy table cannot starve the others. */
  private pending(): T | undefined {
    const tables = [...this.want.keys()];
    const start = this.lastServed === undefined ? 0 : tables.indexOf(this.lastServed) + 1;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[(start + i) % tables.length] as T;
      const taken = this.taken(this.flightsOf(t));
      if ((this.done.get(t) ?? 0) + taken < (this.want.get(t) ?? 0) && taken < (this.buf.get(t)?.length ?? 0)) return t;
    }
    return undefined;
  }

  private settleWaiters(): void {
    this.waiters = this.waiters.filter((w) => {
      for (const [t, n] of w.targets) if ((this.done.get(t) ?? 0) < n) return true;
      w.resolve();
      return false;
    });
  }

  private async sendWithRetry(table: T, rows: readonly unknown[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.send(table, rows);
        this.sentRows += rows.length;
        return;
      } catch (e) {
        const err = e instanceof EpicenterError ? e : new EpicenterError('INTERNAL', `clickhouse writer: ${String(e)}`, { cause: e });
        this.lastError = err;
        if (!err.retriable) return this.isolate(table, rows, err);
        if (this.now() >= this.deadline) {
          throw new EpicenterError('STORE_UNAVAILABLE', `clickhouse writer: gave up at close with ${this.buffered()} rows unsent: ${err.message}`, { cause: err });
        }
        const cap = this.opts.maxBackoffMs ?? 5000;
        const base = Math.min(cap, (this.opts.initialBackoffMs ?? 100) * 2 ** Math.min(attempt, 30));
        // Jitter keeps several instances from retrying in lockstep after an outage.
        const delay = Math.min(base * (0.75 + Math.random() * 0.25), Math.max(0, this.deadline - this.now()));
        if (attempt === 0 || attempt % 10 === 0) {
          this.log.warn({ table, rows: rows.length, attempt, delayMs: Math.round(delay), err: err.message }, 'clickhouse writer: insert failed, retrying');
        }
        this.retries++;
        await this.sleep(delay);
      }
    }
  }

  /** Bisect a refused batch down to the rows the server refuses, send the rest. */
  private async isolate(table: T, rows: readonly unknown[], err: EpicenterError): Promise<void> {
    if (rows.length === 1) {
      this.rejectedRows++;
      if (this.opts.onRejected !== undefined) this.opts.onRejected(table, rows, err);
      else this.log.error({ table, err: err.message }, 'clickhouse writer: row refused');
      return;
    }
    const mid = rows.length >> 1;
    await this.sendWithRetry(table, rows.slice(0, mid));
    await this.sendWithRetry(table, rows.slice(mid));
  }
}
