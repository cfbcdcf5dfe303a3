import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSeriesDetector, detectorPool } from '../../src/detect';
import type { SeriesDetector } from '../../src/detect';
import { makeRng } from './prng';

/**
 * Streaming throughput of one core: `series` detectors fed round-robin (as the pipeline does),
 * `perSeries` points each: noise, a level shift, a slow leak, a daily wave, outliers. Best of 3 runs.
 */
export function throughput(series = 200, perSeries = 10_000): { pointsPerSec: number; points: number; seconds: number } {
  const r = makeRng(99);
  const n = series * perSeries;
  const values = new Float64Array(n);
  for (let s = 0; s < series; s++) {
    for (let i = 0; i < perSeries; i++) {
      const wave = s % 3 === 0 ? 5 * Math.sin((2 * Math.PI * i) / 8640) : 0;
      const change = s % 4 === 1 && i > perSeries / 2 ? 6 : s % 4 === 2 && i > perSeries / 2 ? 0.01 * (i - perSeries / 2) : 0;
      values[i * series + s] = 100 + r.normal() + wave + change + (r() < 0.002 ? 40 : 0);
    }
  }
  const t0 = Date.UTC(2024, 0, 1);
  // best of 3 fresh runs: the machine is shared, the fastest run is the least disturbed one
  let seconds = Infinity;
  for (let run = 0; run < 3; run++) {
    const ds: SeriesDetector[] = Array.from({ length: series }, () => createSeriesDetector());
    let found = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < perSeries; i++) {
      const t = t0 + i * 10_000;
      for (let s = 0; s < series; s++) found += ds[s]!.update(t, values[i * series + s]!).length;
    }
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9);
    if (found < 0) throw new Error('unreachable'); // keep `found` alive
  }
  return { pointsPerSec: n / seconds, points: n, seconds };
}

/**
 * Per-series memory: the structural count, and the heap + array-buffer bytes actually used (with
 * gc) by `count` detectors held in a pool of their own, as the pipeline holds them (detector
 * objects share one slab, whose slots freed by the throughput runs above were reused and
 * under-counted).
 */
export function stateMemory(count = 20_000): { structural: number; heap: number } {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const r = makeRng(5);
  gc();
  const before = process.memoryUsage();
  const pool = detectorPool();
  const ids = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const id = pool.create();
    for (let k = 0; k < 120; k++) pool.update(id, Date.UTC(2024, 0, 1) + k * 60_000, 10 + r.normal());
    ids[i] = id;
  }
  gc();
  const after = process.memoryUsage();
  const heap = (after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers) / count;
  let structural = 0;
  for (const id of ids) structural = Math.max(structural, pool.snapshot(id)['bytes'] as number);
  return { structural, heap };
}
