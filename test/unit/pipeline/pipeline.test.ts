import assert from 'node:assert/strict';
import { EpicenterError } from '../../../src/errors';
import type { Sample } from '../../../src/domain/types';
import { MemoryStore } from '../../../src/store/memory';
import { createPipeline, type PipelineLog } from '../../../src/pipeline/pipeline';
import { createProcessor } from '../../../src/pipeline/processor';
import { createStoreWriter } from '../../../src/pipeline/writer';
import type { BusBatch, CommitOffset, DeadLetter, SourceControl } from '../../../src/pipeline/types';
import { otlpGauges } from './otlp';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
const quiet: PipelineLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

class FlakyStore extends MemoryStore {
  down = false;
  override insertPoints(s: readonly Sample[]): Promise<void> {
    return this.down ? Promise.reject(new EpicenterError('STORE_UNAVAILABLE', 'down')) : super.insertPoints(s);
  }
}

class FakeSource implements SourceControl {
  paused = false;
  commits: CommitOffset[][] = [];
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  commit(o: readonly CommitOffset[]): Promise<void> {
    this.commits.push([...o]);
    return Promise.resolve();
  }
}

function batch(offset: number, text: string, partition = 0): BusBatch {
  return { kind: 'otlp', topic: 'm', partition, messages: [{ offset: String(offset), key: null, value: Buffer.from(text), timestamp: NOW - 50 }] };
}

function setup(maxBufferedRows = 1000) {
  const store = new FlakyStore();
  const letters: DeadLetter[] = [];
  const source = new FakeSource();
  const fatal: unknown[] = [];
  const pipeline = createPipeline(
    {
      processor: createProcessor({ now: () => NOW, detect: false }),
      writer: createStoreWriter(store, undefined, { maxBufferedRows }),
      deadLetters: { publish: (ls) => (letters.push(...ls), Promise.resolve()) },
      log: quiet,
      now: () => NOW,
      onFatal: (e) => fatal.push(e),
    },
    { flushRows: 1_000_000, retryInitialMs: 1 },
  );
  pipeline.attach(source);
  return { store, letters, source, pipeline, fatal };
}

const point = (i: number): string => otlpGauges('a', [{ metric: 'fds', t: NOW - 100_000 + i, v: i }]);

describe('pipeline', () => {
  it('commits an offset only after its rows are stored and its dead letters published', async () => {
    const { store, letters, source, pipeline } = setup();
    pipeline.handle(batch(0, point(0)));
    pipeline.handle(batch(1, 'not json'));
    assert.equal(source.commits.length, 0, 'nothing committed before a flush');
    await pipeline.flush();
    assert.deepEqual(source.commits, [[{ topic: 'm', partition: 0, offset: '2' }]]);
    assert.equal(letters.length, 1);
    assert.equal((await store.queryPoints({ from: 0, to: Infinity }))[0]?.points.length, 1);
  });

  it('does not commit while the store is down, pauses, and resumes once rows are stored', async () => {
    const { store, source, pipeline } = setup();
    pipeline.handle(batch(0, point(0)));
    store.down = true;
    await assert.rejects(pipeline.flush());
    assert.equal(source.commits.length, 0);
    store.down = false;
    await pipeline.flush();
    assert.equal(source.commits.length, 1);
    assert.equal(source.paused, false);
    assert.equal(pipeline.stats().storeHealthy, true);
  });

  it('pauses the source when the writer is saturated and resumes after a flush', async () => {
    const { source, pipeline } = setup(3);
    for (let i = 0; i < 3; i++) pipeline.handle(batch(i, point(i)));
    assert.equal(source.paused, true);
    await pipeline.flush();
    assert.equal(source.paused, false);
  });

  it('keeps dead letters for the next flush when publishing fails, and does not commit', async () => {
    const { source, pipeline } = setup();
    let fail = true;
    const published: DeadLetter[] = [];
    const p2 = createPipeline(
      {
        processor: createProcessor({ now: () => NOW }),
        writer: createStoreWriter(new MemoryStore(), undefined),
        deadLetters: { publish: (ls) => (fail ? Promise.reject(new EpicenterError('BUS_UNAVAILABLE', 'down')) : (published.push(...ls), Promise.resolve())) },
        log: quiet,
        onFatal: () => {},
      },
      {},
    );
    void pipeline;
    p2.attach(source);
    p2.handle(batch(5, 'bad'));
    await assert.rejects(p2.flush());
    assert.equal(source.commits.length, 0);
    fail = false;
    await p2.flush();
    assert.equal(published.length, 1);
    assert.deepEqual(source.commits, [[{ topic: 'm', partition: 0, offset: '6' }]]);
  });

  it('stop() flushes and commits everything handled', async () => {
    const { source, pipeline } = setup();
    pipeline.start();
    pipeline.handle(batch(0, point(0), 1));
    assert.equal(await pipeline.stop(1000), true);
    assert.deepEqual(source.commits.at(-1), [{ topic: 'm', partition: 1, offset: '1' }]);
  });

  it('stop() gives up (false) without committing when the store stays down', async () => {
    const { store, source, pipeline } = setup();
    pipeline.handle(batch(0, point(0)));
    store.down = true;
    assert.equal(await pipeline.stop(30), false);
    assert.equal(source.commits.length, 0);
  });
});
