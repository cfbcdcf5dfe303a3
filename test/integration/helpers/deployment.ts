import { testDb, type TestDb } from './clickhouse';
import { connectTestBus, type TestBus } from './kafka';
import type { Deployment } from './runner';
import { uniqueName } from './services';

/** An isolated deployment (topics, group, database) made before and removed after the suite. */
export interface IsolatedDeployment {
  readonly d: Deployment;
  bus(): TestBus;
  db(): TestDb;
}

/** Registers mocha before/after hooks; call inside a describe. */
export function isolatedDeployment(prefix: string, partitions: number): IsolatedDeployment {
  const id = uniqueName(prefix);
  const d: Deployment = { metrics: `${id}.otlp`, collectd: `${id}.collectd`, changes: `${id}.changes`, deadLetter: `${id}.dlq`, groupId: `${id}-g`, database: id };
  let bus: TestBus | undefined;
  let db: TestDb | undefined;
  before(async () => {
    bus = await connectTestBus();
    await bus.createTopics([d.metrics, d.collectd, d.changes], partitions);
    db = testDb(d.database);
  });
  after(async () => {
    await db?.drop();
    await db?.close();
    await bus?.cleanup([d.metrics, d.collectd, d.changes, d.deadLetter], [d.groupId]);
    await bus?.close();
  });
  const must = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new Error(`${what} is not connected yet (used outside a test?)`);
    return x;
  };
  return { d, bus: () => must(bus, 'bus'), db: () => must(db, 'db') };
}
