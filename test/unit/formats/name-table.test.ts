import assert from 'node:assert/strict';
import { NameTable } from '../../../src/formats/name-table';

describe('formats name table', () => {
  it('finds every name added, across growth, and nothing else', () => {
    const t = new NameTable<number>();
    const names = Array.from({ length: 1000 }, (_, i) => `process.metric_${i % 97}.${i}`);
    names.forEach((n, i) => {
      assert.equal(t.get(n), undefined);
      t.add(n, i);
    });
    assert.equal(t.size, 1000);
    names.forEach((n, i) => assert.equal(t.get(n), i, n));
    assert.equal(t.get('process.metric_1'), undefined);
    assert.equal(t.get(''), undefined);
    assert.deepEqual([...t.values()].sort((a, b) => a - b), names.map((_, i) => i));
  });

  it('tells apart names that hash alike in a small table and the empty name', () => {
    const t = new NameTable<string>();
    for (const n of ['', 'a', 'b', 'ab', 'ba', 'é', '😀']) t.add(n, `v${n}`);
    for (const n of ['', 'a', 'b', 'ab', 'ba', 'é', '😀']) assert.equal(t.get(n), `v${n}`);
    assert.equal(t.get('c'), undefined);
  });
});
