import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { GenSpec } from './gen';
import type { topFunctions } from './profile';

/** Print the results as Markdown and write bench/results/pipeline.md under `root`. */
export function report(root: string, SPEC: GenSpec, PARTITIONS: number, r: {
  retained: { processor: number; detector: number; formats: number };
  points: number;
  drainS: number;
  e2e: number;
  two: number;
  twoS: number;
  decodePeak: number;
  decodeMedian: number;
  produceRate: number;
  latency: { p50: number; p99: number; max: number };
  rate: number;
  rssBase: number;
  rssLive: number;
  peakRss: number;
  live: number;
  cpu: { run: number; ch: number; kafka: number };
  profile?: { areas: { area: string; share: number }[]; top: ReturnType<typeof topFunctions> };
}): void {
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  const perSeries = ((r.rssLive - r.rssBase) / Math.max(1, r.live)) * 100_000;
  const cpuTotal = r.cpu.run + r.cpu.ch + r.cpu.kafka;
  const lines = [
    '# Pipeline benchmark: Kafka → epicenter run → ClickHouse',
    '',
    `Command: \`npm run bench:pipeline\` (bench/pipeline/run.ts; services from \`bash scripts/services.sh up\`). Node ${process.version}, ${cpus().length} cores shared with Kafka 4.1.1, ClickHouse 18.16 and other work (load average ${loadavg()[0]?.toFixed(1)} at the end).`,
    `Input: OTLP/JSON requests as the Collector's Kafka exporter writes them after batching — one resource per request, ${SPEC.metrics} gauges × ${SPEC.times} points = ${SPEC.metrics * SPEC.times} points per message; ${SPEC.resources} resources → ${n(SPEC.resources * SPEC.metrics)} live series; ${PARTITIONS} partitions; one \`run\` process.`,
    '',
    '| measure | value |',
    '|---|---:|',
    `| sustained end to end (backlog of ${n(r.points)} points: first join → last row in ClickHouse) | **${n(r.e2e)} points/s** (${r.drainS.toFixed(1)} s) |`,
    `| the same backlog, two \`run\` instances in one group | ${n(r.two)} points/s (${r.twoS.toFixed(1)} s) |`,
    `| decode + detect + hand to writer (one instance), best 1 s / median 1 s | ${n(r.decodePeak)} / ${n(r.decodeMedian)} points/s |`,
    `| end-to-end lag at ${n(r.rate)} points/s (produce → stored), p50 / p99 / max | ${n(r.latency.p50)} / ${n(r.latency.p99)} / ${n(r.latency.max)} ms |`,
    `| run RSS: before data / with ${n(r.live)} live series / peak while draining | ${n(r.rssBase)} / ${n(r.rssLive)} / ${n(r.peakRss)} MB |`,
    `| RSS growth per 100,000 live series (includes garbage and GC headroom) | ${n(perSeries)} MB |`,
    `| heap retained per live series after GC (in process): all / detector / formats rate state + series cache | ${n(r.retained.processor)} / ${n(r.retained.detector)} / ${n(r.retained.formats)} bytes |`,
    `| CPU seconds during the drain: epicenter run / ClickHouse / Kafka | ${r.cpu.run.toFixed(1)} / ${r.cpu.ch.toFixed(1)} / ${r.cpu.kafka.toFixed(1)} (${((r.cpu.run / Math.max(0.001, cpuTotal)) * 100).toFixed(0)}% epicenter) |`,
    `| producing the backlog (kafkajs, acks=all) | ${n(r.produceRate)} points/s |`,
    '',
  ];
  if (r.profile !== undefined) {
    lines.push(`## Where the time goes (\`node --cpu-prof\` of the run process, ${n(r.profile.top.total)} ms sampled)`, '', '| area | self time |', '|---|---:|');
    for (const a of r.profile.areas.slice(0, 12)) lines.push(`| ${a.area} | ${(a.share * 100).toFixed(1)}% |`);
    lines.push('', '| top functions (self) | where | ms | share |', '|---|---|---:|---:|');
    for (const f of r.profile.top.top) lines.push(`| ${f.fn} | ${f.where} | ${n(f.ms)} | ${(f.share * 100).toFixed(1)}% |`);
    lines.push('');
  }
  const md = lines.join('\n');
  console.log(md);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'pipeline.md'), md);
}
