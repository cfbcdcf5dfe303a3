import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { collectorConfig, collectorSh, freePort, nodeNamed, startCollector } from './helpers/collector';
import { isolatedDeployment } from './helpers/deployment';
import type { SentPoint } from './helpers/otel-sender';
import { FIRST_POINT_SPAN_MS } from '../../src/formats/rate';
import { deploymentEnv, RunProcess } from './helpers/runner';
import { ROOT, uniqueName, waitFor } from './helpers/services';

/**
 * A real OpenTelemetry Collector (built by scripts/collector/build.sh) between real instrumented
 * processes and epicenter: two node processes report through the OpenTelemetry JS SDK's OTLP/HTTP
 * exporter (one cumulative, one delta) to the Collector's otlp receiver, its host_metrics process
 * scraper watches the same processes, and its kafka exporter writes to Kafka — once with its
 * default encoding (otlp_proto) and once with otlp_json — for `epicenter run` (encoding left on
 * auto) to store in ClickHouse. The SDK processes print every point they exported, so the rows
 * are checked one for one; host metrics against what the process itself holds.
 */
const SENDER = 'epi-snd';
const HOLD_FDS = 40;

for (const encoding of ['otlp_proto', 'otlp_json'] as const) {
  describe(`Collector (real, ${encoding}${encoding === 'otlp_proto' ? ', the default' : ''}) → Kafka → epicenter run → ClickHouse`, function () {
    this.timeout(300_000);
    const name = uniqueName(`col_${encoding}`);
    let run: RunProcess | undefined;
    after(async () => {
      await run?.stop();
      await collectorSh(['stop', name]);
    });
    const dep = isolatedDeployment(`e2col_${encoding === 'otlp_proto' ? 'pb' : 'js'}`, 2);
    const d = dep.d;

    before(async function () {
      this.timeout(3_600_000); // a first build of the Collector takes ~20 min on 2 cores; then cached
      await collectorSh(['build']);
    });

    it('stores every exported SDK point row for row, and the scraped fds, threads and memory of the same processes', async () => {
      const db = dep.db();
      run = new RunProcess(deploymentEnv(d), `run-${encoding}`);
      await run.ready();
      const port = await freePort();
      await startCollector(name, collectorConfig({ otlpPort: port, topic: d.metrics, ...(encoding === 'otlp_proto' ? {} : { encoding }), processNames: [SENDER] }));

      const node = nodeNamed(SENDER);
      const services = [`col-cumulative-${encoding}`, `col-delta-${encoding}`];
      const senders = await Promise.all(services.map((service, i) => sender(node, { OTLP_URL: `http://127.0.0.1:${port}/v1/metrics`, SERVICE: service, TEMPORALITY: i === 0 ? 'cumulative' : 'delta' })));

      for (const [i, service] of services.entries()) {
        const s = senders[i]!;
        const want = expectedRows(s.points);
        assert.ok(want.length >= 20, `${service}: only ${want.length} expected rows`);
        const sql = `SELECT metric, toString(t_ms) AS t, value FROM ${d.database}.points FINAL WHERE service = '${service}'`;
        const got = await waitFor(`${service}: ${want.length} rows`, () => db.rows(sql), (r) => r.length >= want.length, 90_000);
        assert.deepEqual(got.map((r) => row(String(r['metric']), Number(r['t']), Number(r['value']))).sort(), want.sort(), service);

        // host_metrics: process scraper rows of this very process (resource attribute process.pid)
        const pid = `%"process.pid":"${s.pid}"%`;
        const scraped = `SELECT metric, max(value) AS v FROM ${d.database}.points WHERE labels LIKE '${pid}' GROUP BY metric`;
        const byMetric = await waitFor(`host metrics of pid ${s.pid}`, async () => new Map((await db.rows(scraped)).map((r) => [String(r['metric']), Number(r['v'])])), (m) => m.has('process.open_file_descriptors') && m.has('process.threads') && m.has('process.memory.usage'), 60_000);
        const fds = byMetric.get('process.open_file_descriptors')!;
        assert.ok(fds >= HOLD_FDS && fds < HOLD_FDS + 200, `open fds ${fds}: holds ${HOLD_FDS} plus node's own`);
        assert.ok(byMetric.get('process.threads')! >= 2, 'node runs several threads');
        assert.ok(byMetric.get('process.memory.usage')! > 10e6, 'resident memory of a node process');
      }
      const letters = await db.deadLetters();
      assert.equal(letters, 0, 'nothing the Collector sent was dead-lettered');
      assert.equal(await run.stop(), 0);
    });
  });
}

interface Sent {
  readonly pid: number;
  readonly points: SentPoint[];
}

/** Runs otel-sender.ts under the executable name `node` (a symlink) until it exits. */
function sender(node: string, env: Record<string, string>): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['--import', 'tsx', join(__dirname, 'helpers', 'otel-sender.ts')], {
      cwd: ROOT,
      env: { ...process.env, ROUNDS: '6', HOLD_FDS: String(HOLD_FDS), LINGER_MS: '3500', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const points: SentPoint[] = [];
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.startsWith('{')) points.push(JSON.parse(l) as SentPoint);
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => (code === 0 ? resolve({ pid: child.pid!, points }) : reject(new Error(`sender ${env['SERVICE']} exited ${code}: ${stderr}`))));
  });
}

const row = (metric: string, t: number, v: number): string => `${metric}|${t}|${Number(v.toPrecision(12))}`;

/**
 * What epicenter should store for the exported points, by OTLP's rules: gauges and non-monotonic
 * sums as they are; monotonic sums as per-second rates (cumulative: between consecutive points;
 * delta: over [start, time]); histograms as `.count` per second and `.mean` over the same interval.
 */
function expectedRows(points: readonly SentPoint[]): string[] {
  const out: string[] = [];
  const last = new Map<string, SentPoint>();
  for (const p of points) {
    const key = `${p.metric}${JSON.stringify(p.attributes)}`;
    if (p.type === 'gauge' || (p.type === 'sum' && !p.monotonic)) {
      out.push(row(p.metric, p.timeMs, p.value));
      continue;
    }
    const count = p.type === 'histogram' ? `${p.metric}.count` : p.metric;
    if (p.delta) {
      out.push(row(count, p.timeMs, (p.value * 1000) / (p.timeMs - p.startMs)));
      if (p.type === 'histogram' && p.count! > 0) out.push(row(`${p.metric}.mean`, p.timeMs, p.sum! / p.count!));
      continue;
    }
    const prev = last.get(key);
    last.set(key, p);
    if (prev === undefined) {
      // Started minutes before its first point (the sender's meter began with the test): a rate since then.
      const span = p.timeMs - p.startMs;
      if (span <= 0 || span > FIRST_POINT_SPAN_MS) continue;
      out.push(row(count, p.timeMs, (p.value * 1000) / span));
      if (p.type === 'histogram' && p.value > 0) out.push(row(`${p.metric}.mean`, p.timeMs, p.sum! / p.value));
      continue;
    }
    const dv = p.value - prev.value;
    out.push(row(count, p.timeMs, (dv * 1000) / (p.timeMs - prev.timeMs)));
    if (p.type === 'histogram' && dv > 0) out.push(row(`${p.metric}.mean`, p.timeMs, (p.sum! - prev.sum!) / dv));
  }
  return out;
}
