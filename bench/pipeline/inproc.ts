/**
 * CPU per point of the consumer's in-process work, without Kafka or ClickHouse: decode, validate,
 * series table, detectors (the processor) and the RowBinary body of the points (from reused
 * bodies, as the writer does). `npm run build && node dist/bench/pipeline/inproc.js [SERIES] [ROUNDS] [ENCODING]`
 * prints one JSON line; the first two rounds (every series created) are not timed. For comparing
 * two versions of the code on one machine: run each a few times, interleaved (the figure moves
 * with whatever else the machine runs).
 */
import { BodyPool, pointsRowBinary } from '../../src/clickhouse/rowbinary';
import { createProcessor } from '../../src/pipeline/processor';
import { encodedRequest, type Encoding, type GenSpec } from './gen';

const series = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 20);
const encoding = (process.argv[4] ?? 'otlp_proto') as Encoding;
if (encoding !== 'otlp_proto' && encoding !== 'otlp_json') throw new Error(`encoding must be otlp_proto or otlp_json, got ${String(encoding)}`);
const spec: GenSpec = { resources: Math.ceil(series / 200), metrics: 200, times: 5, stepMs: 10_000 };
const t0 = Date.now() - 86_400_000;
const messages = Array.from({ length: spec.resources * rounds }, (_, k) => encodedRequest(spec, k, t0, encoding).value);
const processor = createProcessor({ now: () => Date.now(), maxSeries: spec.resources * spec.metrics });
const pool = new BodyPool(4);
let points = 0;

/** Messages [from, to) in batches of 10, as the consumer gets them. */
function feed(from: number, to: number): void {
  for (let k = from; k < to; k += 10) {
    const batch = messages.slice(k, Math.min(to, k + 10)).map((value, i) => ({ offset: String(k + i), key: null, value, timestamp: t0 }));
    const rows = processor.process({ kind: 'otlp', topic: 'bench', partition: 0, messages: batch });
    pool.give(pointsRowBinary(rows.samples, pool));
    points += rows.samples.length;
  }
}

feed(0, spec.resources * 2);
points = 0;
const before = process.cpuUsage();
feed(spec.resources * 2, messages.length);
const cpu = process.cpuUsage(before);
console.log(JSON.stringify({ encoding, series: spec.resources * spec.metrics, points, usPerPoint: Math.round(((cpu.user + cpu.system) / points) * 1000) / 1000 }));
