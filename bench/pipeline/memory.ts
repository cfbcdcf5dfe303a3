/**
 * Heap retained per live series after full GCs, in a fresh process (run with --expose-gc):
 * `node --expose-gc dist/bench/pipeline/memory.js SERIES [ROUNDS] [gauge|sum] [otlp_proto|otlp_json]`.
 * Prints one JSON line. `sum`: every series a monotonic cumulative counter, which keeps rate
 * state too. Fed as the Collector's Kafka exporter writes by default (otlp_proto) or as OTLP/JSON:
 * the two decoders make the same series but keep different caches.
 *
 * The pipeline's processor (decoder caches + counter-rate state + series table + detectors) is fed
 * SERIES live series (SERIES/200 resources × 200 gauges, ROUNDS requests each of 5 points per
 * series). V8 keeps typed arrays of more than 64 bytes (the detector's ring, profile and period
 * slots) outside the heap: those bytes are reported apart (`external`), and counted in the total.
 * The parts: the detectors alone (20,000 fed the same way, held in a pool as the series table
 * holds them; `detectorObjectPerSeries`: as createSeriesDetector objects), the formats state
 * alone, and the rest (the total less the detectors: everything the pipeline keeps per series
 * besides them).
 */
import { createSeriesDetector, detectorPool } from '../../src/detect';
import { createRateState, decodeOtlpMetrics, decodeOtlpProto } from '../../src/formats';
import { createProcessor } from '../../src/pipeline/processor';
import { pointsRowBinary } from '../../src/clickhouse/rowbinary';
import { encodedRequest, type Encoding, type GenSpec } from './gen';

const series = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 4);
const kind = process.argv[4] === 'sum' ? 'sum' : 'gauge';
const encoding: Encoding = process.argv[5] === 'otlp_json' ? 'otlp_json' : 'otlp_proto';
const spec: GenSpec = { resources: Math.ceil(series / 200), metrics: 200, times: 5, stepMs: 10_000, kind };
const live = spec.resources * spec.metrics;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const measure = (): { heap: number; external: number } => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.arrayBuffers };
};
const t0 = Date.now() - 86_400_000;
const feed = (f: (bytes: Buffer, k: number) => void): void => {
  for (let k = 0; k < spec.resources * rounds; k++) f(encodedRequest(spec, k, t0, encoding).value, k);
};
const headers = encoding === 'otlp_proto' ? { 'content-type': 'application/x-protobuf' } : undefined;

const before = measure();
const started = Date.now();
const p = createProcessor({ now: () => Date.now(), maxSeries: live });
// `run` hands the rows to the writer's RowBinary encoder (which caches the columns of series the
// decoders did not make): encoded here too.
feed((value, k) => {
  const rows = p.process({ kind: 'otlp', topic: 'b', partition: 0, messages: [{ offset: String(k), key: null, value, timestamp: t0, headers }] });
  pointsRowBinary(rows.samples);
});
const after = measure();
const feedS = (Date.now() - started) / 1000;
const rssMb = process.memoryUsage().rss / 1048576;
if (p.stats().liveSeries !== live) throw new Error(`expected ${live} live series, got ${p.stats().liveSeries}`);

// The parts, each on its own (the processor stays alive so its heap is not freed in between).
let h = measure();
const rates = createRateState(live);
feed((bytes) => void (encoding === 'otlp_proto' ? decodeOtlpProto(bytes, {}, rates) : decodeOtlpMetrics(bytes.toString(), {}, rates)));
let a = measure();
const formats = (a.heap - h.heap + a.external - h.external) / live;
// The detectors alone: held as the series table holds them (numbers in a pool), and as objects
// (createSeriesDetector: a detector object and a FinalizationRegistry entry each, for comparison).
const n = 20_000;
const feedDetector = (update: (t: number, v: number) => unknown, i: number): void => {
  for (let k = 0; k < rounds * spec.times; k++) update(t0 + k * spec.stepMs, 100 + (k % 7) + (i % 3));
};
h = measure();
const pool = detectorPool();
const ids = Array.from({ length: n }, (_, i) => {
  const id = pool.create();
  feedDetector((t, v) => pool.update(id, t, v), i);
  return id;
});
a = measure();
const detector = (a.heap - h.heap + a.external - h.external) / n;
h = measure();
const ds = Array.from({ length: n }, (_, i) => {
  const d = createSeriesDetector();
  feedDetector((t, v) => d.update(t, v), i);
  return d;
});
a = measure();
const detectorObject = (a.heap - h.heap + a.external - h.external) / n;
if (ds.length !== n || ids.length !== n || pool.size !== n || rates.size < 0 || p.stats().liveSeries === 0) throw new Error('unreachable: keeps the measured objects alive');

console.log(JSON.stringify({
  series: live,
  kind,
  encoding,
  pointsPerSeries: rounds * spec.times,
  heapPerSeries: (after.heap - before.heap) / live,
  externalPerSeries: (after.external - before.external) / live,
  totalPerSeries: (after.heap - before.heap + after.external - before.external) / live,
  detectorPerSeries: detector,
  detectorObjectPerSeries: detectorObject,
  // Everything but the detector (series identities, decoder caches, series table, processor).
  restPerSeries: (after.heap - before.heap + after.external - before.external) / live - detector,
  formatsPerSeries: formats,
  rssMb,
  feedS,
}));
