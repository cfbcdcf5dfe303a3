/**
 * The ClickHouse adapter against the REAL server started by scripts/services.sh (18.16 here).
 * Self-sufficient: starts ClickHouse if it is down, uses a unique database and drops it.
 * The outage test stops and restarts the shared server for a few seconds.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { openConnection } from '../../src/clickhouse/connection';
import { detectFeatures, migrate } from '../../src/clickhouse/migrate';
import { MIGRATIONS, TABLES, migrationsTableDdl } from '../../src/clickhouse/schema';
import { sql, ident } from '../../src/clickhouse/sql';
import { createClickHouseStore, type ClickHouseStore } from '../../src/clickhouse/store';
import { createClickHouseWriter } from '../../src/clickhouse/writer';
import { parseConfig } from '../../src/config/load';
import { makeSeries } from '../../src/domain/series';
import type { Breakpoint, ChangeEvent, Sample } from '../../src/domain/types';
import { EpicenterError } from '../../src/errors';
import type { StoredAnalysis } from '../../src/ports';

const run = promisify(execFile);
const services = (cmd: string) => run('bash', ['scripts/services.sh', cmd], { timeout: 600_000 });

async function clickhouseUp(): Promise<boolean> {
  try {
    const { stdout } = await services('status');
    return /^clickhouse\s+UP/m.test(stdout);
  } catch (e) {
    return /^clickhouse\s+UP/m.test(String((e as { stdout?: string }).stdout ?? ''));
  }
}

const DB = `epicenter_test_${randomBytes(4).toString('hex')}`;
const cfg = parseConfig({ clickhouse: { database: DB, batchRows: 1000, batchMs: 100, retentionDays: 3 } }).clickhouse;
// Recent times: on 20.1+ servers the TTL (retentionDays) drops older rows as they are inserted.
const T0 = Math.floor(Date.now() / 3600_000) * 3600_000 - 2 * 3600_000;
const svcSeries = (host: string) => makeSeries('process.open_file_descriptor.count', { 'service.name': 'svc-a', host }, undefined, '{file}');
const samples = (host: string, from: number, n: number): Sample[] => Array.from({ length: n }, (_, i) => ({ series: svcSeries(host), t: T0 + (from + i) * 1000, v: from + i }));
const count = async (store: ClickHouseStore, table: string, final = true): Promise<number> => {
  const rows = await store.query<{ n: string }>(final ? sql`SELECT count() AS n FROM ${ident(DB)}.${ident(table)} FINAL` : sql`SELECT count() AS n FROM ${ident(DB)}.${ident(table)}`);
  return Number(rows[0]?.n);
};

describe('clickhouse adapter (real server)', function () {
  this.timeout(180_000);
  let store: ClickHouseStore;

  before(async () => {
    if (!(await clickhouseUp())) await services('start-clickhouse');
    store = await createClickHouseStore(cfg);
  });

  after(async () => {
    if (store !== undefined) {
      await store.dropDatabase();
      await store.close();
    }
  });

  it('reports the server version and the features used for it', () => {
    assert.match(store.serverVersion(), /^\d+\.\d+/);
    assert.equal(store.features.ttl, store.features.major >= 20);
  });

  it('migrations are idempotent: a second run applies nothing and records each version once', async () => {
    const conn = openConnection(cfg);
    try {
      const again = await migrate(conn, { database: DB, retentionDays: cfg.retentionDays });
      assert.deepEqual(again.applied, []);
      const third = await createClickHouseStore(cfg);
      await third.close();
      const rows = await store.query<{ version: number }>(sql`SELECT version FROM ${ident(DB)}.schema_migrations FINAL`);
      assert.deepEqual(rows.map((r) => Number(r.version)).sort(), MIGRATIONS.map((m) => m.version));
    } finally {
      await conn.close();
    }
  });

  it('points round-trip, and a replayed batch creates no visible duplicates', async () => {
    const batch = [...samples('h1', 0, 50), ...samples('h2', 0, 50)];
    await store.insertPoints(batch);
    await store.insertPoints(batch);
    await store.insertPoints(batch.slice(0, 10));
    const got = await store.queryPoints({ from: T0, to: T0 + 3600_000 });
    assert.equal(got.length, 2);
    for (const s of got) {
      assert.equal(s.points.length, 50);
      assert.deepEqual(s.points.map((p) => p.v), Array.from({ length: 50 }, (_, i) => i));
      assert.deepEqual(s.series, svcSeries(s.series.labels['host']!));
    }
    assert.equal(await count(store, 'points'), 100, 'FINAL hides unmerged replays');
    await store.command(sql`OPTIMIZE TABLE ${ident(DB)}.points FINAL`);
    assert.equal(await count(store, 'points', false), 100, 'merging removes them for good');
  });

  it('points: window bounds are [from, to) and the service filter applies', async () => {
    const got = await store.queryPoints({ from: T0 + 10_000, to: T0 + 20_000, services: ['svc-a'] });
    assert.deepEqual(got[0]?.points.map((p) => p.t), Array.from({ length: 10 }, (_, i) => T0 + (10 + i) * 1000));
    assert.deepEqual(await store.queryPoints({ from: T0, to: T0 + 3600_000, services: ['nobody'] }), []);
    assert.deepEqual(await store.queryPoints({ from: T0, to: T0 + 3600_000, services: [] }), []);
  });

  it('series view lists each series once with first/last seen', async () => {
    const rows = await store.query<{ series_id: string; first_seen_ms: string; last_seen_ms: string; unit: string }>(
      sql`SELECT series_id, first_seen_ms, last_seen_ms, unit FROM ${ident(DB)}.series ORDER BY series_id`,
    );
    assert.equal(rows.length, 2);
    assert.equal(Number(rows[0]?.first_seen_ms), T0);
    assert.equal(Number(rows[0]?.last_seen_ms), T0 + 49_000);
    assert.equal(rows[0]?.unit, '{file}');
  });

  it('breakpoints, changes and analyses round-trip and replay idempotently', async () => {
    const bp: Breakpoint = {
      series: svcSeries('h1'),
      time: T0 + 20_000,
      detectedAt: T0 + 25_000,
      kind: 'slope_change',
      before: { level: 100, slope: 0 },
      after: { level: 120, slope: 300 },
      magnitude: 6.5,
      confidence: 0.93,
      exhaustionAt: T0 + 3 * 3600_000,
      limit: 1024,
    };
    const change: ChangeEvent = { id: 'chg-1', source: 'team-b/deployer', type: 'config', rawType: 'com.acme.change.config', service: 'svc-b', team: 'team-b', time: T0 + 5000, summary: 'pool size 10→100', keys: ['client.pool.size'],
      settings: [{ key: 'client.pool.size', from: '10', to: '100' }, { key: 'client.retry', to: '' }, { key: 'client.legacy', from: "it's on" }],
      origins: [{ source: 'github/acme/svc-b', id: 'd-9', kind: 'github.deployment_status', url: 'https://github.com/acme/svc-b/deployments' }, { source: 'k8s/prod', id: 'rs-svc-b-7f9' }],
    };
    const analysis: StoredAnalysis = {
      id: 'svc-a@x',
      service: 'svc-a',
      at: T0 + 30_000,
      from: T0,
      to: T0 + 60_000,
      createdAt: T0 + 31_000,
      breakpoints: [bp],
      suspects: [{ id: 'chg-1', service: 'svc-b', team: 'team-b', type: 'config', time: T0 + 5000, score: 0.81, evidence: ['connections from svc-b doubled', "fd slope 0→300/h"] }],
    };
    for (let i = 0; i < 2; i++) {
      await store.insertBreakpoints([bp]);
      await store.insertChanges([change]);
      await store.insertAnalysis(analysis);
    }
    assert.deepEqual(await store.queryBreakpoints({ from: T0, to: T0 + 60_000, service: 'svc-a' }), [bp]);
    assert.deepEqual(await store.queryChanges({ from: T0, to: T0 + 60_000, team: 'team-b' }), [change]);
    assert.deepEqual(await store.queryChanges({ from: T0, to: T0 + 60_000, service: 'svc-a' }), []);
    const recent = await store.recentAnalyses({ service: 'svc-a', limit: 5 });
    assert.equal(recent.length, 1);
    assert.deepEqual(recent[0]?.suspects, analysis.suspects);
    assert.equal(recent[0]?.breakpoints[0]?.exhaustionAt, bp.exhaustionAt);
    const sus = await store.query<{ rank: number; change_id: string; evidence: string[] }>(sql`SELECT rank, change_id, evidence FROM ${ident(DB)}.analysis_suspects FINAL`);
    assert.deepEqual(sus, [{ rank: 1, change_id: 'chg-1', evidence: analysis.suspects[0]!.evidence }]);
  });

  it('dead letters and pipeline stats round-trip and replay idempotently', async () => {
    const dl = { t: T0, topic: 'otlp_metrics', partition: 2, offset: '9007199254740993', reason: 'line 1: not JSON', code: 'BAD_INPUT', payload: Buffer.from([0x0a, 0xff]), key: 'svc-a' };
    await store.insertDeadLetters([dl, dl]);
    const stats = { t: T0, instance: 'i-1', pointsIn: 100, breakpoints: 1, deadLetters: 1, lag: 5, batchMs: 12.5, changeWebhooks: [{ kind: 'github', accepted: 4, refused: 1 }, { kind: 'argocd', accepted: 0, refused: 2 }] };
    await store.insertPipelineStats(stats);
    await store.insertPipelineStats(stats);
    const d = await store.query<Record<string, unknown>>(sql`SELECT topic, \`partition\`, \`offset\`, payload, payload_size, key FROM ${ident(DB)}.dead_letters FINAL`);
    assert.deepEqual(d, [{ topic: 'otlp_metrics', partition: 2, offset: '9007199254740993', payload: 'base64:Cv8=', payload_size: 2, key: 'svc-a' }]);
    assert.equal(await count(store, 'pipeline_stats'), 1);
    const hooks = await store.query<Record<string, unknown>>(sql`SELECT change_webhooks_accepted AS a, change_webhooks_refused AS r, kind, ka, kr
FROM ${ident(DB)}.pipeline_stats FINAL ARRAY JOIN change_webhook_kinds AS kind, change_webhook_kinds_accepted AS ka, change_webhook_kinds_refused AS kr ORDER BY kind`);
    assert.deepEqual(hooks, [
      { a: '4', r: '3', kind: 'argocd', ka: '0', kr: '2' },
      { a: '4', r: '3', kind: 'github', ka: '4', kr: '1' },
    ]);
  });

  it('escaping: nasty strings round-trip through the server, in SELECT and as filters', async () => {
    const nasty = ["O'Brien", "\\'; DROP TABLE points; --", 'nul\u0000byte', 'tab\tnew\nline\r', '\u0001\u007f', 'ünï 日本 😀', '{name:String}', 'back\\', "''", '`x`'];
    for (const s of nasty) {
      const rows = await store.query<{ v: string }>(sql`SELECT ${s} AS v`);
      assert.equal(rows[0]?.v, s);
    }
    const changes: ChangeEvent[] = nasty.map((s, i) => ({ id: `n${i}`, source: s, type: 'flag', rawType: 'x.change.flag', service: s, team: s, time: T0 + 100 + i, summary: s }));
    await store.insertChanges(changes);
    for (const c of changes) {
      assert.deepEqual(await store.queryChanges({ from: T0, to: T0 + 1000, service: c.service }), [c]);
    }
    assert.equal(await count(store, 'points'), 100, 'no injected statement ran');
  });

  it('escaping: nasty service names and label values round-trip through the RowBinary points path', async () => {
    const nasty = ['tab\there', 'new\nline\r', 'nul\u0000', 'back\\', "q'uote", '\\t literal', 'ünï 😀'];
    const batch: Sample[] = nasty.map((s, i) => ({ series: makeSeries('weird.metric', { 'service.name': s, v: s }, s, s), t: T0 + 500_000 + i, v: i }));
    await store.insertPoints(batch);
    for (const [i, s] of nasty.entries()) {
      const got = await store.queryPoints({ from: T0 + 500_000, to: T0 + 600_000, services: [s] });
      assert.deepEqual(got, [{ series: batch[i]!.series, points: [{ t: T0 + 500_000 + i, v: i }] }]);
    }
  });

  it('maps real failures: SQL errors to STORE_FAILED, an unreachable server to STORE_UNAVAILABLE', async () => {
    await assert.rejects(store.query(sql`SELECT nope FROM ${ident(DB)}.points`), (e: unknown) => e instanceof EpicenterError && e.code === 'STORE_FAILED' && !e.retriable);
    const down = parseConfig({ clickhouse: { url: 'http://127.0.0.1:1', database: DB } }).clickhouse;
    await assert.rejects(createClickHouseStore(down), (e: unknown) => e instanceof EpicenterError && e.code === 'STORE_UNAVAILABLE' && e.retriable);
  });

  it('maintain() drops daily partitions older than retentionDays and keeps the rest', async () => {
    const day = 86_400_000;
    const now = T0;
    const old = samples('old', 0, 3).map((s) => ({ ...s, t: s.t - 8 * day }));
    const fresh = samples('fresh', 0, 3).map((s) => ({ ...s, t: s.t - day }));
    await store.insertPoints([...old, ...fresh]);
    const aged = await createClickHouseStore(cfg, { now: () => now });
    try {
      const r = await aged.maintain();
      // On TTL servers the old rows never landed (TTL drops them at insert); on 18.16 maintain() drops them.
      if (!store.features.ttl) assert.ok(r.dropped.some((p) => p.startsWith('points:')), `dropped ${r.dropped.join(',')}`);
    } finally {
      await aged.close();
    }
    const left = await store.queryPoints({ from: 0, to: now });
    assert.deepEqual(left.map((s) => s.series.labels['host']), ['fresh']);
  });

  it('the writer keeps rows while ClickHouse is stopped and stores them all, exactly once, after', async () => {
    const s2 = await createClickHouseStore(cfg, { requestTimeoutMs: 2000 });
    const writer = createClickHouseWriter(s2, cfg, { maxBackoffMs: 500 });
    const base = T0 + 5 * 86_400_000; // a day of its own
    const mk = (from: number, n: number): Sample[] => samples('outage', from, n).map((s) => ({ ...s, t: s.t + 5 * 86_400_000 }));
    try {
      assert.deepEqual(writer.writePoints(mk(0, 1500)), []);
      await writer.flush();
      await services('stop-clickhouse');
      try {
        writer.writePoints(mk(1500, 700));
        writer.writePoints(mk(0, 200)); // a replay of already stored rows, mid-outage
        const pending = writer.flush();
        await new Promise((r) => setTimeout(r, 2000));
        assert.equal(writer.buffered(), 900, 'rows are held, not dropped');
        assert.ok(writer.stats().retries > 0);
        assert.equal(writer.stats().lastError?.code, 'STORE_UNAVAILABLE');
        await services('start-clickhouse');
        await pending;
      } finally {
        if (!(await clickhouseUp())) await services('start-clickhouse');
      }
      assert.equal(writer.buffered(), 0);
      const got = await store.queryPoints({ from: base, to: base + 86_400_000 });
      assert.equal(got[0]?.points.length, 2200);
      assert.deepEqual(got[0]?.points.map((p) => p.v), Array.from({ length: 2200 }, (_, i) => i));
    } finally {
      await writer.close();
    }
  });

  it('series: the writer sends series rows itself, points alone add nothing (series_mv is gone)', async () => {
    const tables = await store.query<{ name: string }>(sql`SELECT name FROM system.tables WHERE database = ${DB} AND name LIKE 'series%' ORDER BY name`);
    assert.deepEqual(tables.map((t) => t.name), ['series', 'series_agg', 'series_seen', 'series_seen_mv']);
    const writer = createClickHouseWriter(store, cfg, { closeStore: false });
    const h3 = svcSeries('h3');
    const seriesOf = () => store.query<{ first_seen_ms: string; last_seen_ms: string; first_seen: number; n: string }>(
      sql`SELECT first_seen_ms, last_seen_ms, toUnixTimestamp(first_seen) AS first_seen, count() AS n FROM ${ident(DB)}.series WHERE series_id = ${h3.id} GROUP BY first_seen_ms, last_seen_ms, first_seen`,
    );
    try {
      assert.deepEqual(writer.writePoints(samples('h3', 0, 20)), []);
      await writer.flush();
      assert.deepEqual(await seriesOf(), []);
      writer.writeSeries([{ series: h3, first: T0 + 1500, last: T0 + 9000 }]);
      writer.writeSeries([{ series: h3, first: T0 + 5000, last: T0 + 19_000 }]);
      await writer.flush();
      assert.deepEqual(await seriesOf(), [{ first_seen_ms: String(T0 + 1500), last_seen_ms: String(T0 + 19_000), first_seen: (T0 + 1000) / 1000, n: '1' }]);
    } finally {
      await writer.close();
    }
  });
});

describe('clickhouse: a database made before migration 4 (series_mv) is migrated (real server)', function () {
  this.timeout(120_000);
  const DB4 = `epicenter_mv4_${randomBytes(4).toString('hex')}`;
  const cfg4 = parseConfig({ clickhouse: { database: DB4, batchRows: 1000, batchMs: 100, retentionDays: 3 } }).clickhouse;
  const conn = openConnection(cfg4);
  const old = svcSeries('old');

  after(async () => {
    await conn.command(sql`DROP DATABASE IF EXISTS ${ident(DB4)}`);
    await conn.close();
  });

  const seriesRows = () =>
    conn.query<{ host: string; first_seen_ms: string; last_seen_ms: string }>(
      sql`SELECT visitParamExtractString(labels, 'host') AS host, first_seen_ms, last_seen_ms FROM ${ident(DB4)}.series ORDER BY host`,
    );

  it('drops series_mv, keeps what series_agg holds readable through series, and takes series rows after; re-running changes nothing', async () => {
    // Schema v1 as it was, fed by points through series_mv.
    const features = await detectFeatures(conn);
    await conn.command(sql`CREATE DATABASE IF NOT EXISTS ${ident(DB4)}`);
    await conn.command(migrationsTableDdl(DB4));
    for (const q of MIGRATIONS[0]!.statements({ db: DB4, features, retentionDays: 3 })) await conn.command(q);
    await conn.insert(`${DB4}.${TABLES.migrations}`, [{ version: 1, name: 'initial', applied_at: 0, applied_at_ms: 0, server_version: features.version }]);
    const point = (t: number) => ({ series_id: old.id, service: old.service, metric: old.metric, labels: JSON.stringify({ host: 'old', 'service.name': 'svc-a' }), unit: old.unit, t: Math.floor(t / 1000), t_ms: t, value: 1 });
    await conn.insert(`${DB4}.${TABLES.points}`, [point(T0), point(T0 + 9000)]);
    assert.deepEqual(await seriesRows(), [{ host: 'old', first_seen_ms: String(T0), last_seen_ms: String(T0 + 9000) }]);

    const m = await migrate(conn, { database: DB4, retentionDays: 3 });
    assert.deepEqual(m.applied, MIGRATIONS.slice(1).map((x) => x.version));
    const tables = await conn.query<{ name: string }>(sql`SELECT name FROM system.tables WHERE database = ${DB4} AND name LIKE 'series%' ORDER BY name`);
    assert.deepEqual(tables.map((t) => t.name), ['series', 'series_agg', 'series_seen', 'series_seen_mv']);
    assert.deepEqual(await seriesRows(), [{ host: 'old', first_seen_ms: String(T0), last_seen_ms: String(T0 + 9000) }], 'rows from before stay readable');

    const store = await createClickHouseStore(cfg4);
    const writer = createClickHouseWriter(store, cfg4);
    try {
      // Points alone no longer touch series; a series row widens what was there, a new series appears.
      writer.writePoints([{ series: old, t: T0 + 60_000, v: 2 }]);
      await writer.flush();
      assert.equal((await seriesRows())[0]?.last_seen_ms, String(T0 + 9000));
      writer.writeSeries([{ series: old, first: T0 + 60_000, last: T0 + 60_000 }, { series: svcSeries('new'), first: T0 + 61_000, last: T0 + 62_000 }]);
      await writer.flush();
      const want = [
        { host: 'new', first_seen_ms: String(T0 + 61_000), last_seen_ms: String(T0 + 62_000) },
        { host: 'old', first_seen_ms: String(T0), last_seen_ms: String(T0 + 60_000) },
      ];
      assert.deepEqual(await seriesRows(), want);

      // Re-running: recorded versions skip it; a half-applied run (migration 4 not recorded) runs its statements again harmlessly.
      assert.deepEqual((await migrate(conn, { database: DB4, retentionDays: 3 })).applied, []);
      await conn.command(sql`ALTER TABLE ${ident(DB4)}.${ident(TABLES.migrations)} DELETE WHERE version = 4`);
      await waitFor(async () => (await conn.query(sql`SELECT version FROM ${ident(DB4)}.${ident(TABLES.migrations)} WHERE version = 4`)).length === 0);
      assert.deepEqual((await migrate(conn, { database: DB4, retentionDays: 3 })).applied, [4]);
      assert.deepEqual(await seriesRows(), want);
    } finally {
      await writer.close();
    }
  });
});

async function waitFor(ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('waitFor: condition not met in 10 s');
}
