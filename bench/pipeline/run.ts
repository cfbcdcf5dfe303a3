/**
 * End-to-end pipeline benchmark on this machine: OTLP on Kafka → a real `epicenter run` process →
 * ClickHouse, once per encoding the Collector's Kafka exporter writes (otlp_proto, its default,
 * and otlp_json). Needs the services (`bash scripts/services.sh up`; EPICENTER_SERVICES_DIR when
 * they were started from another checkout, for their CPU figures). Per encoding:
 *   1. throughput: a backlog of requests (1,000 points each, 100,000 live series, 40 points per
 *      series) is produced first, then `run` starts and drains it. Reported for the whole drain
 *      (first join → last row stored: it includes creating every series and warming its
 *      detector) and for its steady second half (from the moment half the rows are stored);
 *      CPU seconds of run, ClickHouse and Kafka over each → µs per point / per row;
 *   2. profile (otlp_proto, unless --no-profile): the same drain under `node --cpu-prof`.
 * Then the end-to-end lag at a steady rate (otlp_proto), and in a child process the heap
 * retained per live series after GC at 100,000 and 1,000,000 series (./memory.ts).
 * Prints tables and writes bench/results/pipeline.md and bench/results/pipeline-profile.md.
 *
 * Run: npm run bench:pipeline   (options: --points N per encoding, --latency-s S, --no-profile, --no-million)
 */
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { encodedRequest, type Encoding, type GenSpec } from './gen';
import { byArea, topFunctions } from './profile';
import { cpuSeconds, rssMb, servicePid, sleep, startRun, until } from './procs';
import { report, type Drain, type Memory } from './report';

const ROOT = join(__dirname, '..', '..', '..');
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const POINTS = arg('points', 4_000_000);
const LATENCY_S = arg('latency-s', 15);
const PROFILE = !process.argv.includes('--no-profile');
const MILLION = !process.argv.includes('--no-million');
const SPEC: GenSpec = { resources: 500, metrics: 200, times: 5, stepMs: 10_000 };
const PARTITIONS = 8;
const ENCODINGS: Encoding[] = ['otlp_proto', 'otlp_json'];

