import assert from 'node:assert/strict';
import { Batcher, type BatcherOptions } from '../../../src/clickhouse/batcher';
import { EpicenterError } from '../../../src/errors';

type Table = 'a' | 'b';
interface Row {
  id: number;
  bad?: boolean;
}

/** A fake server: records every send, can fail on demand, and tracks concurrency. */
function fakeServer() {
  const calls: { table: Table; ids: number[] }[] = [];
  const stored = new Map<Table, number[]>();
  let failures: EpicenterError[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = async (table: Table, rows: readonly unknown[]): Promise<void> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await Promise.resolve();
    inFlight--;
    const ids = (rows as Row[]).map((r) => r.id);
    calls.push({ table, ids });
    const f = failures.shift();
    if (f !== undefined) throw f;
    if ((rows as Row[]).some((r) => r.bad === true)) throw new EpicenterError('STORE_FAILED', 'Cannot parse input');
    stored.set(table, [...(stored.get(table) ?? []), ...ids]);
  };
  return {
    send,
    calls,
    stored,
    failWith(...errs: EpicenterError[]) {
      failures = errs;
    },
    maxInFlight: () => maxInFlight,
  };
}

const rows = (from: number, n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: from + i }));
const unavailable = () => new EpicenterError('STORE_UNAVAILABLE', 'connect ECONNREFUSED');

function make(server: ReturnType<typeof fakeServer>, over: Partial<BatcherOptions<Table>> = {}) {
  const sleeps: number[] = [];
  const b = new Batcher<Table>(server.send, {
    batchRows: 3,
    batchMs: 1000,
    maxBufferedRows: 10,
    timer: false,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...over,
  });
  return { b, sleeps };
}

