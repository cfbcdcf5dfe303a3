/**
 * End-to-end pipeline benchmark on this machine: OTLP/JSON on Kafka → a real `epicenter run`
 * process → ClickHouse. Needs the services (`bash scripts/services.sh up`).
 *   1. throughput: a backlog of OTLP requests (1,000 points each, 100,000 live series) is produced
 *      first, then `run` starts and drains it; points/s = points / (first join → last row stored);
 *   2. end-to-end lag: requests produced at a steady rate below capacity; the run process reports
 *      produce time (Kafka record timestamp) → rows stored, p50/p99 per second;
 *   3. memory: RSS of the run process before data and with 100,000 live series;
 *   4. scale-out: the backlog drained again by two instances in one consumer group;
 *   5. profile: the drain again under `node --cpu-prof`; self time by area and top functions.
 * Prints tables and writes bench/results/pipeline.md.
 *
 * Run: npm run bench:pipeline   (options: --points N, --latency-s S, --no-profile)
 */
import { createClient } from '@clickhouse/client';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { request, type GenSpec } from './gen';
import { byArea, topFunctions } from './profile';
import { retainedPerSeries } from './retained';
import { report } from './report';

const ROOT = join(__dirname, '..', '..', '..');
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const POINTS = arg('points', 3_000_000);
const LATENCY_S = arg('latency-s', 30);
const PROFILE = !process.argv.includes('--no-profile');
const SPEC: GenSpec = { resources: 500, metrics: 200, times: 5, stepMs: 10_000 };
const SERIES = SPEC.resources * SPEC.metrics;
const PARTITIONS = 8;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Proc {
  pid: number;
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

function startRun(env: Record<string, string>, nodeArgs: string[] = []): Proc {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'bin', 'epicenter.js'), 'run'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const logs: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    try {
      logs.push(JSON.parse(l) as Record<string, unknown>);
    } catch {
      /* not JSON */
    }
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return {
    pid: child.pid ?? -1,
    logs,
    exited,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function until<T>(what: string, f: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs: number, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what} (last ${JSON.stringify(v)})`);
    await sleep(everyMs);
  }
}

/** utime+stime of a process, seconds (0 when gone). */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) / 1024;
  } catch {
    return 0;
  }
}

function servicePid(name: string): number {
  try {
    return Number(readFileSync(join(ROOT, '.services', name, 'pid'), 'utf8').trim());
  } catch {
    return -1;
  }
}

async function main(): Promise<void> {
  const id = `bench_${Date.now().toString(36)}`;
  const topics = { metrics: `${id}.otlp`, collectd: `${id}.collectd`, changes: `${id}.changes`, deadLetter: `${id}.dlq` };
  const env = (db: string, group: string): Record<string, string> => ({
    EPICENTER_KAFKA_GROUP_ID: group,
    EPICENTER_KAFKA_TOPICS_METRICS: topics.metrics,
    EPICENTER_KAFKA_TOPICS_COLLECTD: topics.collectd,
    EPICENTER_KAFKA_TOPICS_CHANGES: topics.changes,
    EPICENTER_KAFKA_TOPICS_DEAD_LETTER: topics.deadLetter,
    EPICENTER_CLICKHOUSE_DATABASE: db,
    EPICENTER_HTTP_PORT: '0',
    EPICENTER_PIPELINE_STATS_INTERVAL_MS: '1000',
  });
  const kafka = new Kafka({ clientId: 'bench', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [topics.metrics, topics.collectd, topics.changes].map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const ch = createClient({ url: 'http://127.0.0.1:8123', request_timeout: 60_000 });
  const count = async (db: string): Promise<number> => {
    try {
      const rs = await ch.query({ query: `SELECT count() AS n FROM ${db}.points`, format: 'JSONEachRow' });
      return Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
    } catch {
      return 0;
    }
  };
  const nMessages = Math.ceil(POINTS / (SPEC.metrics * SPEC.times));
  const points = nMessages * SPEC.metrics * SPEC.times;
  const t0 = Date.now() - 3 * 86_400_000;
  const produce = async (from: number, to: number, start: number): Promise<void> => {
    for (let k = from; k < to; k += 20) {
      const msgs = [];
      for (let j = k; j < Math.min(to, k + 20); j++) msgs.push(request(SPEC, j, start));
      await producer.send({ topic: topics.metrics, acks: -1, messages: msgs.map((m) => ({ key: m.key, value: m.value })) });
    }
  };
  const sample = request(SPEC, 0, t0);
  console.log(`bench:pipeline: ${nMessages} requests × ${SPEC.metrics * SPEC.times} points (${(sample.value.length / 1024).toFixed(0)} KiB each) = ${points.toLocaleString()} points, ${SERIES.toLocaleString()} series, ${PARTITIONS} partitions`);

  // Memory before any data: a fresh run on the empty topics.
  const baseDb = `${id}_base`;
  const base = startRun(env(baseDb, `${id}-base`));
  await until('baseline run ready', () => base.logs.some((l) => l['msg'] === 'epicenter run: started'), (x) => x, 120_000);
  await sleep(3000);
  const rssBase = rssMb(base.pid);
  await base.stop();

  console.log('producing the backlog…');
  const tp = Date.now();
  await produce(0, nMessages, t0);
  const produceS = (Date.now() - tp) / 1000;

  // 1. Throughput: drain the backlog.
  const db = `${id}_db`;
  const chPid = servicePid('clickhouse');
  const kPid = servicePid('kafka');
  const run = startRun(env(db, `${id}-g`));
  await until('run joined', () => run.logs.find((l) => l['msg'] === 'kafka: joined group' && l['consumer'] === 'metrics'), (x) => x !== undefined, 120_000);
  const cpu0 = { run: cpuSeconds(run.pid), ch: cpuSeconds(chPid), kafka: cpuSeconds(kPid) };
  const tStart = Date.now();
  let peakRss = 0;
  await until('backlog stored', async () => ((peakRss = Math.max(peakRss, rssMb(run.pid))), count(db)), (n) => n >= points, 1_800_000, 250);
  const drainS = (Date.now() - tStart) / 1000;
  const cpu = { run: cpuSeconds(run.pid) - cpu0.run, ch: cpuSeconds(chPid) - cpu0.ch, kafka: cpuSeconds(kPid) - cpu0.kafka };
  await sleep(2000);
  const stats = run.logs.filter((l) => l['msg'] === 'pipeline stats');
  const live = Number(stats.at(-1)?.['liveSeries'] ?? 0);
  const rssLive = rssMb(run.pid);
  const decodeRates = stats.map((l) => Number(l['pointsPerSec'])).filter((x) => x > 0).sort((a, b) => b - a);

  // 2. Lag at a steady rate: half of what was just sustained, fresh timestamps.
  const rate = Math.max(20_000, Math.round(points / drainS / 2));
  const perSec = Math.max(1, Math.round(rate / (SPEC.metrics * SPEC.times)));
  const latFrom = run.logs.length;
  const tl = Date.now();
  let k = nMessages;
  while (Date.now() - tl < LATENCY_S * 1000) {
    const tick = Date.now();
    await produce(k, k + perSec, t0);
    k += perSec;
    await sleep(Math.max(0, 1000 - (Date.now() - tick)));
  }
  await sleep(3000);
  const lat = run.logs.slice(latFrom).filter((l) => l['msg'] === 'pipeline stats' && (l['e2eMs'] as { count: number }).count > 0).map((l) => l['e2eMs'] as { p50: number; p99: number; max: number });
  const p50s = lat.map((x) => x.p50).sort((a, b) => a - b);
  const latency = { p50: p50s[Math.floor(p50s.length / 2)] ?? 0, p99: lat.reduce((m, x) => Math.max(m, x.p99), 0), max: lat.reduce((m, x) => Math.max(m, x.max), 0) };
  await run.stop();

  // 3. Scale-out: the same backlog drained by two instances in one group (new group, new database).
  const sdb = `${id}_two`;
  const two = [startRun(env(sdb, `${id}-two`)), startRun(env(sdb, `${id}-two`))];
  await until('both joined', () => two.every((p) => p.logs.some((l) => l['msg'] === 'kafka: joined group' && l['consumer'] === 'metrics')), (x) => x, 120_000);
  const tTwo = Date.now();
  await until('backlog stored by two', () => count(sdb), (n) => n >= points, 1_800_000, 250);
  const twoS = (Date.now() - tTwo) / 1000;
  await Promise.all(two.map((p) => p.stop()));
  await ch.command({ query: `DROP DATABASE IF EXISTS ${sdb}` });

  // 4. Profile: the same backlog drained again by a profiled process (new group, new database).
  let profile: { areas: { area: string; share: number }[]; top: ReturnType<typeof topFunctions> } | undefined;
  if (PROFILE) {
    const dir = join(tmpdir(), `${id}-prof`);
    mkdirSync(dir, { recursive: true });
    const pdb = `${id}_prof`;
    const prun = startRun(env(pdb, `${id}-prof`), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    await until('profiled drain', () => count(pdb), (n) => n >= points, 1_800_000, 500);
    await prun.stop();
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file !== undefined) profile = { areas: byArea(join(dir, file)), top: topFunctions(join(dir, file), 15) };
    rmSync(dir, { recursive: true, force: true });
    await ch.command({ query: `DROP DATABASE IF EXISTS ${pdb}` });
  }

  for (const d of [db, baseDb]) await ch.command({ query: `DROP DATABASE IF EXISTS ${d}` });
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.deleteGroups([`${id}-g`, `${id}-base`, `${id}-prof`, `${id}-two`]).catch(() => undefined);
  await producer.disconnect();
  await admin.disconnect();
  await ch.close();

  const retained = retainedPerSeries(SPEC, 6);
  const r = {
    retained,
    points,
    drainS,
    e2e: Math.round(points / drainS),
    two: Math.round(points / twoS),
    twoS,
    decodePeak: decodeRates[0] ?? 0,
    decodeMedian: decodeRates[Math.floor(decodeRates.length / 2)] ?? 0,
    produceRate: Math.round(points / produceS),
    latency,
    rate,
    rssBase,
    rssLive,
    peakRss,
    live,
    cpu,
    profile,
  };
  report(ROOT, SPEC, PARTITIONS, r);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
