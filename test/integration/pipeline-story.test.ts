import assert from 'node:assert/strict';
import { analyzeFromStore } from '../../src/app/analyze';
import { createClickHouseStore, type ClickHouseStore } from '../../src/clickhouse';
import { parseConfig } from '../../src/config/load';
import { testDb, type TestDb } from './helpers/clickhouse';
import { connectTestBus, type TestBus } from './helpers/kafka';
import { deploymentEnv, RunProcess, type Deployment } from './helpers/runner';
import { CLICKHOUSE_URL, uniqueName, waitFor } from './helpers/services';
import { storyInput } from './helpers/story';

/** The motivating story through the real service: OTLP + CloudEvents on Kafka → epicenter run → ClickHouse → analysis. */
describe('pipeline (real Kafka + ClickHouse): the fd-exhaustion story', function () {
  this.timeout(240_000);
  const id = uniqueName('e2story');
  const d: Deployment = { metrics: `${id}.otlp`, collectd: `${id}.collectd`, changes: `${id}.changes`, deadLetter: `${id}.dlq`, groupId: `${id}-g`, database: id };
  let bus: TestBus;
  let db: TestDb;
  let run: RunProcess | undefined;
  let store: ClickHouseStore | undefined;

  before(async () => {
    bus = await connectTestBus();
    await bus.createTopics([d.metrics, d.collectd, d.changes], 4);
    db = testDb(d.database);
  });

  after(async () => {
    await run?.stop();
    await store?.close();
    await db.drop();
    await db.close();
    await bus.cleanup([d.metrics, d.collectd, d.changes, d.deadLetter], [d.groupId]);
    await bus.close();
  });

  it('stores every point and change, and the analysis names the planted config change first', async () => {
    const story = storyInput(1);
    const truth = story.scenario.truth;
    run = new RunProcess(deploymentEnv(d), 'story', ['--config', 'config/default.yaml', story.configFile]);
    await run.ready();
    await bus.produce(d.changes, story.changes);
    await bus.produce(d.metrics, story.metrics);

    const points = await waitFor('all points stored', () => db.points(), (n) => n >= story.expectedPoints, 120_000);
    assert.equal(points, story.expectedPoints, 'distinct points stored = points sent');
    assert.equal(await waitFor('all changes stored', () => db.changes(), (n) => n >= story.changes.length, 30_000), story.changes.length);
    assert.equal(await db.deadLetters(), 0, 'nothing dead-lettered');

    store = await createClickHouseStore(parseConfig({ clickhouse: { url: CLICKHOUSE_URL, database: d.database } }).clickhouse);
    const a = await analyzeFromStore(store, story.scenario.topology, { service: truth.victim, at: truth.at, windowMs: truth.windowMs, afterMs: truth.afterMs });
    assert.equal(a.suspects[0]?.id, truth.cause.id, `top suspect ${JSON.stringify(a.suspects.slice(0, 3).map((s) => [s.id, s.service, s.score]))}`);
    assert.ok((await db.breakpoints()) > 0, 'the streaming detectors stored breakpoints');
  });
});
