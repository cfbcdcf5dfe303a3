import assert from 'node:assert/strict';
import { testDb, type TestDb } from './helpers/clickhouse';
import { connectTestBus, type TestBus } from './helpers/kafka';
import { deploymentEnv, RunProcess, type Deployment } from './helpers/runner';
import { uniqueName } from './helpers/services';

/**
 * `epicenter run` pointed at topics the broker does not have (a new user's first try, before any
 * Collector wrote): it printed a kafkajs stack trace and never exited. Now: the config key named,
 * exit status 2, at once; a missing collectd topic alone is left out with a warning.
 */
describe('run (real Kafka + ClickHouse): metric topics the broker lacks', function () {
  this.timeout(120_000);
  const id = uniqueName('e2top');
  const d: Deployment = { metrics: `${id}.otlp`, collectd: `${id}.collectd`, changes: `${id}.changes`, deadLetter: `${id}.dlq`, groupId: `${id}-g`, database: id };
  let bus: TestBus;
  let db: TestDb;

  before(async () => {
    bus = await connectTestBus();
    db = testDb(d.database);
  });

  after(async () => {
    await db.drop();
    await db.close();
    await bus.cleanup([d.metrics, d.changes, d.deadLetter], [d.groupId]);
    await bus.close();
  });

  it('none of them: one line naming kafka.topics.metrics and the topic, exit 2, no stack trace', async () => {
    const run = new RunProcess(deploymentEnv(d), 'no-topics');
    const code = await Promise.race([run.exited, new Promise<string>((r) => setTimeout(() => r('still running after 60 s'), 60_000))]);
    if (code !== 2) await run.stop();
    assert.equal(code, 2, run.stderr.join('\n'));
    const err = run.stderr.join('\n');
    assert.match(err, new RegExp(`^epicenter: BAD_CONFIG: kafka\\.topics\\.metrics: '${id.replace(/[.]/g, '\\.')}\\.otlp' is no topic on `));
    assert.match(err, /nor is kafka\.topics\.collectd/);
    assert.doesNotMatch(err, /\n\s+at /);
  });

  it('only the collectd topic missing: a warning naming it, and the service runs on the metrics topic', async () => {
    await bus.createTopics([d.metrics], 1);
    const run = new RunProcess(deploymentEnv(d), 'no-collectd');
    try {
      await run.ready();
      assert.ok(run.logs.some((l) => typeof l['msg'] === 'string' && l['msg'].startsWith(`kafka.topics.collectd '${d.collectd}': no such topic; not consumed`)), JSON.stringify(run.logs.slice(-5)));
    } finally {
      assert.equal(await run.stop(), 0);
    }
  });
});
