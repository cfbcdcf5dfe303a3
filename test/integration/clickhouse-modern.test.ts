import assert from 'node:assert/strict';
import { openConnection } from '../../src/clickhouse/connection';
import { migrate } from '../../src/clickhouse/migrate';
import { POINT_COLUMNS, pointsRowBinary } from '../../src/clickhouse/rowbinary';
import { MIGRATIONS, RETAINED_TABLES, TABLES } from '../../src/clickhouse/schema';
import { ident, inList, joinSql, sql } from '../../src/clickhouse/sql';
import { createClickHouseStore, createStoreOn, type ClickHouseStore } from '../../src/clickhouse/store';
import type { ChLogger } from '../../src/clickhouse/types';
import { parseConfig } from '../../src/config/load';
import { EpicenterError } from '../../src/errors';
import type { ChangeEvent, Sample } from '../../src/domain/types';
import { openChdbConnection, type ChdbConnection, type JsonResult } from '../compat/chdb-connection';
import { chdbPython, old, plainType, same, seedEdges, sortRows } from './helpers/modern';
import { DASHBOARD_VAR_SETS, expandedChecks, loadDashboards, panelProblems, seedIncident, type MacroContext } from './helpers/dashboards';
import { makeV1 } from './helpers/schema-v1';
import { CLICKHOUSE_URL, uniqueName } from './helpers/services';

/**
 * Our ClickHouse code on ClickHouse 26.9's ENGINE (chdb-core: the server's parser, analyzer, table
 * engines and formats as a library; not a 24.8+ server, and no HTTP), side by side with the real
 * 18.16 server: the migrations migrate.ts sends, rows written through our encoders (RowBinary for
 * points, JSONEachRow for the rest, the exact bytes the HTTP connection posts, fed with
 * `INSERT … FROM INFILE … FORMAT …`: test/compat/chdb-connection.ts), the store's reads and every
 * Grafana dashboard query. Results must be equal row for row; the only allowed difference is a
 * type name (`LowCardinality(String)` on 20.1+, `String` on 18.16; same values), said where it is
 * allowed. The venv comes from scripts/lib/chdb.sh (made once, ~20 s, then cached); if it cannot be
 * made the suite fails with the reason.
 */

const DAY = 86_400_000;
const NOW = Date.now();

