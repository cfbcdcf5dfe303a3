import assert from 'node:assert/strict';
import { makeSeries } from '../../../src/domain/series';
import { detectorPool } from '../../../src/detect';
import { SeriesTable } from '../../../src/pipeline/series-table';

const T = Date.UTC(2026, 0, 10, 12, 0, 0);
const ref = (name: string) => makeSeries(name, { 'service.name': 's' });

describe('pipeline series table', () => {
  it('evicts the least recently seen series when full, counting it', () => {
    const t = new SeriesTable(detectorPool(), { maxSeries: 2, idleMs: 64_000 });
    const [a, b, c] = [ref('a'), ref('b'), ref('c')];
    t.touch(a, T);
    t.touch(b, T);
    t.touch(a, T + 2_000); // a tick (1 s) later: a is now more recent than b
    t.touch(c, T + 2_000);
    assert.equal(t.size, 2);
    assert.equal(t.evicted, 1);
    const again = t.touch(a, T + 2_000);
    assert.equal(t.ref(again), a, 'a was kept');
    assert.equal(t.evicted, 1);
    t.touch(b, T + 2_000);
    assert.equal(t.evicted, 2, 'b had been evicted: it came back new and pushed another out');
  });

  it('keeps one entry (and detector) per series id, with the first SeriesRef', () => {
    const t = new SeriesTable(detectorPool());
    const e = t.touch(ref('a'), T);
    const other = ref('a');
    const e2 = t.touch(other, T + 1);
    assert.equal(e2, e);
    assert.notEqual(t.ref(e2), other);
    assert.equal(t.ref(e2).id, other.id);
    assert.equal(t.size, 1);
  });

  it('forgets series idle for idleMs, never earlier, and keeps those seen since', () => {
    const t = new SeriesTable(detectorPool(), { idleMs: 64_000 });
    const [a, b] = [ref('a'), ref('b')];
    t.touch(a, T);
    t.touch(b, T);
    assert.equal(t.sweep(T + 63_000), 0, 'not idle for idleMs yet');
    t.touch(b, T + 30_000);
    assert.equal(t.sweep(T + 64_000 + 1_000 + 1), 1, 'a idle for idleMs (within a tick of 1 s)');
    assert.equal(t.size, 1);
    assert.equal(t.sweep(T + 30_000 + 63_000), 0, 'b was seen since');
    assert.equal(t.sweep(T + 30_000 + 66_000), 1);
    assert.equal(t.size, 0);
    assert.equal(t.evicted, 2);
  });

  it('releases the detector of every series it forgets (evicted or swept): a pool of detectors held as numbers leaked their slots otherwise', () => {
    const pool = detectorPool();
    const t = new SeriesTable(pool, { maxSeries: 2, idleMs: 64_000 });
    const [a, b] = [t.touch(ref('a'), T), t.touch(ref('b'), T)];
    const c = t.touch(ref('c'), T + 2_000);
    assert.equal(pool.size, 2, 'a was evicted and its detector released');
    assert.equal(t.detector(c), t.detector(a), "c took a's slot (and a's place in the table)");
    for (const e of [b, c]) pool.update(t.detector(e), T + 3_000, 1);
    t.touch(t.ref(c), T + 30_000);
    assert.equal(t.sweep(T + 64_000 + 4_000), 1, 'b idle');
    assert.equal(pool.size, 1);
    assert.throws(() => pool.update(t.detector(b), T + 70_000, 1), /used after release/);
    assert.deepEqual(pool.update(t.detector(c), T + 70_000, 1), []);
  });

  it('keeps each series\' columns apart as places are freed, taken again and the columns grow', () => {
    const pool = detectorPool();
    const t = new SeriesTable(pool, { maxSeries: 50, idleMs: 64_000 });
    const refs = Array.from({ length: 120 }, (_, i) => ref(`m${i}`));
    const now = (i: number): number => T + i * 2_000;
    for (let i = 0; i < 120; i++) {
      const e = t.touch(refs[i] as (typeof refs)[number], now(i));
      assert.equal(t.ref(e), refs[i]);
      assert.equal(t.rowDue(e, i), true, 'a new series\' row is due');
      assert.equal(t.rowDue(e, i), false);
    }
    assert.equal(t.size, 50);
    assert.equal(t.evicted, 70);
    assert.equal(pool.size, 50);
    for (let i = 70; i < 120; i++) {
      const e = t.touch(refs[i] as (typeof refs)[number], now(120));
      assert.equal(t.ref(e), refs[i], 'the newest 50 kept');
      assert.equal(t.rowAt(e), i);
    }
    assert.equal(t.sweep(now(120) + 66_000), 50);
    assert.equal(pool.size, 0);
  });

  it('finds every series by another SeriesRef with its id after many are swept and come back (the id index stays whole)', () => {
    const t = new SeriesTable(detectorPool(), { maxSeries: 2000, idleMs: 64_000 });
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const names = Array.from({ length: 900 }, (_, i) => `m${i}`);
    let now = T;
    for (let step = 0; step < 20_000; step++) {
      now += 10;
      // a third of the series go quiet for a while, so sweeps take them out and they come back
      const i = rnd(names.length);
      if (i % 3 !== 0 || (step >> 12) % 2 === 0) t.touch(ref(names[i] as string), now);
      if (step % 500 === 0) t.sweep(now);
    }
    assert.ok(t.evicted > 0, 'some were swept');
    const first = names.map((n) => t.touch(ref(n), now));
    assert.equal(t.size, names.length, 'one entry per id');
    assert.equal(new Set(first).size, names.length);
    first.forEach((e, i) => assert.equal(t.ref(e).metric, names[i]));
    assert.deepEqual(names.map((n) => t.touch(ref(n), now)), first);
  });

  it('a full table of 128 or more evicts 1/64 of its bound at once, the least recently seen', () => {
    const t = new SeriesTable(detectorPool(), { maxSeries: 128, idleMs: 64_000 });
    const refs = Array.from({ length: 129 }, (_, i) => ref(`s${i}`));
    refs.slice(0, 128).forEach((r, i) => t.touch(r, T + i * 1000));
    t.touch(refs[0] as (typeof refs)[number], T + 130_000); // s0 seen again: s1 and s2 are now the least recent
    t.touch(refs[128] as (typeof refs)[number], T + 131_000);
    assert.equal(t.evicted, 2);
    assert.equal(t.size, 127);
    const kept = (r: (typeof refs)[number]): boolean => t.ref(t.touch(ref(r.metric), T + 132_000)) === r;
    assert.ok(kept(refs[0] as (typeof refs)[number]) && kept(refs[3] as (typeof refs)[number]));
    assert.equal(t.evicted, 2);
    assert.ok(!kept(refs[1] as (typeof refs)[number]), 's1 was evicted: it comes back new');
  });

  it('refuses a non-positive bound', () => {
    assert.throws(() => new SeriesTable(detectorPool(), { maxSeries: 0 }), RangeError);
  });
});
