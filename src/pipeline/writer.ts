import type { EpicenterError } from '../errors';
import type { Store } from '../ports';
import type { DeadLetter, Rows } from './types';
import { rowCount } from './types';

/**
 * A buffered writer over the Store port: rows accumulate in memory and go to the store in
 * large inserts (one ClickHouse part per insert, so few and big). It never drops rows: a failed
 * insert leaves its rows at the head of the queue, and the next flush retries them first.
 */
export interface RowWriter {
  /** Buffer rows; never blocks. Returns the rows refused before buffering (values the store cannot hold), normally none. */
  add(rows: Rows): EpicenterError[];
  /** Rows held (buffered, or taken by a flush and not yet stored). */
  buffered(): number;
  /** True when buffered() has reached the limit: the caller must stop feeding (pause the source). */
  isSaturated(): boolean;
  /** True while the store is failing (a flush is retrying): the caller should pause. Optional: writers whose flush rejects on failure need not say. */
  failing?(): boolean;
  /**
   * Resolves once every row added before the call is durably stored. Rejects with the store's
   * error (usually retriable STORE_UNAVAILABLE); the rows are kept and retried by the next flush.
   */
  flush(): Promise<void>;
  /** Flush, then refuse further rows. Does not close the store. */
  close(): Promise<void>;
}

/** Where dead letters are recorded besides the dead-letter topic (ClickHouse `dead_letters`). */
export interface DeadLetterStore {
  insertDeadLetters(letters: readonly DeadLetter[]): Promise<void>;
}

export interface StoreWriterOptions {
  /** Rows held before isSaturated() (backpressure). @default 500000 */
  maxBufferedRows: number;
  /** Largest single insert, rows; bigger flushes are split. @default 50000 */
  insertRows: number;
}

interface Pending {
  rows: Rows;
  /** Progress per table, so a retry does not repeat what already succeeded. */
  done: { samples: number; breakpoints: number; changes: number; deadLetters: number };
}

export function createStoreWriter(store: Store, deadLetters: DeadLetterStore | undefined, opts: Partial<StoreWriterOptions> = {}): RowWriter {
  const maxBuffered = opts.maxBufferedRows ?? 500_000;
  const insertRows = opts.insertRows ?? 50_000;
  let current: Rows = fresh();
  let currentCount = 0;
  const queue: Pending[] = [];
  let queued = 0;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const p = queue[0];
      if (p === undefined) break;
      await writeChunked(p, 'samples', (xs) => store.insertPoints(xs));
      await writeChunked(p, 'breakpoints', (xs) => store.insertBreakpoints(xs));
      await writeChunked(p, 'changes', (xs) => store.insertChanges(xs));
      if (deadLetters !== undefined) await writeChunked(p, 'deadLetters', (xs) => deadLetters.insertDeadLetters(xs));
      queue.shift();
      queued -= rowCount(p.rows);
    }
  }

  async function writeChunked<K extends keyof Pending['done']>(p: Pending, table: K, insert: (xs: Rows[K]) => Promise<void>): Promise<void> {
    const all = p.rows[table];
    while (p.done[table] < all.length) {
      const end = Math.min(all.length, p.done[table] + insertRows);
      const part = (p.done[table] === 0 && end === all.length ? all : all.slice(p.done[table], end)) as Rows[K];
      await insert(part);
      p.done[table] = end;
    }
  }

  const writer: RowWriter = {
    add(rows) {
      if (closed) throw new Error('RowWriter.add after close');
      const n = rowCount(rows);
      if (n === 0) return [];
      append(current, rows);
      currentCount += n;
      return [];
    },
    buffered: () => currentCount + queued,
    isSaturated: () => currentCount + queued >= maxBuffered,
    flush() {
      if (currentCount > 0) {
        queue.push({ rows: current, done: { samples: 0, breakpoints: 0, changes: 0, deadLetters: 0 } });
        queued += currentCount;
        current = fresh();
        currentCount = 0;
      }
      const run = chain.then(drain);
      chain = run.catch(() => undefined);
      return run;
    },
    async close() {
      await writer.flush();
      closed = true;
    },
  };
  return writer;
}

function fresh(): Rows {
  return { samples: [], breakpoints: [], changes: [], deadLetters: [] };
}

function append(into: Rows, from: Rows): void {
  // push(...xs) overflows the stack on very large arrays; loop instead.
  for (const x of from.samples) into.samples.push(x);
  for (const x of from.breakpoints) into.breakpoints.push(x);
  for (const x of from.changes) into.changes.push(x);
  for (const x of from.deadLetters) into.deadLetters.push(x);
}
