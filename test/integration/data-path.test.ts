/**
 * The data path against the REAL ClickHouse (services up, started by scripts/services.sh): the
 * hostile OTLP request of test/unit/pipeline/hostile.ts — `__proto__` attributes on the resource
 * and the point, lone UTF-16 surrogates in names — goes decode → pipeline → ClickHouse and must
 * read back as exactly the series the in-memory store holds, with every column agreeing.
 * Unique database, dropped at the end.
 */
import assert from 'node:assert/strict';
import { createEmbeddedRuntime } from '../../src/app/embedded';
import { createClickHouseStore, type ClickHouseStore } from '../../src/clickhouse/store';
import { parseConfig } from '../../src/config/load';
import { seriesId } from '../../src/domain/series';
import type { Store } from '../../src/ports';
import { MemoryStore } from '../../src/store/memory';
import { cloudEvent } from '../unit/pipeline/otlp';
import { expectedSeries, hostileOtlp, LONE_HIGH, seenSeries } from '../unit/pipeline/hostile';
import { testDb, type TestDb } from './helpers/clickhouse';
import { CLICKHOUSE_URL, uniqueName } from './helpers/services';

const T0 = Math.floor(Date.now() / 3600_000) * 3600_000 - 2 * 3600_000;
const WINDOW = { from: T0 - 3600_000, to: T0 + 3600_000 };

/** Runs the hostile metrics and a change with a lone surrogate through the embedded pipeline into `store`. */
async function ingest(store: Store): Promise<void> {
  const rt = createEmbeddedRuntime({ store, topology: { services: [] } });
  rt.ingestMetrics(hostileOtlp('svc', T0, 5), { file: 'hostile.json' });
  rt.ingestChanges(cloudEvent(`c${LONE_HIGH}1`, `svc${LONE_HIGH}`, 'deploy', T0 + 60_000, { summary: `v2${LONE_HIGH}` }), { file: 'changes.ndjson' });
  const s = await rt.drain();
  await rt.close();
  assert.deepEqual([s.points, s.changes, s.deadLetters.length], [10, 1, 0]);
}

async function stored(store: Store) {
  const series = (await store.queryPoints(WINDOW)).sort((a, b) => (a.series.metric < b.series.metric ? -1 : 1));
  const changes = await store.queryChanges(WINDOW);
  return { series, changes };
}

describe('data path: hostile names through ClickHouse (real server)', function () {
  this.timeout(120_000);
  const database = uniqueName('epicenter_datapath');
  let store: ClickHouseStore;
  let db: TestDb;

  before(async () => {
    store = await createClickHouseStore(parseConfig({ clickhouse: { url: CLICKHOUSE_URL, database, batchMs: 100 } }).clickhouse);
    db = testDb(database);
  });

  after(async () => {
    await store?.dropDatabase();
    await store?.close();
    await db?.close();
  });

  it('__proto__ attributes and lone surrogates read back from ClickHouse as the MemoryStore holds them', async () => {
    await ingest(store);
    const memory = new MemoryStore();
    await ingest(memory);
    const ch = await stored(store);
    const mem = await stored(memory);

    assert.deepEqual(ch.series.map((s) => seenSeries(s.series)), expectedSeries('svc').map((e) => ({ ...e, proto: null })));
    assert.deepEqual(ch.series.map((s) => seenSeries(s.series)), mem.series.map((s) => seenSeries(s.series)));
    assert.deepEqual(ch.series.map((s) => s.series.id), mem.series.map((s) => s.series.id));
    assert.deepEqual(ch.series.map((s) => s.points.length), [5, 5]);
    for (const s of ch.series) assert.equal(s.series.id, seriesId(s.series.metric, s.series.labels), 'series_id agrees with the metric and labels columns');

    const pick = (c: (typeof ch.changes)[number]) => [c.id, c.service, c.summary];
    assert.deepEqual(ch.changes.map(pick), [['c\ufffd1', 'svc\ufffd', 'v2\ufffd']]);
    assert.deepEqual(ch.changes.map(pick), mem.changes.map(pick));
  });

  it('SQL on the stored columns sees the same strings (metric, the labels JSON, series_id)', async () => {
    const n = (sql: string) => db.scalar(`SELECT count() AS n FROM (SELECT DISTINCT series_id FROM ${database}.points WHERE ${sql})`);
    assert.equal(await n(`metric = 'fds\ufffdx' AND unit = '{file\ufffd}'`), 1);
    assert.equal(await n(`visitParamExtractString(labels, 'team') = 'a\ufffd'`), 2);
    assert.equal(await n(`visitParamExtractString(labels, '__proto__') = 'resource-proto'`), 1);
    assert.equal(await n(`position(series_id, 'fds\ufffdx{') = 1 AND position(series_id, 'peer\ufffd="db\ufffd-1"') > 0`), 1);
  });
});
