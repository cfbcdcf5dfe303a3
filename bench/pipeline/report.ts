import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Encoding, GenSpec } from './gen';
import type { topFunctions } from './profile';

/** One encoding's backlog drained by one `run` instance. */
export interface Drain {
  encoding: Encoding;
  /** Bytes of one request. */
  bytes: number;
  points: number;
  drainS: number;
  /** CPU seconds over the drain. NaN when the process was not found. */
  cpu: { run: number; ch: number; kafka: number };
  /** The second half of the drain: series known, detectors warm. */
  steady: { points: number; s: number; cpu: { run: number; ch: number; kafka: number } };
  peakRss: number;
  rssLive: number;
  live: number;
  decodePeak: number;
  decodeMedian: number;
  produceRate: number;
}

/** Output of ./memory.ts. */
export interface Memory {
  series: number;
  kind: string;
  encoding: string;
  pointsPerSeries: number;
  heapPerSeries: number;
  externalPerSeries: number;
  totalPerSeries: number;
  detectorPerSeries: number;
  formatsPerSeries: number;
  rssMb: number;
}

type Profile = { areas: { area: string; share: number }[]; top: ReturnType<typeof topFunctions> };

const n = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

/** Print the results as Markdown and write bench/results/pipeline.md (+ pipeline-profile.md) under `root`. */
export function report(root: string, SPEC: GenSpec, PARTITIONS: number, r: {
  drains: Drain[];
  latency: { rate: number; p50: number; p99: number; max: number };
  rssBase: number;
  memory: Memory[];
  profile: Profile | undefined;
}): void {
  const us = (cpuS: number, points: number): number => (cpuS * 1e6) / points;
  const lines = [
    '# Pipeline benchmark: Kafka → epicenter run → ClickHouse',
    '',
    `Command: \`npm run bench:pipeline\` (bench/pipeline/run.ts; services from \`bash scripts/services.sh up\`). Node ${process.version}, ${cpus().length} cores shared by epicenter, Kafka 4.1.1, ClickHouse 18.16 and other work on the machine (load average ${loadavg()[0]?.toFixed(1)} at the end).`,
    `Input: ExportMetricsServiceRequests as the Collector's Kafka exporter writes them after batching — one resource per request, ${SPEC.metrics} gauges × ${SPEC.times} points = ${SPEC.metrics * SPEC.times} points per message; ${SPEC.resources} resources → ${n(SPEC.resources * SPEC.metrics)} live series; ${PARTITIONS} partitions; one \`run\` process; the backlog is produced first, then drained (first join → last row counted in ClickHouse).`,
    '',
    `| measure | ${r.drains.map((d) => d.encoding).join(' | ')} |`,
    `|---|${r.drains.map(() => '---:').join('|')}|`,
    row('request size', r.drains.map((d) => `${n(d.bytes / 1024)} KiB`)),
    row('**steady end to end** (second half of the drain)', r.drains.map((d) => `**${n(d.steady.points / d.steady.s)} points/s** (${n(d.steady.points)} in ${f1(d.steady.s)} s)`)),
    row('epicenter `run` CPU per point, steady', r.drains.map((d) => `**${f2(us(d.steady.cpu.run, d.steady.points))} µs**`)),
    row('ClickHouse CPU per row, steady (same interval)', r.drains.map((d) => `${f2(us(d.steady.cpu.ch, d.steady.points))} µs`)),
    row('ratio epicenter / ClickHouse CPU, steady', r.drains.map((d) => f2(d.steady.cpu.run / d.steady.cpu.ch))),
    row('Kafka broker CPU per point, steady', r.drains.map((d) => `${f2(us(d.steady.cpu.kafka, d.steady.points))} µs`)),
    row('whole drain, from cold (creating 100,000 series, warming detectors)', r.drains.map((d) => `${n(d.points / d.drainS)} points/s (${n(d.points)} in ${f1(d.drainS)} s)`)),
    row('whole drain: run CPU per point / ClickHouse per row / ratio', r.drains.map((d) => `${f2(us(d.cpu.run, d.points))} / ${f2(us(d.cpu.ch, d.points))} µs / ${f2(d.cpu.run / d.cpu.ch)}`)),
    row('whole drain: CPU seconds run / ClickHouse / Kafka', r.drains.map((d) => `${f1(d.cpu.run)} / ${f1(d.cpu.ch)} / ${f1(d.cpu.kafka)}`)),
    row('decode + detect + hand to writer, best 1 s / median 1 s', r.drains.map((d) => `${n(d.decodePeak)} / ${n(d.decodeMedian)} points/s`)),
    row(`run RSS: before data / with ${n(r.drains[0]?.live ?? 0)} live series / peak`, r.drains.map((d) => `${n(r.rssBase)} / ${n(d.rssLive)} / ${n(d.peakRss)} MB`)),
    row('producing the backlog (kafkajs, acks=all)', r.drains.map((d) => `${n(d.produceRate)} points/s`)),
    '',
    `End-to-end lag (otlp_proto) at a steady ${n(r.latency.rate)} points/s, produce → stored: p50 ${n(r.latency.p50)} ms, p99 ${n(r.latency.p99)} ms, max ${n(r.latency.max)} ms.`,
    '',
    '## Memory per live series (bench/pipeline/memory.ts, in a fresh process, after full GCs)',
    '',
    "Everything one instance keeps per series: decoder caches (series identities, and a counter's last point), the series table, the streaming detector, and what the writer needs to encode a series' rows (its metric and id tail, shared with the series of its resource that have the same attributes: the id and the labels column are written from them; counted with the formats state, as the decoder makes them). The feed hands every batch's rows to the RowBinary encoder, as `run` does. Measured in process without Kafka (the same processor `run` uses), fed as the Collector's Kafka exporter writes (otlp_proto, its default) and as OTLP/JSON, once with gauges and once with monotonic cumulative sums (counters). V8 keeps typed arrays over 64 bytes outside its heap; they are counted apart and in the total.",
    '',
    'Command: `npm run build && node --expose-gc --max-old-space-size=14336 dist/bench/pipeline/memory.js 100000 4 gauge otlp_proto` (and `sum`, `otlp_json`, `1000000`).',
    '',
    '| live series | metrics | encoding | points per series | V8 heap | typed-array stores | total | of which detector / formats state (series identities, counters) / the rest (series table) | process RSS |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|',
    ...r.memory.map((m) => `| ${n(m.series)} | ${m.kind === 'sum' ? 'counters' : 'gauges'} | ${m.encoding} | ${m.pointsPerSeries} | ${n(m.heapPerSeries)} B | ${n(m.externalPerSeries)} B | **${n(m.totalPerSeries)} B** | ${n(m.detectorPerSeries)} / ${n(m.formatsPerSeries)} / ${n(m.totalPerSeries - m.detectorPerSeries - m.formatsPerSeries)} B | ${n(m.rssMb)} MB |`),
    '',
    'The detector column is measured on 20,000 detectors (their pool’s last chunk part empty) and the rest column is what is left of the total.',
    '',
  ];
  if (r.profile !== undefined) lines.push('Profile of the otlp_proto drain: [pipeline-profile.md](pipeline-profile.md).', '');
  const md = lines.join('\n');
  console.log(md);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'pipeline.md'), md);
  if (r.profile !== undefined) writeFileSync(join(root, 'bench', 'results', 'pipeline-profile.md'), profileMd(r.profile));
}

function row(label: string, cells: string[]): string {
  return `| ${label} | ${cells.join(' | ')} |`;
}

function profileMd(p: Profile): string {
  const lines = [
    '# Where the time goes: `node --cpu-prof` of `epicenter run` draining the otlp_proto backlog',
    '',
    `Written by \`npm run bench:pipeline\` (bench/pipeline/run.ts); ${n(p.top.total)} ms sampled. Self time.`,
    '',
    '| area | self time |',
    '|---|---:|',
    ...p.areas.slice(0, 14).map((a) => `| ${a.area} | ${(a.share * 100).toFixed(1)}% |`),
    '',
    '| function | where | ms | share |',
    '|---|---|---:|---:|',
    ...p.top.top.map((f) => `| ${f.fn} | ${f.where} | ${n(f.ms)} | ${(f.share * 100).toFixed(1)}% |`),
    '',
  ];
  return lines.join('\n');
}
