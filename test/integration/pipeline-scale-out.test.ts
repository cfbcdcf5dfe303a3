import assert from 'node:assert/strict';
import { testDb, type TestDb } from './helpers/clickhouse';
import { connectTestBus, type TestBus } from './helpers/kafka';
import { otlpStream } from './helpers/otlp';
import { deploymentEnv, RunProcess, type Deployment } from './helpers/runner';
import { uniqueName, waitFor } from './helpers/services';
import { Streamer } from './helpers/streamer';

/** Two `epicenter run` instances in one group split the partitions and together store everything once; both read every change. */
describe('pipeline (real Kafka + ClickHouse): two instances share the work', function () {
  this.timeout(240_000);
  const id = uniqueName('e2scale');
  const d: Deployment = { metrics: `${id}.otlp`, collectd: `${id}.collectd`, changes: `${id}.changes`, deadLetter: `${id}.dlq`, groupId: `${id}-g`, database: id };
  let bus: TestBus;
  let db: TestDb;
  const runs: RunProcess[] = [];

  before(async () => {
    bus = await connectTestBus();
    await bus.createTopics([d.metrics, d.collectd, d.changes], 6);
    db = testDb(d.database);
  });

  after(async () => {
    for (const r of runs) await r.stop();
    await db.drop();
    await db.close();
    await bus.cleanup([d.metrics, d.collectd, d.changes, d.deadLetter], [d.groupId]);
    await bus.close();
  });

  it('splits partitions, stores every point exactly once, and each instance sees every change', async () => {
    const env = deploymentEnv(d);
    runs.push(new RunProcess(env, 'a'), new RunProcess(env, 'b'));
    await Promise.all(runs.map((r) => r.ready()));
    const msgs = otlpStream({ services: 6, instances: 2, metricsPerInstance: 5, timesPerMessage: 10, messages: 600, start: Date.now() - 3_600_000, stepMs: 1000, prefix: 'scale' });
    const sent = msgs.reduce((n, m) => n + m.points, 0);
    const changes = Array.from({ length: 4 }, (_, i) => ({
      key: 'scale-0',
      value: JSON.stringify({ specversion: '1.0', id: `sc-${i}`, source: 'ci', type: 'com.acme.change.deploy', subject: 'scale-0', time: new Date(Date.now() - 60_000).toISOString(), data: { team: 't', summary: `deploy ${i}` } }),
    }));
    await bus.produce(d.changes, changes);
    await new Streamer(bus, d.metrics, msgs.map((m) => ({ key: m.key, value: m.value })), 200).finished();

    const stored = await waitFor('all points stored', () => db.points(), (n) => n >= sent, 120_000);
    assert.equal(stored, sent, 'distinct points = sent');
    assert.equal(await db.scalar(`SELECT count() FROM ${db.name}.points FINAL`), sent, 'FINAL count = sent');
    assert.equal(await db.changes(), changes.length);

    // Each instance owns some partitions (the latest assignment of each), disjoint, covering all six.
    const owned = runs.map((r) => {
      const joins = r.logs.filter((l) => l['msg'] === 'kafka: joined group' && l['consumer'] === 'metrics');
      const a = (joins.at(-1)?.['assignment'] ?? {}) as Record<string, number[]>;
      return a[d.metrics] ?? [];
    });
    assert.ok(owned.every((ps) => ps.length > 0), `both own partitions: ${JSON.stringify(owned)}`);
    assert.deepEqual([...owned[0]!, ...owned[1]!].sort(), [0, 1, 2, 3, 4, 5]);
    // Both consumed points; both read every change (per-instance changes group, from the beginning).
    await waitFor('stats of both', () => Promise.resolve(runs.map((r) => r.logs.filter((l) => l['msg'] === 'pipeline stats').at(-1)?.['totals'] as { points: number; changes: number } | undefined)), (t) => t.every((x) => x !== undefined && x.changes === changes.length && x.points > 0), 30_000);
    for (const r of runs) assert.equal(await r.stop(), 0);
  });
});