describe('ClickHouse 26.9 engine (chdb): our schema, inserts, reads and dashboards give what 18.16 gives', function () {
  this.timeout(120_000);
  const db = uniqueName('epicenter_modern');
  const cfg = parseConfig({ clickhouse: { url: CLICKHOUSE_URL, database: db } }).clickhouse;
  const said: string[] = [];
  const logger: ChLogger = { debug: () => {}, info: (o, m) => said.push(`${m ?? ''} ${JSON.stringify(o)}`), warn: () => {}, error: () => {} };
  let chdb: ChdbConnection | undefined;
  let modern: ClickHouseStore;
  let legacy: ClickHouseStore;
  const seeded: { samples: Sample[]; changes: ChangeEvent[] }[] = [];

  before(async function () {
    this.timeout(900_000); // the first run downloads chdb-core (~180 MB)
    chdb = await openChdbConnection(await chdbPython());
    modern = await createStoreOn(chdb, cfg, { logger, now: () => NOW });
    legacy = await createClickHouseStore(cfg, { now: () => NOW });
    for (const s of [legacy, modern]) {
      const a = await seedIncident(s, NOW);
      const b = await seedEdges(s, NOW);
      seeded.push({ samples: [...a.samples, ...b.samples], changes: [...a.changes, ...b.changes] });
    }
  });

  after(async () => {
    if (legacy !== undefined) {
      await legacy.dropDatabase();
      await legacy.close();
    }
    await (modern ?? chdb)?.close();
  });

  it('runs on the 26.9 engine, where every migration applied (TTL, LowCardinality); a second migrate applies none and keeps the TTL', async () => {
    assert.match(chdb!.version, /^26\.9\./);
    assert.deepEqual([modern.features.ttl, modern.features.lowCardinality, legacy.features.ttl], [true, true, false]);
    for (const s of [legacy, modern]) {
      const applied = await s.query<{ v: number }>(sql`SELECT version AS v FROM ${ident(db)}.schema_migrations FINAL ORDER BY v`);
      assert.deepEqual(applied.map((r) => Number(r.v)), MIGRATIONS.map((m) => m.version), s.serverVersion());
    }
    said.length = 0;
    const again = await migrate(chdb!, { database: db, retentionDays: cfg.retentionDays, logger, now: () => NOW });
    assert.deepEqual(again.applied, []);
    assert.deepEqual(said.filter((l) => /TTL/.test(l)), [], 'the TTL already matches clickhouse.retentionDays: no MODIFY TTL');
    const engine = await modern.query<{ engine_full: string }>(sql`SELECT engine_full FROM system.tables WHERE database = ${db} AND name = 'points'`);
    assert.match(engine[0]?.engine_full ?? '', new RegExp(`TTL t \\+ toIntervalDay\\(${cfg.retentionDays}\\)`));
  });

  it('a changed clickhouse.retentionDays rewrites the TTL of the retained tables on 26.9, once', async () => {
    const days = cfg.retentionDays + 5;
    const ttls = async () =>
      (await modern.query<{ name: string; engine_full: string }>(sql`SELECT name, engine_full FROM system.tables WHERE database = ${db} AND name IN ${inList([...RETAINED_TABLES])} ORDER BY name`))
        .map((r) => `${r.name}: ${/TTL .*/.exec(r.engine_full)?.[0] ?? 'none'}`);
    try {
      said.length = 0;
      await migrate(chdb!, { database: db, retentionDays: days, logger, now: () => NOW });
      assert.equal(said.filter((l) => /changing TTL/.test(l)).length, RETAINED_TABLES.length);
      assert.deepEqual(await ttls(), [...RETAINED_TABLES].sort().map((t) => `${t}: TTL t + toIntervalDay(${days}) SETTINGS index_granularity = 8192`));
      said.length = 0;
      await migrate(chdb!, { database: db, retentionDays: days, logger, now: () => NOW });
      assert.deepEqual(said.filter((l) => /changing TTL/.test(l)), []);
    } finally {
      await migrate(chdb!, { database: db, retentionDays: cfg.retentionDays, logger, now: () => NOW });
    }
  });

  /** `table.column type` of every table and view, columns in table order (system.columns lists them so; 18.16 has no `position` to sort by). */
  const columnsOf = async (s: ClickHouseStore) =>
    (await s.query<{ table: string; name: string; type: string }>(sql`SELECT table, name, type FROM system.columns WHERE database = ${db}`))
      .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0))
      .map((c) => `${c.table}.${c.name} ${c.type}`);

  it('every table and view has the same columns in the same order; types differ only by LowCardinality', async () => {
    const [o, m] = [await columnsOf(legacy), await columnsOf(modern)];
    assert.ok(m.some((c) => c.includes('LowCardinality(String)')), 'the modern schema uses LowCardinality');
    assert.deepEqual(m.map(plainType), o);
  });

  it('every stored row is the same on both, value for value (RowBinary points, JSONEachRow rows, the series view)', async () => {
    const tables = Object.values(TABLES).filter((t) => t !== TABLES.migrations && t !== TABLES.seriesSeen && t !== TABLES.seriesMv && t !== TABLES.seriesSeenMv);
    for (const table of tables) {
      const cols = (await columnsOf(legacy)).filter((c) => c.startsWith(`${table}.`)).map((c) => c.slice(table.length + 1).split(' ')[0] ?? '');
      assert.ok(cols.length > 0, table);
      // series_agg holds aggregate states (binary); compare it through the series view.
      if (table === TABLES.seriesAgg) continue;
      const final = table === TABLES.series ? sql`` : sql`FINAL`;
      const q = sql`SELECT * FROM ${ident(db)}.${ident(table)} ${final} ORDER BY ${joinSql(cols.map((c) => ident(c)))}`;
      const [o, m] = [await legacy.query<Record<string, unknown>>(q), await modern.query<Record<string, unknown>>(q)];
      assert.ok(o.length > 0, `${table}: seeded`);
      assert.deepEqual(m, o, table);
    }
  });

  it('an Int64 above 2^53 reads back exact from 26.9 too (25.x+ print 64-bit integers as JSON numbers by default, which JSON.parse rounds)', async () => {
    for (const s of [legacy, modern]) {
      const offsets = await s.query<{ offset: unknown }>(sql`SELECT offset FROM ${ident(db)}.dead_letters WHERE partition = 2`);
      assert.deepEqual(offsets, [{ offset: '9007199254740993' }], s.serverVersion());
    }
  });

  it("the store's reads return the same values on both, and those are the values written", async () => {
    const w = { from: NOW - DAY, to: NOW + 1000 };
    const reads = async (s: ClickHouseStore) => ({
      points: await s.queryPoints(w),
      pointsOfA: await s.queryPoints({ ...w, services: ['A', 'C'] }),
      changes: await s.queryChanges(w),
      changesOfB: await s.queryChanges({ ...w, service: 'B', team: 'team-b' }),
      breakpoints: await s.queryBreakpoints(w),
      analyses: await s.recentAnalyses({ limit: 10 }),
      verdicts: await s.recentWhatIfVerdicts({ limit: 10 }),
    });
    const [o, m] = [await reads(legacy), await reads(modern)];
    assert.deepEqual(m, o);
    // Against the inserts: every point and change written comes back as it was.
    const written = seeded[1]!;
    const got = m.points.flatMap((sd) => sd.points.map((p) => `${sd.series.id} ${p.t} ${Object.is(p.v, -0) ? 0 : p.v}`)).sort();
    assert.deepEqual(got, written.samples.map((p) => `${p.series.id} ${p.t} ${Object.is(p.v, -0) ? 0 : p.v}`).sort());
    assert.deepEqual(m.changes.map((c) => c.id).sort(), written.changes.map((c) => c.id).sort());
    const flag = m.changes.find((c) => c.id === 'flag-c');
    assert.deepEqual([flag?.summary, flag?.settings, flag?.origins], [written.changes.find((c) => c.id === 'flag-c')?.summary, [{ key: 'a', to: 'on' }, { key: 'b', from: 'x' }], written.changes.find((c) => c.id === 'flag-c')?.origins]);
    assert.equal(m.analyses[0]?.suspects[0]?.id, 'cfg-b-1');
    assert.equal(m.verdicts[0]?.breaches[0]?.predicted, 1290);
  });

  const ctx: MacroContext = { from: NOW - 3 * 3600_000, to: NOW + 300_000, intervalS: 60 };
  for (const { label, vars } of DASHBOARD_VAR_SETS) {
    it(`every dashboard query runs on 26.9, feeds its panel and returns 18.16's rows (${label})`, async () => {
      const problems: string[] = [];
      let compared = 0;
      for (const c of expandedChecks(loadDashboards(), { ...vars, db }, ctx)) {
        assert.equal(c.unexpanded, undefined, c.where);
        let m: JsonResult;
        try {
          m = await chdb!.queryJson(c.sql);
        } catch (e) {
          problems.push(`${c.where}: ${(e as Error).message}`);
          continue;
        }
        const o = await old(c.sql);
        problems.push(...panelProblems(c, m.meta.map((x) => ({ name: x.name, type: plainType(x.type) }))));
        const types = (r: JsonResult) => r.meta.map((x) => `${x.name} ${plainType(x.type)}`).join(', ');
        if (types(m) !== types(o)) problems.push(`${c.where}: columns ${types(m)} != 18.16's ${types(o)}`);
        // Rows as sets: a query without ORDER BY may return them in another order.
        else if (!same(sortRows(m.data), sortRows(o.data))) problems.push(`${c.where}: rows differ\n26.9: ${JSON.stringify(m.data).slice(0, 400)}\n18.16: ${JSON.stringify(o.data).slice(0, 400)}`);
        compared += o.data.length;
      }
      assert.deepEqual(problems, []);
      assert.ok(compared > 40, `rows compared: ${compared}`);
    });
  }

  it('a v1 database holding rows (series_mv still feeding series_agg) upgrades to the latest schema on 26.9 as on 18.16', async () => {
    const up = uniqueName('epicenter_modern_v1');
    const t0 = NOW - 3600_000;
    const points = seeded[0]!.samples.filter((p) => p.series.service === 'C');
    const legacyConn = openConnection(cfg);
    const outcome: unknown[] = [];
    try {
      for (const conn of [legacyConn, chdb!]) {
        await makeV1(conn, up, t0);
        await conn.insertRowBinary(`${up}.${TABLES.points}`, POINT_COLUMNS, pointsRowBinary(points), points.length);
        const { applied } = await migrate(conn, { database: up, retentionDays: 3 });
        const db1 = ident(up);
        outcome.push({
          applied,
          tables: await conn.query(sql`SELECT name FROM system.tables WHERE database = ${up} ORDER BY name`),
          series: await conn.query(sql`SELECT * FROM ${db1}.series ORDER BY series_id`),
          changes: await conn.query(sql`SELECT * FROM ${db1}.changes FINAL ORDER BY id`),
          points: await conn.query(sql`SELECT count() AS n FROM ${db1}.points FINAL`),
        });
        await conn.command(sql`DROP DATABASE IF EXISTS ${db1}`);
      }
    } finally {
      await legacyConn.command(sql`DROP DATABASE IF EXISTS ${ident(up)}`);
      await legacyConn.close();
    }
    assert.deepEqual(outcome[1], outcome[0]);
    assert.deepEqual((outcome[0] as { applied: number[] }).applied, MIGRATIONS.slice(1).map((m) => m.version));
    assert.equal((outcome[0] as { series: unknown[] }).series.length, 1, 'the series written before v4 stays readable');
  });

  it("26.9's exceptions map to the same error codes (STORE_FAILED, not retriable, for an unknown table)", async () => {
    for (const s of [legacy, modern]) {
      await assert.rejects(s.query(sql`SELECT 1 FROM ${ident(db)}.no_such_table`), (e: unknown) => {
        assert.ok(e instanceof EpicenterError, s.serverVersion());
        assert.deepEqual([e.code, e.retriable, /Code: 60\b/.test(e.message)], ['STORE_FAILED', false, true], `${s.serverVersion()}: ${e.message}`);
        return true;
      });
    }
  });

  it('retention (maintain) drops the same daily partitions on both', async () => {
    const later = { now: () => NOW + (cfg.retentionDays + 2) * DAY };
    const future = await createClickHouseStore(cfg, later);
    try {
      const o = await future.maintain();
      // Shares the session (and its connection) with `modern`, which closes it.
      const m = await (await createStoreOn(chdb!, cfg, later)).maintain();
      assert.ok(o.dropped.some((d) => d.startsWith('points:')), JSON.stringify(o.dropped));
      assert.deepEqual([...m.dropped].sort(), [...o.dropped].sort());
      for (const s of [legacy, modern]) assert.deepEqual(await s.query(sql`SELECT count() AS n FROM ${ident(db)}.points`), [{ n: '0' }], s.serverVersion());
    } finally {
      await future.close();
    }
  });
});
