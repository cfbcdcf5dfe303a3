import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSeriesDetector, detectorPool, detectSeries } from '../../../src/detect';
import { EpicenterError } from '../../../src/errors';
import type { DetectedBreak } from '../../../src/detect';
import type { Point } from '../../../src/domain/types';
import { chunkSize } from '../../../src/detect/slab';
import { SLAB } from '../../../src/detect/state';
import { rng, series } from './gen';

// a week of 5-minute samples with a daily wave, a shift, a leak and outliers: every part of a slot in use
function busy(seed: number): Point[] {
  const r = rng(seed);
  return series(2016, 300_000, (i, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 86_400_000) + r.normal() + (i > 1200 ? 20 : 0) + (i > 1600 ? 0.05 * (i - 1600) : 0) + (i % 97 === 0 ? 50 : 0));
}

function stream(points: readonly Point[]): DetectedBreak[] {
  const d = createSeriesDetector();
  const out = points.flatMap((p) => d.update(p.t, p.v));
  return [...out, ...d.flush()];
}

describe('detect: the shared state slab', () => {
  it('a slot handed back and reused starts clean: a series gives the same breaks before and after other series used the slots', () => {
    const a = busy(11);
    const first = detectSeries(a);
    assert.ok(first.length >= 2, `${first.length} breaks`);
    for (let s = 0; s < 40; s++) detectSeries(busy(100 + s)); // each hands its slot back; the next takes it
    assert.deepEqual(detectSeries(a), first);
  });

  it('detectors fed in turn (sharing chunks and their views) give what each gives alone', () => {
    const inputs = [busy(1), busy(2), busy(3)];
    const alone = inputs.map(stream);
    const ds = inputs.map(() => createSeriesDetector());
    const together: DetectedBreak[][] = inputs.map(() => []);
    for (let i = 0; i < inputs[0]!.length; i++) {
      inputs.forEach((pts, k) => together[k]!.push(...ds[k]!.update(pts[i]!.t, pts[i]!.v)));
      if (i % 500 === 0) ds.forEach((d) => d.snapshot());
    }
    ds.forEach((d, k) => together[k]!.push(...d.flush()));
    assert.deepEqual(together, alone);
  });

  it('a collected detector hands its slot back (FinalizationRegistry)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const before = SLAB.stats().live;
    (() => {
      for (let i = 0; i < 100; i++) createSeriesDetector().update(Date.UTC(2024, 0, 1), i);
    })();
    assert.equal(SLAB.stats().live, before + 100);
    // finalizers run in a task after a collection: give them a few turns
    // (detectors of the tests before may go too)
    for (let k = 0; k < 50 && SLAB.stats().live > before; k++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(SLAB.stats().live <= before, `${SLAB.stats().live} live, ${before} before`);
  });

  it('batch mode hands its slot back at once (taken outside the registry); release() on a streaming detector leaves its slot to the registry', () => {
    const before = SLAB.stats().live;
    detectSeries(busy(5));
    assert.equal(SLAB.stats().live, before);
    const d = createSeriesDetector();
    d.release();
    // a second hand-back when it is collected would put the slot on the free list twice
    assert.equal(SLAB.stats().live, before + 1);
  });

  it('a released detector throws when used again (update, flush, snapshot, release)', () => {
    const d = createSeriesDetector();
    d.update(Date.UTC(2024, 0, 1), 1);
    d.release();
    for (const use of [() => d.update(Date.UTC(2024, 0, 2), 1), () => d.flush(), () => d.snapshot(), () => d.release()]) {
      assert.throws(use, (e: unknown) => e instanceof EpicenterError && e.code === 'INTERNAL' && /used after release/.test(e.message));
    }
  });

  it('a pool gives each detector a slot without the registry, frees it on release, and throws on a released id', () => {
    const pool = detectorPool();
    const inputs = [busy(1), busy(2), busy(3)];
    const ids = inputs.map(() => pool.create());
    assert.equal(pool.size, 3);
    const out: DetectedBreak[][] = inputs.map(() => []);
    for (let i = 0; i < inputs[0]!.length; i++) inputs.forEach((pts, k) => out[k]!.push(...pool.update(ids[k]!, pts[i]!.t, pts[i]!.v)));
    ids.forEach((id, k) => out[k]!.push(...pool.flush(id)));
    assert.deepEqual(out, inputs.map(stream), 'the same breaks as a detector object each');
    assert.equal(pool.snapshot(ids[0]!).n, inputs[0]!.length);
    pool.release(ids[1]!);
    assert.equal(pool.size, 2);
    assert.throws(() => pool.update(ids[1]!, Date.UTC(2030, 0, 1), 1), /used after release/);
    assert.throws(() => pool.release(ids[1]!), /used after release/);
    const again = pool.create();
    assert.equal(again, ids[1], 'the freed slot is reused');
    assert.deepEqual(pool.snapshot(again).n, 0, 'and starts clean');
  });

  it('chunk sizes stay between 16 and 1024 slots past the 27th chunk (16 << 27 overflowed to a negative length at ~100k series)', () => {
    const sizes = Array.from({ length: 400 }, (_, i) => chunkSize(i));
    assert.deepEqual(sizes.slice(0, 8), [16, 32, 64, 128, 256, 512, 1024, 1024]);
    assert.ok(sizes.slice(6).every((s) => s === 1024), 'every later chunk has 1024 slots');
  });
});
