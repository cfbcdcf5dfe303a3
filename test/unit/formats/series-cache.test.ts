import assert from 'node:assert/strict';
import { makeSeries } from '../../../src/domain/series';
import { addSeries, findSeries, seriesBelow, seriesNode } from '../../../src/formats/series-cache';

const kv = (key: string, v: string) => ({ key, value: { stringValue: v } });

describe('formats series cache (trie of point attributes)', () => {
  it('finds every series added, whether its path ends inline, in a made child or in a further branch', () => {
    const root = seriesNode();
    const lists = [
      undefined,
      [kv('a', '1')],
      [kv('a', '1'), kv('b', '2')], // goes on past a=1: a=1's series moves into a node of its own
      [kv('a', '1'), kv('b', '3')],
      [kv('a', '2')],
      [kv('b', '2'), kv('a', '1')], // another order: another path
      [kv('a', '1'), kv('b', '2'), kv('c', '')],
    ];
    const refs = lists.map((attrs, i) => {
      assert.equal(findSeries(root, attrs), undefined, `list ${i} unseen`);
      const r = makeSeries(`m${i}`, {});
      addSeries(root, attrs, r);
      return r;
    });
    lists.forEach((attrs, i) => assert.equal(findSeries(root, attrs), refs[i], `list ${i}`));
    assert.equal(findSeries(root, []), refs[0], 'no attributes, like none given');
    assert.equal(findSeries(root, [kv('a', '1'), kv('b', '4')]), undefined);
    assert.equal(findSeries(root, [kv('a', '3'), kv('b', '2')]), undefined);
  });

  it('finds every series added in any order of the same lists (a series ending where others go on, added before or after them)', () => {
    let seed = 3;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const lists: (ReturnType<typeof kv>[] | undefined)[] = [undefined];
    for (let i = 0; i < 60; i++) lists.push(Array.from({ length: rnd(4) }, () => kv('abc'[rnd(3)] as string, String(rnd(3)))));
    const key = (l: ReturnType<typeof kv>[] | undefined): string => JSON.stringify(l ?? []);
    for (let round = 0; round < 20; round++) {
      const root = seriesNode();
      const byList = new Map<string, ReturnType<typeof makeSeries>>();
      for (const i of [...lists.keys()].sort(() => rnd(3) - 1)) {
        const l = lists[i];
        if (byList.has(key(l))) continue;
        assert.equal(findSeries(root, l), undefined, key(l));
        const r = makeSeries(`m${i}`, {});
        addSeries(root, l, r);
        byList.set(key(l), r);
      }
      for (const l of lists) assert.equal(findSeries(root, l), byList.get(key(l)), key(l));
      assert.deepEqual(new Set(seriesBelow(root)), new Set(byList.values()), 'seriesBelow walks to every series once');
      assert.equal([...seriesBelow(root)].length, byList.size);
    }
  });

  it('names the first malformed attribute, also below an unseen path', () => {
    const root = seriesNode();
    assert.equal(findSeries(root, 'x'), '');
    assert.equal(findSeries(root, [kv('a', '1'), 7]), '[1]');
    assert.equal(findSeries(root, [kv('a', '1'), { key: '', value: {} }]), '[1].key');
    assert.equal(findSeries(root, [kv('a', '1'), { key: 'b', value: 3 }]), '[1].value');
    addSeries(root, [kv('a', '1')], makeSeries('m', {}));
    assert.equal(findSeries(root, [kv('a', '1'), { key: 'b', value: 3 }]), '[1].value');
  });
});
