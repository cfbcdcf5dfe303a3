import assert from 'node:assert/strict';
import { OffsetLedger } from '../../../src/pipeline/ledger';

describe('pipeline offset ledger', () => {
  it('commits last handled offset + 1, as a string, per partition', () => {
    const l = new OffsetLedger();
    l.note('t', 0, '41');
    l.note('t', 1, '9');
    l.note('t', 0, '99');
    assert.deepEqual(l.snapshot().sort((a, b) => a.partition - b.partition), [
      { topic: 't', partition: 0, offset: '100' },
      { topic: 't', partition: 1, offset: '10' },
    ]);
  });

  it('never moves backwards when a batch is replayed', () => {
    const l = new OffsetLedger();
    l.note('t', 0, '99');
    l.note('t', 0, '50');
    assert.equal(l.snapshot()[0]?.offset, '100');
  });

  it('settles only what did not move since the snapshot', () => {
    const l = new OffsetLedger();
    l.note('t', 0, '1');
    l.note('t', 1, '1');
    const snap = l.snapshot();
    l.note('t', 1, '5');
    l.settle(snap);
    assert.deepEqual(l.snapshot(), [{ topic: 't', partition: 1, offset: '6' }]);
  });

  it('drops partitions lost in a rebalance', () => {
    const l = new OffsetLedger();
    l.note('t', 0, '1');
    l.note('t', 1, '1');
    l.retain((_t, p) => p === 1);
    assert.deepEqual(l.snapshot().map((c) => c.partition), [1]);
  });

  it('handles offsets beyond 2^53', () => {
    const l = new OffsetLedger();
    l.note('t', 0, '9007199254740993');
    assert.equal(l.snapshot()[0]?.offset, '9007199254740994');
  });
});
