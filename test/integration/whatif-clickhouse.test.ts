/**
 * What-if against the REAL ClickHouse (scripts/services.sh; 18.16 here): the bundled story stored
 * as `epicenter run` would, `epicenter whatif --source clickhouse` (through bin/epicenter.js) and
 * POST /v1/whatif each keep their verdict in `whatif_verdicts`, read back through the store.
 * Uses a unique database and drops it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ident, sql } from '../../src/clickhouse/sql';
import { createClickHouseStore, type ClickHouseStore } from '../../src/clickhouse/store';
import { loadChangeFiles, loadMetricFiles } from '../../src/cli/io';
import { parseConfig } from '../../src/config/load';
import { decodeTopology } from '../../src/formats';
import { createHttpServer } from '../../src/http/server';

const ROOT = join(__dirname, '..', '..');
const INCIDENT = join(ROOT, 'examples', 'incident');
const DB = `epicenter_whatif_${randomBytes(4).toString('hex')}`;
const cfg = parseConfig({ log: { level: 'silent' }, clickhouse: { database: DB, batchRows: 50_000, batchMs: 100, retentionDays: 3 } });

describe('what-if verdicts in ClickHouse (real server)', function () {
  this.timeout(300_000);
  let store: ClickHouseStore;
  let dir = '';

  before(async () => {
    store = await createClickHouseStore(cfg.clickhouse);
    await store.insertPoints(loadMetricFiles([join(INCIDENT, 'metrics.ndjson')]).samples);
    await store.insertChanges(loadChangeFiles([join(INCIDENT, 'changes.ndjson')]).changes);
    dir = mkdtempSync(join(tmpdir(), 'epicenter-whatif-ch-'));
  });

  after(async () => {
    if (store !== undefined) {
      await store.dropDatabase();
      await store.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('`epicenter whatif --source clickhouse` predicts the story\'s breach from stored data and keeps the verdict', async () => {
    const config = join(dir, 'config.yaml');
    writeFileSync(config, `clickhouse:\n  url: ${cfg.clickhouse.url}\n  database: ${DB}\n`);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'epicenter.js'), 'whatif', '--source', 'clickhouse', '--config', config, '--topology', join(INCIDENT, 'topology.yaml'), '--propose', join(INCIDENT, 'proposal.json'), '--json'], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
    assert.equal(r.status, 1, `exit 1 on a breach: ${r.stderr}`);
    const printed = JSON.parse(r.stdout) as { verdict: string; breaches: { service: string; predicted: number }[] };
    assert.equal(printed.verdict, 'breach');

    const [v, ...more] = await store.recentWhatIfVerdicts({ limit: 10 });
    assert.equal(more.length, 0, 'one verdict stored');
    assert.ok(v !== undefined);
    assert.equal(v.origin, 'cli');
    assert.deepEqual(v.proposal, { id: 'proposal-order-sync-pool', service: 'order-sync', type: 'config', team: 'fulfilment', summary: 'order-sync: set http.client.pool.min_idle 30 → 1200', time: Date.parse('2026-03-12T13:02:00Z') });
    assert.equal(v.verdict, 'breach');
    const b = v.breaches[0];
    assert.ok(b !== undefined);
    assert.equal(b.service, 'checkout-api');
    assert.equal(b.metric, 'process.open_file_descriptor.count');
    assert.equal(b.limit, 1024);
    assert.equal(b.team, 'checkout');
    assert.deepEqual(b.path, ['order-sync', 'checkout-api']);
    assert.equal(b.predicted, printed.breaches[0]?.predicted);
    assert.ok(Math.abs(v.at - Date.now()) < 120_000, 'kept with the time it ran');
    const line = await store.query<{ s: string }>(sql`SELECT breach_summary AS s FROM ${ident(DB)}.whatif_verdicts FINAL`);
    assert.match(line[0]?.s ?? '', /^checkout-api process\.open_file_descriptor\.count \[[\w-]+\] 1\d{3}(\.\d)? ≥ 1024 \(team checkout\)$/);
  });

  it('POST /v1/whatif keeps its verdict too, next to the CLI\'s', async () => {
    const topology = decodeTopology(readFileSync(join(INCIDENT, 'topology.yaml'), 'utf8'), { file: 'topology.yaml' }).topology;
    const app = createHttpServer({
      config: cfg, store, verdicts: store, topology: () => topology,
      changes: { publishChanges: () => Promise.resolve() },
      analyze: () => Promise.reject(new Error('not used')),
    });
    try {
      const res = await app.inject({ method: 'POST', url: '/v1/whatif', payload: JSON.parse(readFileSync(join(INCIDENT, 'proposal.json'), 'utf8')) as object });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json<{ verdict: string }>().verdict, 'breach');
    } finally {
      await app.close();
    }
    const vs = await store.recentWhatIfVerdicts({ limit: 10 });
    assert.deepEqual(vs.map((v) => v.origin).sort(), ['cli', 'http']);
    assert.ok(vs.every((v) => v.verdict === 'breach' && v.breaches[0]?.team === 'checkout'));
    assert.deepEqual(await store.recentWhatIfVerdicts({ service: 'checkout-api', limit: 10 }), [], 'filtered by the proposal\'s service');
  });

  it('the Grafana panel "Recent what-if verdicts" shows them, filtered by a service at risk', async () => {
    const dash = JSON.parse(readFileSync(join(ROOT, 'dashboards', 'epicenter-suspects.json'), 'utf8')) as { panels: { title: string; targets: { rawSql: string }[] }[] };
    const raw = dash.panels.find((p) => p.title === 'Recent what-if verdicts')?.targets[0]?.rawSql;
    assert.ok(raw !== undefined, 'the panel exists');
    // The plugin's expansions for this query: $__timeFilter(c) and ${v:sqlstring} (see dashboards.test.ts).
    const expand = (service: string): string => raw.replace(/\$\{db\}/g, DB).replace('$__timeFilter(t)', 't >= toDateTime(0) AND t <= toDateTime(4000000000)').replace(/\$\{service:sqlstring\}/g, `'${service}'`);
    const res = await fetch(cfg.clickhouse.url, { method: 'POST', body: `${expand('checkout-api')} FORMAT JSON` });
    assert.equal(res.status, 200, await res.clone().text());
    const out = (await res.json()) as { meta: { name: string }[]; data: Record<string, unknown>[] };
    assert.deepEqual(out.meta.map((m) => m.name), ['ran_at', 'verdict', 'proposal_id', 'service', 'team', 'type', 'breaches', 'teams_to_warn', 'risks', 'summary', 'origin']);
    assert.equal(out.data.length, 2, 'both verdicts: checkout-api is at risk in them');
    assert.ok(out.data.every((r) => r['verdict'] === 'breach' && r['teams_to_warn'] === 'checkout' && String(r['breaches']).startsWith('checkout-api ')));
    const none = (await (await fetch(cfg.clickhouse.url, { method: 'POST', body: `${expand('catalog-api')} FORMAT JSON` })).json()) as { data: unknown[] };
    assert.equal(none.data.length, 0);
  });
});
