/**
 * Micro-benchmark of the OTLP decoders (JSON and protobuf): one ExportMetricsServiceRequest of 10,000 data points
 * shaped like the Collector's otlp_json / otlp_proto output (50 resources × 10 metrics × 20 points; gauges and
 * monotonic cumulative sums with a `server.address` attribute), decoded repeatedly with a shared
 * RateState. Prints a table and writes bench/results/formats.md.
 *
 * Run: npm run build && node dist/bench/formats/run.js
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createRateState, decodeCollectd, decodeCsvSeries, decodeOtlpMetrics, decodeOtlpProto, decodeOtlpRequest } from '../../src/formats';
import { parseOtlpProto, REQUEST_TYPE } from '../../src/formats/otlp/proto';
import { buildSpec } from '../../src/formats/otlp/proto-spec';
import { wireRequest } from '../../src/formats/otlp/proto-wire';

const RESOURCES = 50;
const METRICS = 10;
const POINTS = 20;
const T0 = 1_700_000_000_000;

function request(round: number): object {
  const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
  const resourceMetrics = [];
  for (let r = 0; r < RESOURCES; r++) {
    const metrics = [];
    for (let m = 0; m < METRICS; m++) {
      const dataPoints = [];
      for (let p = 0; p < POINTS; p++) {
        const t = BigInt(T0 + round * 10_000) * 1_000_000n;
        dataPoints.push({
          attributes: [str('server.address', `peer-${p}`)],
          startTimeUnixNano: String(BigInt(T0) * 1_000_000n),
          timeUnixNano: String(t),
          ...(m % 2 === 0 ? { asDouble: 10 + p + round } : { asInt: String(1000 * round + p) }),
        });
      }
      metrics.push(m % 2 === 0
        ? { name: `app.metric_${m}`, unit: '{connection}', gauge: { dataPoints } }
        : { name: `app.counter_${m}`, unit: '{request}', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints } });
    }
    resourceMetrics.push({
      resource: { attributes: [str('service.name', `svc-${r}`), str('service.instance.id', `i-${r}`), str('service.version', '1.2.3'), str('host.name', `host-${r}`)] },
      scopeMetrics: [{ scope: { name: 'bench' }, metrics }],
    });
  }
  return { resourceMetrics };
}

/** Runs `fn` `runs` times after 3 warm-ups; reports the median and the best run (the machine is shared, the best is the least disturbed). */
function time(label: string, points: number, runs: number, fn: (i: number) => number): { label: string; median: number; best: number } {
  for (let i = 0; i < 3; i++) fn(i);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    if (fn(i + 3) === 0) throw new Error(`${label}: decoded nothing`);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { label, median: ms[Math.floor(ms.length / 2)]!, best: ms[0]! };
}

const pps = (points: number, ms: number) => Math.round(points / (ms / 1000)).toLocaleString('en-US');

const RUNS = Number(process.env['RUNS'] ?? 30);
const texts = Array.from({ length: RUNS + 3 }, (_, i) => JSON.stringify(request(i)));
const docs = texts.map((t) => JSON.parse(t) as unknown);
// The same requests as protobuf (what the Collector's default otlp_proto encoding writes).
const protos = docs.map((d) => Buffer.from(REQUEST_TYPE.encode(REQUEST_TYPE.fromObject(d as object)).finish()));
const spec = buildSpec(REQUEST_TYPE);
const n = RESOURCES * METRICS * POINTS;
const csv = ['timestamp,value', ...Array.from({ length: n }, (_, i) => `${new Date(T0 + i * 60_000).toISOString()},${i % 97}`)].join('\n');
const collectd = Array.from({ length: n / 10 }, (_, i) => JSON.stringify(Array.from({ length: 10 }, (_, j) => ({
  values: [i * 10 + j], dstypes: [j % 2 === 0 ? 'gauge' : 'derive'], dsnames: ['value'], time: T0 / 1000 + i * 10, interval: 10,
  host: 'h1', plugin: 'processes', plugin_instance: `proc${j}`, type: 'ps_count', type_instance: '',
})))).join('\n');

let rates = createRateState();
const rows = [
  time('OTLP text (JSON.parse + decode)', n, RUNS, (i) => decodeOtlpMetrics(texts[i]!, { topic: 'otlp_metrics' }, rates).values.length),
  (rates = createRateState(), time('OTLP parsed doc (decode only)', n, RUNS, (i) => decodeOtlpRequest(docs[i], { topic: 'otlp_metrics' }, rates).values.length)),
  time('OTLP parsed doc, cold (new RateState each request)', n, RUNS, (i) => decodeOtlpRequest(docs[i], { topic: 'otlp_metrics' }, createRateState()).values.length),
  (rates = createRateState(), time('OTLP protobuf (wire decoder + decode)', n, RUNS, (i) => decodeOtlpProto(protos[i]!, { topic: 'otlp_metrics' }, rates).values.length)),
  time('protobuf → plain request alone, wire decoder (src/formats/otlp/proto-wire.ts)', n, RUNS, (i) => (wireRequest(protos[i]!, spec) === undefined ? 0 : 1)),
  time('protobuf → plain request alone, protobufjs (decode + wire-type check + conversion; the fallback)', n, RUNS, (i) => ('doc' in parseOtlpProto(protos[i]!) ? 1 : 0)),
  time('JSON.parse alone', n, RUNS, (i) => (JSON.parse(texts[i]!) as { resourceMetrics: unknown[] }).resourceMetrics.length),
  time('CSV (ISO timestamps)', n, Math.max(3, RUNS / 3), () => decodeCsvSeries(csv, { file: 'bench.csv' }).values.length),
  time('collectd JSON', n, Math.max(3, RUNS / 3), () => decodeCollectd(collectd, { file: 'bench.json' }).values.length),
];

const table = [
  '| input (10,000 points) | median ms | points/s (median) | best ms | points/s (best) |',
  '|---|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.label} | ${r.median.toFixed(1)} | ${pps(n, r.median)} | ${r.best.toFixed(1)} | ${pps(n, r.best)} |`),
].join('\n');
console.log(table);
const out = join(__dirname, '..', '..', '..', 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'formats.md'), `# Input decoding throughput\n\nCommand: \`npm run build && node dist/bench/formats/run.js\` (${RUNS} runs after 3 warm-ups, Node ${process.version}, one core of a 2-core machine shared with other builds, load average ${loadavg()[0]!.toFixed(1)}).\nOne OTLP request = ${RESOURCES} resources × ${METRICS} metrics × ${POINTS} points (half gauges, half monotonic cumulative sums, one point attribute).
"Decode only" reuses one RateState, as a Kafka consumer does: series identities are cached after the first request. "Cold" builds every series identity again (and yields no counter rates).
Best = least disturbed run on the shared machine; median = typical under the load at the time.

${table}
`);
