import assert from 'node:assert/strict';
import { EpicenterError } from '../../../src/errors';
import { makeSeries } from '../../../src/domain/series';
import type { Sample } from '../../../src/domain/types';
import { MemoryStore } from '../../../src/store/memory';
import { createStoreWriter } from '../../../src/pipeline/writer';
import { emptyRows, type Rows } from '../../../src/pipeline/types';

const ref = makeSeries('fds', { 'service.name': 'a' });
function rows(n: number, from = 0): Rows {
  const samples: Sample[] = Array.from({ length: n }, (_, i) => ({ series: ref, t: from + i, v: i }));
  return { ...emptyRows(), samples };
}

/** A MemoryStore whose inserts fail while `down` is set, like ClickHouse being stopped. */
class FlakyStore extends MemoryStore {
  down = false;
  inserts = 0;
  override insertPoints(s: readonly Sample[]): Promise<void> {
    if (this.down) return Promise.reject(new EpicenterError('STORE_UNAVAILABLE', 'clickhouse: connection refused'));
    this.inserts++;
    return super.insertPoints(s);
  }
}

async function stored(store: MemoryStore): Promise<number> {
  const all = await store.queryPoints({ from: -Infinity, to: Infinity });
  return all.reduce((n, s) => n + s.points.length, 0);
}

describe('pipeline writer', () => {
  it('buffers until flushed, then stores in inserts of at most insertRows', async () => {
    const store = new FlakyStore();
    const w = createStoreWriter(store, undefined, { insertRows: 40 });
    w.add(rows(100));
    assert.equal(w.buffered(), 100);
    assert.equal(await stored(store), 0);
    await w.flush();
    assert.equal(w.buffered(), 0);
    assert.equal(await stored(store), 100);
    assert.equal(store.inserts, 3);
  });

  it('keeps rows when the store fails and stores them on a later flush (nothing dropped)', async () => {
    const store = new FlakyStore();
    const w = createStoreWriter(store, undefined, { maxBufferedRows: 150 });
    w.add(rows(100));
    store.down = true;
    await assert.rejects(w.flush(), (e: unknown) => e instanceof EpicenterError && e.retriable);
    assert.equal(w.buffered(), 100);
    w.add(rows(100, 1000));
    assert.equal(w.isSaturated(), true);
    store.down = false;
    await w.flush();
    assert.equal(await stored(store), 200);
    assert.equal(w.isSaturated(), false);
  });

  it('a flush covers rows added before it even while an earlier flush is in flight', async () => {
    const store = new FlakyStore();
    const w = createStoreWriter(store, undefined);
    w.add(rows(10));
    const first = w.flush();
    w.add(rows(10, 100));
    const second = w.flush();
    await Promise.all([first, second]);
    assert.equal(await stored(store), 20);
  });
});
