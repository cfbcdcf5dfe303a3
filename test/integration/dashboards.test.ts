import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createClickHouseStore, type ClickHouseStore } from '../../src/clickhouse/store';
import { parseConfig } from '../../src/config/load';
import { checksOf, DASHBOARD_VAR_SETS, expandedChecks, expandMacros, interpolateVariables, loadDashboards, panelProblems, seedIncident, type MacroContext } from './helpers/dashboards';

/**
 * Every query of every dashboard in dashboards/ — panel targets, annotations, template variables —
 * expanded the way Grafana and the grafana-clickhouse-datasource plugin do, then run against the
 * REAL ClickHouse (scripts/services.sh), in a fresh database seeded through the project's store.
 * Each query must run and return the columns its panel needs.
 */

const ROOT = join(__dirname, '..', '..');
const CH_URL = process.env['EPICENTER_CLICKHOUSE_URL'] ?? 'http://127.0.0.1:8123';

// ------------------------------------------------------------------ ClickHouse over HTTP (to see column types)

interface ChResult {
  readonly meta: readonly { name: string; type: string }[];
  readonly data: readonly Record<string, unknown>[];
}

async function run(sql: string): Promise<ChResult> {
  const res = await fetch(CH_URL, { method: 'POST', body: `${sql}\nFORMAT JSON` });
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse ${res.status}: ${text.slice(0, 600)}\n--- query ---\n${sql}`);
  return JSON.parse(text) as ChResult;
}

// ------------------------------------------------------------------ tests

describe('dashboards: macro and variable expansion (as the plugin does it)', () => {
  it('expands the plugin macros like pkg/macros/macros.go', () => {
    const ctx = { from: 1_714_574_400_123, to: 1_714_578_000_999, intervalS: 30.7 };
    assert.equal(expandMacros('$__timeFilter(t)', ctx), 't >= toDateTime(1714574400) AND t <= toDateTime(1714578000)');
    assert.equal(expandMacros('$__timeInterval( t )', ctx), 'toStartOfInterval(toDateTime(t), INTERVAL 30 second)');
    assert.equal(expandMacros('$__fromTime < $__toTime, $__interval_s', ctx), 'toDateTime(1714574400) < toDateTime(1714578000), 30');
    assert.throws(() => expandMacros('$__timeFilter()', ctx), /expected 1 argument/);
  });

  it('substitutes variables with sqlstring quoting, raw custom all values and plugin-quoted arrays', () => {
    const vars = { s: "o'k", all: { all: ['a', 'b'], allValue: "'__all__'" }, many: ['x', 'y'], db: 'e1' };
    assert.equal(interpolateVariables('${s:sqlstring} ${all:sqlstring} ${many:sqlstring} ${db}.t $__timeFilter(t)', vars), "'o''k' '__all__' 'x','y' e1.t $__timeFilter(t)");
    assert.equal(interpolateVariables('[[many]] $many', vars), "'x','y' 'x','y'");
  });
});

describe('dashboards: every query runs on the real ClickHouse and feeds its panel', function () {
  this.timeout(180_000);
  const dashboards = loadDashboards();
  const db = `epicenter_dash_${process.pid}_${Date.now().toString(36)}`;
  const now = Date.now();
  let store: ClickHouseStore;
  let version = '';

  before(async () => {
    execFileSync('bash', [join(ROOT, 'scripts', 'services.sh'), 'up'], { stdio: 'ignore' });
    store = await createClickHouseStore(parseConfig({ clickhouse: { url: CH_URL, database: db } }).clickhouse);
    version = store.serverVersion();
    await seedIncident(store, now);
  });

  after(async () => {
    if (store !== undefined) {
      await store.dropDatabase();
      await store.close();
    }
  });

  const ctx: MacroContext = { from: Date.now() - 3 * 3600_000, to: Date.now() + 300_000, intervalS: 60 };

  it('dashboards are for grafana-clickhouse-datasource via ${DS}, use only DateTime macros, and no $__timeInterval', () => {
    assert.ok(dashboards.length >= 3, 'service, suspects and pipeline dashboards');
    for (const d of dashboards) {
      const ds = d.templating.list.find((v) => v.type === 'datasource');
      assert.equal((ds as { query?: string } | undefined)?.query, 'grafana-clickhouse-datasource', `${d.uid}: DS variable`);
      for (const p of d.panels) {
        for (const t of p.targets ?? []) {
          assert.equal(t.datasource?.uid, '${DS}', `${d.uid} / ${p.title}`);
          assert.equal(t.editorType, 'sql');
          assert.ok(t.format === 0 || t.format === 1, `${d.uid} / ${p.title}: format`);
        }
      }
      for (const c of checksOf(d)) {
        assert.notEqual(c.sql.trim(), '', `${c.where}: empty SQL`);
        assert.doesNotMatch(c.sql, /_ms\(|DateTime64|\$__timeInterval/, `${c.where}: needs DateTime64 or toStartOfInterval (absent on 18.16)`);
      }
    }
  });

  it("the plugin's $__timeInterval needs toStartOfInterval, which ClickHouse 18.16 lacks (why the dashboards bucket with $__interval_s)", async () => {
    const q = `SELECT ${expandMacros('$__timeInterval(t)', ctx)} AS time FROM (SELECT now() AS t)`;
    const major = Number(version.split('.')[0]);
    if (major < 19) await assert.rejects(run(q), /toStartOfInterval/);
    else assert.equal((await run(q)).data.length, 1);
  });

  for (const { label, vars } of DASHBOARD_VAR_SETS) {
    it(`every query runs and returns its panel's columns (${label})`, async () => {
      const problems: string[] = [];
      for (const c of expandedChecks(dashboards, { ...vars, db }, ctx)) {
        if (c.unexpanded !== undefined) {
          problems.push(`${c.where}: unexpanded ${c.unexpanded}`);
          continue;
        }
        try {
          problems.push(...panelProblems(c, (await run(c.sql)).meta));
        } catch (e) {
          problems.push(`${c.where}: ${(e as Error).message}`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it('the seeded incident shows up: trend points, breakpoints, changes, the top suspect, throughput, change webhooks and dead letters', async () => {
    const byTitle = (uid: string, title: string): string => {
      const p = dashboards.find((d) => d.uid === uid)?.panels.find((x) => x.title === title);
      assert.ok(p, `${uid}: panel ${title}`);
      return p.targets?.[0]?.rawSql ?? '';
    };
    const vars = { ...DASHBOARD_VAR_SETS[0]!.vars, db };
    const rows = async (sql: string) => (await run(expandMacros(interpolateVariables(sql, vars), ctx))).data;
    const trend = await rows(byTitle('epicenter-service', 'Resource trend: $metric'));
    assert.ok(trend.length >= 100, `trend rows: ${trend.length}`);
    const bps = await rows(byTitle('epicenter-service', 'Breakpoints of $service'));
    assert.equal(bps.length, 1);
    assert.equal(bps[0]?.['kind'], 'slope_change');
    const top = await rows(byTitle('epicenter-suspects', 'Top suspect of each analysis'));
    assert.equal(top[0]?.['change_id'], 'cfg-b-1');
    assert.equal(top[0]?.['team'], 'team-b');
    const thr = await rows(byTitle('epicenter-pipeline', 'Throughput'));
    assert.ok(thr.some((r) => Number(r['points_per_s']) === 50), JSON.stringify(thr));
    const dl = await rows(byTitle('epicenter-pipeline', 'Latest dead letters'));
    assert.equal(dl[0]?.['code'], 'BAD_INPUT');
    const hooks = await rows(byTitle('epicenter-pipeline', 'Change webhooks by source kind'));
    assert.deepEqual([hooks.every((r) => r['kind'] === 'github'), hooks.reduce((n, r) => n + Number(r['accepted']), 0), hooks.reduce((n, r) => n + Number(r['refused']), 0)], [true, 8, 1]);
    const teams = await rows(dashboards.find((d) => d.uid === 'epicenter-service')!.templating.list.find((v) => v.name === 'team')!.query as string);
    assert.deepEqual(teams.map((r) => r['team']), ['team-a', 'team-b']);
  });
});
