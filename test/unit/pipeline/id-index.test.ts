import assert from 'node:assert/strict';
import { makeSeries } from '../../../src/domain/series';
import type { SeriesRef } from '../../../src/domain/types';
import { IdIndex } from '../../../src/pipeline/id-index';

describe('pipeline id index', () => {
  it('finds exactly the series held through many adds and removes (the entries after a removed one move back)', () => {
    const refs: SeriesRef[] = Array.from({ length: 300 }, (_, i) => makeSeries(`m${i}`, { 'service.name': 's', k: String(i % 7) }));
    const index = new IdIndex((e) => refs[e] as SeriesRef);
    const held = new Set<number>();
    let seed = 11;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let op = 0; op < 3000; op++) {
      const e = rnd(refs.length);
      if (held.has(e)) {
        index.remove(e);
        held.delete(e);
      } else {
        held.add(e);
        index.add(e, held.size);
      }
      if (op % 50 === 0 || op > 2900) refs.forEach((r, i) => assert.equal(index.find(r), held.has(i) ? i : -1, `op ${op}: ${r.id}`));
    }
    // another SeriesRef with the same id finds the entry; a series not made by makeSeries too
    const e = [...held][0] as number;
    const r = refs[e] as SeriesRef;
    assert.equal(index.find(makeSeries(r.metric, r.labels)), e);
    assert.equal(index.find({ id: r.id, service: r.service, metric: r.metric, labels: r.labels }), e);
  });
});
