import assert from 'node:assert/strict';
import { badCorpus } from './helpers/bad-input';
import { testDb, type TestDb } from './helpers/clickhouse';
import { connectTestBus, type TestBus } from './helpers/kafka';
import { otlpStream } from './helpers/otlp';
import { deploymentEnv, RunProcess, type Deployment } from './helpers/runner';
import { uniqueName, waitFor } from './helpers/services';

/**
 * ≥ 50 malformed messages interleaved with good traffic. Accounting, per message:
 *   sent = good + duplicates + bad;
 *   every good message's points are stored (distinct (series, time) = goodPoints);
 *   a duplicate is idempotent: stored once, not an error, never dead-lettered;
 *   every bad message is dead-lettered exactly once (its partly good points are still stored);
 * so distinct points stored = points of good messages + good points of partly bad ones, and
 * dead letters (distinct source topic/partition/offset) = bad messages, EXACTLY.
 */
describe('pipeline (real Kafka + ClickHouse): malformed input is dead-lettered while good data flows', function () {
  this.timeout(240_000);
  const id = uniqueName('e2bad');
  const d: Deployment = { metrics: `${id}.otlp`, collectd: `${id}.collectd`, changes: `${id}.changes`, deadLetter: `${id}.dlq`, groupId: `${id}-g`, database: id };
  const MAX_BYTES = 65_536;
  let bus: TestBus;
  let db: TestDb;
  let run: RunProcess | undefined;

  before(async () => {
    bus = await connectTestBus();
    await bus.createTopics([d.metrics, d.collectd, d.changes], 3);
    db = testDb(d.database);
  });

  after(async () => {
    await run?.stop();
    await db.drop();
    await db.close();
    await bus.cleanup([d.metrics, d.collectd, d.changes, d.deadLetter], [d.groupId]);
    await bus.close();
  });

  it('sent = stored + dead-lettered, exactly, with a reason for each', async () => {
    const now = Date.now();
    const bad = badCorpus(now, MAX_BYTES);
    assert.ok(bad.length >= 50, `${bad.length} malformed messages`);
    const good = otlpStream({ services: 3, instances: 2, metricsPerInstance: 4, timesPerMessage: 5, messages: 240, start: now - 3_600_000, stepMs: 1000 });
    const duplicates = good.filter((_, i) => i % 5 === 0);
    const goodChanges = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify({ specversion: '1.0', id: `ok-${i}`, source: 'ci', type: 'com.acme.change.config', subject: 'svc-0', time: new Date(now - 600_000 + i).toISOString(), data: { team: 't', summary: `change ${i}` } }),
    );
    const goodPoints = good.reduce((n, m) => n + m.points, 0) + bad.reduce((n, b) => n + b.goodPoints, 0);

    run = new RunProcess(deploymentEnv(d, { EPICENTER_KAFKA_MAX_MESSAGE_BYTES: String(MAX_BYTES) }), 'bad-input');
    await run.ready();
    // Interleave: bad messages between slices of good traffic, duplicates after their originals.
    const topicOf = { metrics: d.metrics, collectd: d.collectd, changes: d.changes } as const;
    const slice = Math.ceil(good.length / bad.length);
    for (let i = 0; i < bad.length; i++) {
      await bus.produce(d.metrics, good.slice(i * slice, (i + 1) * slice).map((m) => ({ key: m.key, value: m.value })));
      const b = bad[i]!;
      await bus.produce(topicOf[b.topic], [{ key: b.key, value: b.value }]);
    }
    await bus.produce(d.metrics, duplicates.map((m) => ({ key: m.key, value: m.value })));
    await bus.produce(d.changes, [...goodChanges, goodChanges[0]!, goodChanges[1]!].map((value) => ({ key: 'svc-0', value })));

    const letters = await bus.readAll(d.deadLetter, bad.length, 90_000);
    const stored = await waitFor('good points stored', () => db.points(), (n) => n >= goodPoints, 90_000);
    const chLetters = await waitFor('dead letters in ClickHouse', () => db.deadLetters(), (n) => n >= bad.length, 30_000);

    assert.equal(stored, goodPoints, 'distinct points stored = points of good messages (duplicates stored once)');
    assert.equal(new Set(letters.map((l) => l.key)).size, bad.length, 'one dead letter per bad message');
    assert.equal(chLetters, bad.length, 'dead_letters rows = bad messages');
    assert.equal(await db.changes(), goodChanges.length, 'good changes stored once each');
    const byKey = new Map(letters.map((l) => [l.headers['epicenter.source.key'], l]));
    for (const b of bad) {
      const l = byKey.get(b.key);
      assert.ok(l !== undefined, `dead letter for ${b.key}`);
      assert.equal(l.headers['epicenter.code'], 'BAD_INPUT');
      assert.equal(l.headers['epicenter.source.topic'], topicOf[b.topic]);
      assert.match(l.headers['epicenter.reason'] ?? '', b.reason, `${b.key}: ${l.headers['epicenter.reason']}`);
      assert.equal(l.value?.toString() ?? '', b.value ?? '', `${b.key}: original bytes`);
      assert.equal(l.key, `${topicOf[b.topic]}/${l.headers['epicenter.source.partition']}/${l.headers['epicenter.source.offset']}`);
    }
    // Everything consumed was committed: the group's offsets reach the end of the metric topic.
    const total = good.length + duplicates.length + bad.filter((b) => b.topic === 'metrics').length;
    await waitFor('offsets committed to the end', () => bus.committed(d.groupId, d.metrics), (n) => n === total, 30_000);
    assert.equal(await run.stop(), 0);
  });
});
