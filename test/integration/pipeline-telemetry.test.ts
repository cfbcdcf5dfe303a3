import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testDb, type TestDb } from './helpers/clickhouse';
import { connectTestBus, type TestBus } from './helpers/kafka';
import { otlpStream } from './helpers/otlp';
import { deploymentEnv, RunProcess, type Deployment } from './helpers/runner';
import { uniqueName, waitFor } from './helpers/services';

/** epicenter's own telemetry: with telemetry.otlpEndpoint set, `run` exports its traces and metrics over OTLP/HTTP. */
describe('pipeline (real Kafka + ClickHouse): own telemetry over OTLP/HTTP', function () {
  this.timeout(120_000);
  const id = uniqueName('e2otel');
  const d: Deployment = { metrics: `${id}.otlp`, collectd: `${id}.collectd`, changes: `${id}.changes`, deadLetter: `${id}.dlq`, groupId: `${id}-g`, database: id };
  const received: { path: string; body: string }[] = [];
  let receiver: Server;
  let bus: TestBus;
  let db: TestDb;
  let run: RunProcess | undefined;

  before(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    bus = await connectTestBus();
    await bus.createTopics([d.metrics, d.collectd, d.changes], 2);
    db = testDb(d.database);
  });

  after(async () => {
    await run?.stop();
    await db.drop();
    await db.close();
    await bus.cleanup([d.metrics, d.collectd, d.changes, d.deadLetter], [d.groupId]);
    await bus.close();
    await new Promise((r) => receiver.close(r));
  });

  it('exports batch spans and the points counter, with no series ids in metric attributes', async () => {
    const port = (receiver.address() as AddressInfo).port;
    run = new RunProcess(deploymentEnv(d, { EPICENTER_TELEMETRY_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_METRIC_EXPORT_INTERVAL: '1000' }), 'otel');
    await run.ready();
    const msgs = otlpStream({ services: 2, instances: 1, metricsPerInstance: 3, timesPerMessage: 5, messages: 20, start: Date.now() - 600_000, stepMs: 1000 });
    await bus.produce(d.metrics, msgs.map((m) => ({ key: m.key, value: m.value })));
    await waitFor('points stored', () => db.points(), (n) => n >= 300, 60_000);
    const metrics = await waitFor('points counter exported', () => Promise.resolve(received.filter((r) => r.path === '/v1/metrics' && r.body.includes('epicenter.pipeline.points'))), (x) => x.length > 0, 30_000);
    await waitFor('batch spans exported', () => Promise.resolve(received.filter((r) => r.path === '/v1/traces' && r.body.includes('epicenter.pipeline.batch'))), (x) => x.length > 0, 30_000);
    assert.ok(metrics.every((m) => !m.body.includes('test.metric_0{')), 'series ids never appear in metric attributes');
    assert.ok(received.some((r) => r.body.includes('epicenter.kafka.consumer.lag') || r.body.includes('epicenter.pipeline.buffered_rows')), 'gauges exported');
  });
});