describe('clickhouse batcher', () => {
  it('sends full batches by size and keeps the remainder until flush', async () => {
    const s = fakeServer();
    const { b } = make(s);
    b.add('a', rows(0, 7));
    await b.flush();
    assert.deepEqual(
      s.calls.map((c) => c.ids),
      [[0, 1, 2], [3, 4, 5], [6]],
    );
    assert.equal(b.buffered(), 0);
  });

  it('does not send a partial batch before flush or the timer', async () => {
    const s = fakeServer();
    const { b } = make(s);
    b.add('a', rows(0, 2));
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(s.calls.length, 0);
    assert.equal(b.buffered(), 2);
    await b.flush();
    assert.deepEqual(s.stored.get('a'), [0, 1]);
  });

  it('flush resolves only when the rows written before it are stored', async () => {
    const s = fakeServer();
    const { b } = make(s);
    b.add('a', rows(0, 2));
    b.add('b', rows(100, 1));
    const p = b.flush();
    b.add('a', rows(2, 1)); // after the flush call: not required by it
    await p;
    assert.deepEqual(s.stored.get('b'), [100]);
    assert.ok((s.stored.get('a') ?? []).includes(0) && (s.stored.get('a') ?? []).includes(1));
  });

  it('re-sends the same batch as-is after retriable failures, with capped exponential backoff', async () => {
    const s = fakeServer();
    const { b, sleeps } = make(s, { initialBackoffMs: 100, maxBackoffMs: 400 });
    s.failWith(unavailable(), unavailable(), unavailable(), unavailable());
    b.add('a', rows(0, 3));
    await b.flush();
    assert.equal(s.calls.length, 5);
    for (const c of s.calls) assert.deepEqual(c.ids, [0, 1, 2]);
    assert.deepEqual(s.stored.get('a'), [0, 1, 2], 'stored exactly once');
    assert.equal(sleeps.length, 4);
    // 100, 200, 400, 400 with up to 25% jitter below
    const caps = [100, 200, 400, 400];
    sleeps.forEach((ms, i) => assert.ok(ms <= caps[i]! && ms >= caps[i]! * 0.75, `sleep ${i} = ${ms}`));
    assert.equal(b.stats().retries, 4);
  });

  it('isolates rows the server refuses, hands them to onRejected and stores the rest', async () => {
    const s = fakeServer();
    const rejected: number[] = [];
    const { b } = make(s, { batchRows: 8, onRejected: (_t, rs) => rejected.push(...(rs as Row[]).map((r) => r.id)) });
    const input = rows(0, 8);
    input[2]!.bad = true;
    input[6]!.bad = true;
    b.add('a', input);
    await b.flush();
    assert.deepEqual(rejected, [2, 6]);
    assert.deepEqual([...(s.stored.get('a') ?? [])].sort((x, y) => x - y), [0, 1, 3, 4, 5, 7]);
    assert.equal(b.stats().rejectedRows, 2);
  });

  it('never runs two sends at once', async () => {
    const s = fakeServer();
    const { b } = make(s);
    for (let i = 0; i < 10; i++) b.add(i % 2 === 0 ? 'a' : 'b', rows(i * 10, 4));
    await Promise.all([b.flush(), b.flush()]);
    assert.equal(s.maxInFlight(), 1);
    assert.equal((s.stored.get('a') ?? []).length + (s.stored.get('b') ?? []).length, 40);
  });

  it('with concurrency N keeps up to N sends in flight, each batch sent once', async () => {
    const s = fakeServer();
    const { b } = make(s, { concurrency: 3, maxBufferedRows: 100 });
    b.add('a', rows(0, 12));
    await b.flush();
    assert.equal(s.maxInFlight(), 3);
    assert.deepEqual([...(s.stored.get('a') ?? [])].sort((x, y) => x - y), rows(0, 12).map((r) => r.id));
  });

  it('acknowledges in order: a later batch that finished first does not count as stored while an earlier one is retried', async () => {
    // The first batch's first attempt fails slowly (outage); the second batch succeeds at once.
    const attempts: number[][] = [];
    let releaseFirst: () => void = () => undefined;
    const firstFailed = new Promise<void>((r) => (releaseFirst = r));
    const send = async (_t: Table, rs: readonly unknown[]): Promise<void> => {
      const ids = (rs as Row[]).map((r) => r.id);
      attempts.push(ids);
      if (ids[0] === 0 && attempts.filter((a) => a[0] === 0).length === 1) {
        await firstFailed;
        throw unavailable();
      }
    };
    let slept: () => void = () => undefined;
    const sleeping = new Promise<void>((r) => (slept = r));
    const b = new Batcher<Table>(send, {
      batchRows: 3, batchMs: 1000, maxBufferedRows: 100, timer: false, concurrency: 2,
      sleep: () => (slept(), Promise.resolve()),
    });
    b.add('a', rows(0, 6));
    let flushed = false;
    const f = b.flush().then(() => (flushed = true));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    assert.deepEqual(attempts, [[0, 1, 2], [3, 4, 5]], 'both batches in flight');
    assert.equal(flushed, false);
    assert.equal(b.buffered(), 6, 'the second batch is not acknowledged before the first');
    releaseFirst();
    await sleeping;
    assert.equal(flushed, false, 'flush waits for the retried first batch');
    await f;
    assert.equal(b.buffered(), 0);
    assert.deepEqual(attempts.at(-1), [0, 1, 2], 'the first batch re-sent as-is');
  });

  it('serves tables round-robin, so a table that keeps filling cannot starve another', async () => {
    const s = fakeServer();
    const { b } = make(s);
    b.add('a', rows(0, 9)); // three full batches of a
    b.add('b', rows(100, 1));
    await b.flush();
    assert.deepEqual(s.calls.map((c) => c.table), ['a', 'b', 'a', 'a']);
  });

  it('keeps per-table order', async () => {
    const s = fakeServer();
    const { b } = make(s);
    for (let i = 0; i < 5; i++) b.add('a', rows(i * 2, 2));
    await b.flush();
    assert.deepEqual(s.stored.get('a'), rows(0, 10).map((r) => r.id));
  });

  it('reports saturation at maxBufferedRows, including rows held during an outage', async () => {
    const s = fakeServer();
    const { b } = make(s, { batchRows: 100, maxBufferedRows: 5 });
    b.add('a', rows(0, 4));
    assert.equal(b.isSaturated(), false);
    b.add('b', rows(10, 1));
    assert.equal(b.isSaturated(), true);
    s.failWith(unavailable());
    await b.flush();
    assert.equal(b.isSaturated(), false);
    assert.equal(b.buffered(), 0);
  });

  it('close flushes, then refuses new rows', async () => {
    const s = fakeServer();
    const { b } = make(s);
    b.add('a', rows(0, 1));
    await b.close();
    assert.deepEqual(s.stored.get('a'), [0]);
    assert.throws(() => b.add('a', rows(1, 1)), (e: unknown) => e instanceof EpicenterError && e.code === 'INTERNAL');
  });

  it('close gives up after closeTimeoutMs with STORE_UNAVAILABLE and keeps the rows counted as buffered', async () => {
    const s = fakeServer();
    let clock = 0;
    const { b } = make(s, {
      closeTimeoutMs: 1000,
      now: () => clock,
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
    });
    s.failWith(...Array.from({ length: 1000 }, unavailable));
    b.add('a', rows(0, 2));
    await assert.rejects(b.close(), (e: unknown) => e instanceof EpicenterError && e.code === 'STORE_UNAVAILABLE' && /2 rows unsent/.test(e.message));
    assert.equal(b.buffered(), 2);
    assert.equal(s.stored.get('a'), undefined);
  });

  it('the batchMs timer sends a partial batch without a flush call', async () => {
    const s = fakeServer();
    let sent!: () => void;
    const done = new Promise<void>((r) => (sent = r));
    const b = new Batcher<Table>(
      async (t, r) => {
        await s.send(t, r);
        sent();
      },
      { batchRows: 100, batchMs: 10, maxBufferedRows: 1000 },
    );
    b.add('a', rows(0, 1));
    await done;
    assert.deepEqual(s.stored.get('a'), [0]);
    await b.close();
  });

  it('refuses nonsensical sizes with BAD_CONFIG', () => {
    const s = fakeServer();
    assert.throws(() => new Batcher<Table>(s.send, { batchRows: 0, batchMs: 10, maxBufferedRows: 1, timer: false }), (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_CONFIG');
  });
});
