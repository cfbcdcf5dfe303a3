import assert from 'node:assert/strict';
import { testDb, type TestDb } from './helpers/clickhouse';
import { connectTestBus, type TestBus } from './helpers/kafka';
import { otlpStream } from './helpers/otlp';
import { deploymentEnv, RunProcess, type Deployment } from './helpers/runner';
import { services, sleep, uniqueName, waitFor } from './helpers/services';
import { Streamer } from './helpers/streamer';

/**
 * Faults injected into the real services while data flows; each case has its own topics,
 * group and database. Exactly-once is checked on what is stored: distinct (series, time) and
 * `FINAL` counts both equal the points sent — replays after a fault may write a row twice, the
 * ReplacingMergeTree key makes it one.
 */
describe('pipeline (real Kafka + ClickHouse): fault injection', function () {
  this.timeout(300_000);
  let bus: TestBus;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    bus = await connectTestBus();
  });

  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await bus.close();
  });

  async function deployment(prefix: string, partitions: number): Promise<{ d: Deployment; db: TestDb }> {
    const id = uniqueName(prefix);
    const d: Deployment = { metrics: `${id}.otlp`, collectd: `${id}.collectd`, changes: `${id}.changes`, deadLetter: `${id}.dlq`, groupId: `${id}-g`, database: id };
    await bus.createTopics([d.metrics, d.collectd, d.changes], partitions);
    const db = testDb(d.database);
    cleanups.push(async () => {
      await db.drop();
      await db.close();
      await bus.cleanup([d.metrics, d.collectd, d.changes, d.deadLetter], [d.groupId]);
    });
    return { d, db };
  }

  function traffic(messages: number, prefix: string): { msgs: { key: string; value: string }[]; points: number } {
    const msgs = otlpStream({ services: 5, instances: 2, metricsPerInstance: 5, timesPerMessage: 10, messages, start: Date.now() - 2 * 3_600_000, stepMs: 1000, prefix });
    return { msgs: msgs.map((m) => ({ key: m.key, value: m.value })), points: msgs.reduce((n, m) => n + m.points, 0) };
  }

  async function assertExactlyOnce(db: TestDb, sent: number, what: string): Promise<void> {
    const stored = await waitFor(`${what}: all points stored`, () => db.points(), (n) => n >= sent, 120_000);
    assert.equal(stored, sent, `${what}: distinct points stored = sent`);
    assert.equal(await db.scalar(`SELECT count() FROM ${db.name}.points FINAL`), sent, `${what}: FINAL count = sent`);
  }

  it('a consumer SIGKILLed mid-stream and restarted: every point stored exactly once', async () => {
    const { d, db } = await deployment('e2kill', 4);
    const { msgs, points } = traffic(600, 'kill');
    const env = deploymentEnv(d);
    const first = new RunProcess(env, 'first');
    cleanups.push(async () => void (await first.stop()));
    await first.ready();
    const s = new Streamer(bus, d.metrics, msgs, 60);
    await waitFor('some points stored before the kill', () => db.points(), (n) => n > points / 5, 60_000);
    first.kill('SIGKILL');
    assert.equal(await first.exited, null, 'killed by signal');
    const second = new RunProcess(env, 'second');
    cleanups.push(async () => void (await second.stop()));
    await second.ready();
    await s.finished();
    await assertExactlyOnce(db, points, 'after SIGKILL');
    assert.equal(await second.stop(), 0);
  });

  it('ClickHouse stopped for 30 s mid-stream: consumption pauses, resumes, nothing lost', async () => {
    const { d, db } = await deployment('e2chdown', 3);
    const { msgs, points } = traffic(900, 'chdown');
    // A small buffer so the outage also saturates the writer (bounded memory).
    const run = new RunProcess(deploymentEnv(d, { EPICENTER_CLICKHOUSE_MAX_BUFFERED_ROWS: '5000' }), 'chdown');
    cleanups.push(async () => void (await run.stop()));
    await run.ready();
    const s = new Streamer(bus, d.metrics, msgs, 25);
    await waitFor('some points stored before the outage', () => db.points(), (n) => n > 0, 60_000);
    await services('stop-clickhouse');
    try {
      await run.waitForLog('consumption paused', (l) => l['msg'] === 'pipeline: pausing consumption (backpressure)', 30_000);
      await sleep(30_000);
      const during = run.logs.filter((l) => l['msg'] === 'pipeline stats').slice(-3);
      assert.ok(during.every((l) => l['paused'] === true), `paused during the outage: ${JSON.stringify(during.map((l) => [l['paused'], l['buffered']]))}`);
      assert.ok(during.every((l) => Number(l['buffered']) < 5000 + 20_000), 'buffer bounded by maxBufferedRows + one fetch');
    } finally {
      await services('start-clickhouse');
    }
    await run.waitForLog('consumption resumed', (l) => l['msg'] === 'pipeline: resuming consumption', 90_000);
    await s.finished();
    await assertExactlyOnce(db, points, 'after the ClickHouse outage');
    assert.equal(await run.stop(), 0);
  });

  it('the broker restarted mid-stream: nothing lost', async () => {
    const { d, db } = await deployment('e2kafka', 3);
    const { msgs, points } = traffic(600, 'kafka');
    const run = new RunProcess(deploymentEnv(d), 'kafka-restart');
    cleanups.push(async () => void (await run.stop()));
    await run.ready();
    const s = new Streamer(bus, d.metrics, msgs, 30);
    await waitFor('a fifth of the points stored before the restart', () => db.points(), (n) => n > points / 5, 60_000);
    await services('restart-kafka');
    await s.finished();
    await assertExactlyOnce(db, points, 'after the broker restart');
    assert.equal(run.pid !== undefined && (await Promise.race([run.exited, sleep(100).then(() => 'alive')])), 'alive', `still running: ${run.tail()}`);
    assert.equal(await run.stop(), 0);
  });
});