async function main(): Promise<void> {
  const id = `bench_${Date.now().toString(36)}`;
  const kafka = new Kafka({ clientId: 'bench', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const ch = createClient({ url: 'http://127.0.0.1:8123', request_timeout: 60_000, log: { level: ClickHouseLogLevel.OFF } });
  const topicsMade: string[] = [];
  const groups: string[] = [];
  const dbs: string[] = [];
  const topicOf = (enc: Encoding): string => `${id}.${enc}`;
  const lagTopic = `${id}.lag`;
  const env = (topic: string, db: string, group: string): Record<string, string> => {
    groups.push(group);
    dbs.push(db);
    return {
      EPICENTER_KAFKA_GROUP_ID: group,
      EPICENTER_KAFKA_TOPICS_METRICS: topic,
      EPICENTER_KAFKA_TOPICS_COLLECTD: `${id}.collectd`,
      EPICENTER_KAFKA_TOPICS_CHANGES: `${id}.changes`,
      EPICENTER_KAFKA_TOPICS_DEAD_LETTER: `${id}.dlq`,
      EPICENTER_CLICKHOUSE_DATABASE: db,
      EPICENTER_HTTP_PORT: '0',
      EPICENTER_PIPELINE_STATS_INTERVAL_MS: '1000',
    };
  };
  const count = async (db: string): Promise<number> => {
    try {
      const rs = await ch.query({ query: `SELECT count() AS n FROM ${db}.points`, format: 'JSONEachRow' });
      return Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
    } catch {
      return 0;
    }
  };
  const perMessage = SPEC.metrics * SPEC.times;
  const nMessages = Math.ceil(POINTS / perMessage);
  const points = nMessages * perMessage;
  const warmPoints = Math.floor(nMessages / 2) * perMessage;
  const t0 = Date.now() - 3 * 86_400_000;
  const produce = async (topic: string, enc: Encoding, from: number, to: number, start: number): Promise<void> => {
    for (let k = from; k < to; k += 20) {
      const msgs = [];
      for (let j = k; j < Math.min(to, k + 20); j++) msgs.push(encodedRequest(SPEC, j, start, enc));
      await producer.send({ topic, acks: -1, messages: msgs.map((m) => ({ key: m.key, value: m.value })) });
    }
  };
  const newTopics = [...ENCODINGS.map(topicOf), lagTopic, `${id}.collectd`, `${id}.changes`];
  await admin.createTopics({ topics: newTopics.map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
  topicsMade.push(...newTopics);
  const chPid = servicePid(ROOT, 'clickhouse');
  const kPid = servicePid(ROOT, 'kafka');
  if (chPid < 0 || kPid < 0) console.warn('bench:pipeline: service pids unknown (set EPICENTER_SERVICES_DIR): their CPU is not reported');

  // Memory before any data: a fresh run on the empty topics.
  const base = startRun(ROOT, env(lagTopic, `${id}_base`, `${id}-base`));
  await until('baseline run ready', () => base.logs.some((l) => l['msg'] === 'epicenter run: started'), (x) => x, 120_000);
  await sleep(3000);
  const rssBase = rssMb(base.pid);
  await base.stop();

  const drains: Drain[] = [];
  let profile: { areas: { area: string; share: number }[]; top: ReturnType<typeof topFunctions> } | undefined;
  for (const enc of ENCODINGS) {
    const sample = encodedRequest(SPEC, 0, t0, enc);
    console.log(`bench:pipeline ${enc}: ${nMessages} requests × ${perMessage} points (${(sample.value.length / 1024).toFixed(0)} KiB each) = ${points.toLocaleString()} points`);
    const tp = Date.now();
    await produce(topicOf(enc), enc, 0, nMessages, t0);
    const produceS = (Date.now() - tp) / 1000;
    const db = `${id}_${enc}`;
    const run = startRun(ROOT, env(topicOf(enc), db, `${id}-${enc}`));
    await until('run joined', () => run.logs.find((l) => l['msg'] === 'kafka: joined group' && l['consumer'] === 'metrics'), (x) => x !== undefined, 120_000);
    const cpuNow = () => ({ run: cpuSeconds(run.pid), ch: cpuSeconds(chPid), kafka: cpuSeconds(kPid) });
    const minus = (a: Drain['cpu'], b: Drain['cpu']): Drain['cpu'] => ({ run: a.run - b.run, ch: a.ch - b.ch, kafka: a.kafka - b.kafka });
    const cpu0 = cpuNow();
    const tStart = Date.now();
    let peakRss = 0;
    const stored = async (): Promise<number> => ((peakRss = Math.max(peakRss, rssMb(run.pid))), count(db));
    // The first half creates the 100,000 series and warms their detectors; the second is steady state.
    const warmRows = await until('warm-up half stored', stored, (n) => n >= warmPoints, 1_800_000, 100);
    const cpu1 = cpuNow();
    const t1 = Date.now();
    await until('backlog stored', stored, (n) => n >= points, 1_800_000, 100);
    const t2 = Date.now();
    const cpu2 = cpuNow();
    await sleep(2000);
    const stats = run.logs.filter((l) => l['msg'] === 'pipeline stats');
    const rates = stats.map((l) => Number(l['pointsPerSec'])).filter((x) => x > 0).sort((a, b) => b - a);
    drains.push({
      encoding: enc, bytes: sample.value.length, points, drainS: (t2 - tStart) / 1000, cpu: minus(cpu2, cpu0), peakRss,
      steady: { points: points - warmRows, s: (t2 - t1) / 1000, cpu: minus(cpu2, cpu1) }, rssLive: rssMb(run.pid), live: Number(stats.at(-1)?.['liveSeries'] ?? 0),
      decodePeak: rates[0] ?? 0, decodeMedian: rates[Math.floor(rates.length / 2)] ?? 0, produceRate: points / produceS,
    });
    await run.stop();
    if (PROFILE && enc === 'otlp_proto') profile = await profiled(enc, `${id}_prof`, `${id}-prof`);
  }

  // End-to-end lag at a steady rate (otlp_proto): half of what was just sustained, fresh timestamps.
  const rate = Math.max(20_000, Math.round((drains[0]?.points ?? 0) / (drains[0]?.drainS ?? 1) / 2));
  const perSec = Math.max(1, Math.round(rate / perMessage));
  const lrun = startRun(ROOT, env(lagTopic, `${id}_lag`, `${id}-lag`));
  await until('lag run joined', () => lrun.logs.some((l) => l['msg'] === 'kafka: joined group' && l['consumer'] === 'metrics'), (x) => x, 120_000);
  const latFrom = lrun.logs.length;
  const tl = Date.now();
  for (let k = nMessages; Date.now() - tl < LATENCY_S * 1000; k += perSec) {
    const tick = Date.now();
    await produce(lagTopic, 'otlp_proto', k, k + perSec, t0);
    await sleep(Math.max(0, 1000 - (Date.now() - tick)));
  }
  await sleep(3000);
  const lat = lrun.logs.slice(latFrom).filter((l) => l['msg'] === 'pipeline stats' && (l['e2eMs'] as { count: number }).count > 0).map((l) => l['e2eMs'] as { p50: number; p99: number; max: number });
  const p50s = lat.map((x) => x.p50).sort((a, b) => a - b);
  const latency = { rate, p50: p50s[Math.floor(p50s.length / 2)] ?? 0, p99: lat.reduce((m, x) => Math.max(m, x.p99), 0), max: lat.reduce((m, x) => Math.max(m, x.max), 0) };
  await lrun.stop();

  for (const d of new Set(dbs)) await ch.command({ query: `DROP DATABASE IF EXISTS ${d}` });
  await admin.deleteTopics({ topics: [...topicsMade, `${id}.dlq`] }).catch(() => undefined);
  await admin.deleteGroups([...new Set(groups)]).catch(() => undefined);
  await producer.disconnect();
  await admin.disconnect();
  await ch.close();

  // Heap per live series in a fresh process (exposed GC, nothing else on its heap).
  const memory: Memory[] = [];
  // Gauges and counters (which keep rate state too), as the Collector sends them (otlp_proto) and as OTLP/JSON.
  const cases: [number, string, Encoding][] = [[100_000, 'gauge', 'otlp_proto'], [100_000, 'sum', 'otlp_proto'], [100_000, 'gauge', 'otlp_json'], [100_000, 'sum', 'otlp_json']];
  if (MILLION) cases.push([1_000_000, 'gauge', 'otlp_proto'], [1_000_000, 'sum', 'otlp_proto']);
  for (const [series, kind, encoding] of cases) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=14336', join(__dirname, 'memory.js'), String(series), '4', kind, encoding], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    memory.push(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Memory);
  }
  report(ROOT, SPEC, PARTITIONS, { drains, latency, rssBase, memory, profile });

  async function profiled(enc: Encoding, db: string, group: string): Promise<typeof profile> {
    const dir = join(tmpdir(), `${id}-prof`);
    mkdirSync(dir, { recursive: true });
    const prun = startRun(ROOT, env(topicOf(enc), db, group), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    await until('profiled drain', () => count(db), (n) => n >= points, 1_800_000, 500);
    await prun.stop();
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    const p = file === undefined ? undefined : { areas: byArea(join(dir, file)), top: topFunctions(join(dir, file), 20) };
    rmSync(dir, { recursive: true, force: true });
    return p;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
