import assert from 'node:assert/strict';
import { MemoryBus } from '../../../src/pipeline/bus';
import type { BusBatch } from '../../../src/pipeline/types';

describe('pipeline in-process bus', () => {
  it('delivers asynchronously, in order, batching consecutive messages of a topic', async () => {
    const bus = new MemoryBus({ maxBatch: 2 });
    const got: BusBatch[] = [];
    bus.start((b) => got.push(b));
    bus.publish('m', 'otlp', 'a');
    bus.publish('m', 'otlp', 'b');
    bus.publish('m', 'otlp', 'c');
    bus.publish('c', 'changes', 'd', { file: 'x.ndjson' });
    assert.equal(got.length, 0, 'nothing delivered inside publish');
    await bus.delivered();
    assert.deepEqual(got.map((b) => [b.topic, b.messages.map((m) => m.value?.toString())]), [
      ['m', ['a', 'b']],
      ['m', ['c']],
      ['c', ['d']],
    ]);
    assert.deepEqual(got.map((b) => b.messages.map((m) => m.offset)), [['0', '1'], ['2'], ['0']]);
    assert.equal(got[2]?.messages[0]?.origin?.file, 'x.ndjson');
  });

  it('holds messages while paused', async () => {
    const bus = new MemoryBus();
    let n = 0;
    bus.start((b) => (n += b.messages.length));
    bus.pause();
    bus.publish('m', 'otlp', 'a');
    await new Promise((r) => setImmediate(r));
    assert.equal(n, 0);
    bus.resume();
    await bus.delivered();
    assert.equal(n, 1);
  });

  it('reports a throwing handler through delivered()', async () => {
    const bus = new MemoryBus();
    bus.start(() => {
      throw new Error('boom');
    });
    bus.publish('m', 'otlp', 'a');
    await assert.rejects(bus.delivered(), /boom/);
  });
});
