import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { classifyGolden, stitchVersions } from '../../src/correlate';
import { failureRatios } from '../../src/correlate/failures';
import { makeSeries } from '../../src/domain/series';
import type { Point } from '../../src/domain/types';
import type { SeriesData } from '../../src/ports';
import { peerService } from '../../src/topology';
import { collectorSh, freePort, spanMetricsConfig, startCollector } from './helpers/collector';
import { isolatedDeployment } from './helpers/deployment';
import type { SentSpans } from './helpers/span-sender';
import { deploymentEnv, RunProcess } from './helpers/runner';
import { ROOT, uniqueName, waitFor } from './helpers/services';

/**
 * Many shops get their golden signals from traces: the Collector's span metrics connector counts
 * spans (`traces.span.metrics.calls`) and times them (`traces.span.metrics.duration`, in ms) per
 * service, span name, kind and status. A real node process sends spans through the OpenTelemetry
 * JS SDK to a real Collector, whose connector's metrics go through Kafka to `epicenter run` and
 * ClickHouse; what is stored must read as the correlator needs it: a CLIENT span's duration as
 * the calls to the `peer.service` it names (not the service's own latency), the calls as requests
 * and, by `status.code`, failures, with the failed share the sender made.
 */
const PEER = 'payments';
const SENT = { SERVED: 10, FAILED: 2, SERVER_MS: 50, CLIENT_MS: 20 } as const;

describe('Collector span metrics (real) → Kafka → epicenter run → ClickHouse', function () {
  this.timeout(300_000);
  const name = uniqueName('col_spans');
  const service = `span-api-${process.pid}`;
  let run: RunProcess | undefined;
  after(async () => {
    await run?.stop();
    await collectorSh(['stop', name]);
  });
  const dep = isolatedDeployment('e2spans', 1);
  const d = dep.d;

  before(async function () {
    this.timeout(3_600_000); // a first build of the Collector takes minutes; then cached
    await collectorSh(['build']);
  });

  it("reads a CLIENT span's duration as calls to its peer, a SERVER span's as the service's own, and calls by status as requests and failures", async () => {
    const db = dep.db();
    run = new RunProcess(deploymentEnv(d), 'run-spans');
    await run.ready();
    const port = await freePort();
    await startCollector(name, spanMetricsConfig({ otlpPort: port, topic: d.metrics }));
    const sent = await sendSpans({ OTLP_URL: `http://127.0.0.1:${port}/v1/traces`, SERVICE: service, PEER, ROUNDS: '5' });
    assert.equal(sent.served, 5 * SENT.SERVED);

    const sql = `SELECT metric, labels, toString(t_ms) AS t, value FROM ${d.database}.points FINAL WHERE service = '${service}' ORDER BY t_ms`;
    const got = await waitFor('span metrics of every kind and status', async () => (await db.rows(sql)).map(stored), (rows) => kinds(rows) >= 4, 90_000);

    const known = new Set([service, PEER]);
    const client = got.filter((r) => part(r) === 'client mean');
    const server = got.filter((r) => part(r) === 'server mean');
    assert.ok(client.length > 0 && server.length > 0, `means by kind: ${JSON.stringify(got.filter((r) => r.metric === MEAN).map((r) => r.labels))}`);
    for (const r of client) {
      assert.deepEqual(classifyGolden(r.metric, r.labels), { signal: 'latency', side: 'client', bad: 1 });
      assert.equal(peerService(r.labels, known, service), PEER);
      assert.ok(Math.abs(r.value - SENT.CLIENT_MS) < 0.01, `client mean ${r.value} ms`);
    }
    for (const r of server) {
      assert.deepEqual(classifyGolden(r.metric, r.labels), { signal: 'latency', side: 'server', bad: 1 });
      assert.ok(Math.abs(r.value - SENT.SERVER_MS) < 0.01, `server mean ${r.value} ms`);
    }

    const calls = got.filter((r) => part(r) === 'calls' || part(r) === 'failed calls');
    const failedCalls = calls.filter((r) => part(r) === 'failed calls');
    assert.ok(failedCalls.length > 0, `statuses: ${[...new Set(calls.map((r) => status(r.labels)))].join(', ')}`);
    for (const r of calls) assert.equal(classifyGolden(r.metric, r.labels).signal, failedCalls.includes(r) ? 'errors' : 'traffic');

    // The failed share, as the correlator derives it from the stored rates.
    const ratios = failureRatios(stitchVersions(asSeries(calls, service)), []);
    assert.equal(ratios.length, 1, ratios.map((s) => s.series.id).join(', '));
    const shares = ratios[0]?.points.map((p) => p.v) ?? [];
    assert.ok(shares.length >= 2, `${shares.length} failed-share points`);
    for (const v of shares) assert.ok(Math.abs(v - SENT.FAILED / SENT.SERVED) < 1e-6, `failed share ${v}`);

    const letters = await db.rows(`SELECT code, reason, substring(payload, 1, 300) AS payload FROM ${d.database}.dead_letters`);
    assert.deepEqual(letters, [], 'nothing the Collector sent was dead-lettered');
    assert.equal(await run.stop(), 0);
  });
});

interface Stored {
  readonly metric: string;
  readonly labels: Record<string, string>;
  readonly t: number;
  readonly value: number;
}

function stored(r: Record<string, unknown>): Stored {
  return { metric: String(r['metric']), labels: JSON.parse(String(r['labels'])) as Record<string, string>, t: Number(r['t']), value: Number(r['value']) };
}

/** The span status as the connector names it (`otel.status_code` behind a feature gate). */
const status = (labels: Record<string, string>): string => labels['status.code'] ?? labels['otel.status_code'] ?? '';

const MEAN = 'traces.span.metrics.duration.mean';
const CALLS = 'traces.span.metrics.calls';

/** Which of the parts the test reads a stored row is, if any. */
function part(r: Stored): 'client mean' | 'server mean' | 'calls' | 'failed calls' | undefined {
  const kind = r.labels['span.kind'];
  if (r.metric === MEAN && kind === 'SPAN_KIND_CLIENT') return 'client mean';
  if (r.metric === MEAN && kind === 'SPAN_KIND_SERVER') return 'server mean';
  if (r.metric === CALLS && kind === 'SPAN_KIND_SERVER') return /ERROR/.test(status(r.labels)) ? 'failed calls' : 'calls';
  return undefined;
}

/** How many of the four parts have arrived. */
function kinds(rows: readonly Stored[]): number {
  return new Set(rows.map(part).filter((x) => x !== undefined)).size;
}

/** The stored rows back as series, one per metric and label set. */
function asSeries(rows: readonly Stored[], service: string): SeriesData[] {
  const by = new Map<string, { series: SeriesData['series']; points: Point[] }>();
  for (const r of rows) {
    const s = makeSeries(r.metric, r.labels, service);
    const cur = by.get(s.id) ?? { series: s, points: [] };
    cur.points.push({ t: r.t, v: r.value });
    by.set(s.id, cur);
  }
  return [...by.values()];
}

/** Runs span-sender.ts until it exits; resolves with what it sent. */
function sendSpans(env: Record<string, string>): Promise<SentSpans> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'helpers', 'span-sender.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...Object.fromEntries(Object.entries(SENT).map(([k, v]) => [k, String(v)])), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as SentSpans) : reject(new Error(`span sender exited ${code}: ${stderr}`))));
  });
}
