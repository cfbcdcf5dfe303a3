import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSeriesDetector } from '../../src/detect';
import { createRateState, decodeOtlpMetrics } from '../../src/formats';
import { createProcessor } from '../../src/pipeline/processor';
import { request, type GenSpec } from './gen';

/**
 * Heap retained per live series, in process and after full GCs (RSS adds garbage and headroom):
 * the whole processor (detectors + rate state + series table), and its parts.
 * Returns bytes per series.
 */
export function retainedPerSeries(spec: GenSpec, rounds: number): { processor: number; detector: number; formats: number } {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const series = spec.resources * spec.metrics;
  const t0 = Date.now() - 86_400_000;
  const feed = (f: (text: string, k: number) => void): void => {
    for (let k = 0; k < spec.resources * rounds; k++) f(request(spec, k, t0).value, k);
  };

  let h = heap();
  const p = createProcessor({ now: () => Date.now() });
  feed((text, k) => p.process({ kind: 'otlp', topic: 'b', partition: 0, messages: [{ offset: String(k), key: null, value: Buffer.from(text), timestamp: t0 }] }));
  const processor = (heap() - h) / series;

  h = heap();
  const rates = createRateState();
  feed((text) => void decodeOtlpMetrics(text, {}, rates));
  const formats = (heap() - h) / series;

  h = heap();
  const ds = Array.from({ length: 20_000 }, (_, i) => {
    const d = createSeriesDetector();
    for (let k = 0; k < rounds * spec.times; k++) d.update(t0 + k * spec.stepMs, 100 + (k % 7) + (i % 3));
    return d;
  });
  const detector = (heap() - h) / ds.length;
  if (p.stats().liveSeries === 0 || rates.size < 0) throw new Error('unreachable: keeps the measured objects alive');
  return { processor, detector, formats };
}
