import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS, parseServerVersion, TABLES } from '../../src/clickhouse/schema';
import { createClickHouseStore, type ClickHouseStore } from '../../src/clickhouse/store';
import { parseConfig } from '../../src/config/load';
import { makeSeries } from '../../src/domain/series';
import type { Sample } from '../../src/domain/types';

/**
 * Every query of every dashboard in dashboards/ — panel targets, annotations, template variables —
 * expanded the way Grafana and the grafana-clickhouse-datasource plugin do, then run against the
 * REAL ClickHouse (scripts/services.sh), in a fresh database seeded through the project's store.
 * Each query must run and return the columns its panel needs.
 */

const ROOT = join(__dirname, '..', '..');
const CH_URL = process.env['EPICENTER_CLICKHOUSE_URL'] ?? 'http://127.0.0.1:8123';

// ------------------------------------------------------------------ expansion, as Grafana does it

/** A template variable's current value: one string, several, or "All" (with its custom all value, if any). */
type VarValue = string | readonly string[] | { all: readonly string[]; allValue?: string };

/** Grafana's `sqlstring` format: single-quoted, quotes doubled, arrays comma-joined. */
function sqlstring(v: string | readonly string[]): string {
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return typeof v === 'string' ? q(v) : v.map(q).join(',');
}

/**
 * Frontend step (Grafana templateSrv.replace with the plugin's format function): `$v`, `${v}`,
 * `${v:fmt}`, `[[v]]`. A custom all value is inserted raw whatever the format (Grafana skips
 * formatting it); without an explicit format the plugin quotes arrays and leaves strings raw.
 * Unknown names (macros like `$__timeFilter`) are left for the backend.
 */
export function interpolateVariables(sql: string, vars: Readonly<Record<string, VarValue>>): string {
  return sql.replace(/\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g, (m, a?: string, b?: string, bf?: string, c?: string, cf?: string) => {
    const name = a ?? b ?? c ?? '';
    const fmt = bf ?? cf;
    const v = vars[name];
    if (v === undefined) return m;
    if (typeof v === 'object' && 'all' in v) {
      if (v.allValue !== undefined) return v.allValue;
      return fmt === 'sqlstring' ? sqlstring(v.all) : `'${v.all.join("','")}'`;
    }
    if (fmt === 'sqlstring') return sqlstring(v);
    if (fmt !== undefined && fmt !== 'raw') throw new Error(`format ${fmt} not emulated`);
    return typeof v === 'string' ? v : `'${v.join("','")}'`;
  });
}

export interface MacroContext {
  /** epoch ms */
  readonly from: number;
  readonly to: number;
  /** Grafana's query interval, seconds. */
  readonly intervalS: number;
}

/**
 * Backend step: the plugin's macros (pkg/macros/macros.go in grafana/clickhouse-datasource, applied
 * by sqlds). Expansions are copied from there; `$__timeInterval` becomes
 * `toStartOfInterval(toDateTime(c), INTERVAL n second)`, which ClickHouse 18.16 does not have.
 */
export function expandMacros(sql: string, ctx: MacroContext): string {
  const dt = (ms: number) => `toDateTime(${Math.floor(ms / 1000)})`;
  const dt64 = (ms: number) => `fromUnixTimestamp64Milli(${Math.floor(ms)})`;
  const s = Math.max(1, Math.floor(ctx.intervalS));
  return sql.replace(/\$__(\w+)\b(?:\(([^)]*)\))?/g, (m, name: string, rawArgs?: string) => {
    const args = rawArgs === undefined ? [] : rawArgs.split(',').map((x) => x.trim());
    const one = (): string => {
      if (args.length !== 1 || args[0] === '') throw new Error(`${m}: expected 1 argument`);
      return args[0]!;
    };
    switch (name) {
      case 'fromTime':
        return dt(ctx.from);
      case 'toTime':
        return dt(ctx.to);
      case 'fromTime_ms':
        return dt64(ctx.from);
      case 'toTime_ms':
        return dt64(ctx.to);
      case 'timeFilter': {
        const c = one();
        return `${c} >= ${dt(ctx.from)} AND ${c} <= ${dt(ctx.to)}`;
      }
      case 'timeFilter_ms': {
        const c = one();
        return `${c} >= ${dt64(ctx.from)} AND ${c} <= ${dt64(ctx.to)}`;
      }
      case 'timeInterval':
        return `toStartOfInterval(toDateTime(${one()}), INTERVAL ${s} second)`;
      case 'timeInterval_ms':
        return `toStartOfInterval(toDateTime64(${one()}, 3), INTERVAL ${Math.max(1, Math.floor(ctx.intervalS * 1000))} millisecond)`;
      case 'interval_s':
        return String(s);
      default:
        throw new Error(`unknown macro ${m}`);
    }
  });
}

// ------------------------------------------------------------------ the dashboards

interface Target {
  readonly refId?: string;
  readonly rawSql?: string;
  readonly format?: number;
  readonly editorType?: string;
  readonly datasource?: { type?: string; uid?: string };
}
interface Panel {
  readonly title: string;
  readonly type: string;
  readonly targets?: readonly Target[];
  readonly transformations?: readonly { id: string; options: { indexByName?: Record<string, number> } }[];
  readonly repeat?: string;
}
interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
  readonly annotations: { list: readonly { name: string; target?: Target; datasource?: { uid?: string } }[] };
  readonly templating: { list: readonly { name: string; type: string; query?: unknown; datasource?: { uid?: string }; allValue?: string }[] };
}

/** One query to check: where it is, its SQL, and what its consumer needs. */
interface Check {
  readonly where: string;
  readonly sql: string;
  readonly kind: 'timeseries' | 'table' | 'annotation' | 'variable';
  /** Table panels: the exact columns, from the panel's organize transformation. */
  readonly columns?: readonly string[];
}

function loadDashboards(): Dashboard[] {
  const dir = join(ROOT, 'dashboards');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Dashboard);
}

function checksOf(d: Dashboard): Check[] {
  const out: Check[] = [];
  for (const p of d.panels) {
    const organize = p.transformations?.find((t) => t.id === 'organize')?.options.indexByName;
    const columns = organize === undefined ? undefined : Object.entries(organize).sort((a, b) => a[1] - b[1]).map(([k]) => k);
    for (const t of p.targets ?? []) {
      const kind = t.format === 0 ? 'timeseries' : 'table';
      out.push({ where: `${d.uid} / panel "${p.title}" / ${t.refId ?? '?'}`, sql: t.rawSql ?? '', kind, ...(columns === undefined ? {} : { columns }) });
    }
  }
  for (const a of d.annotations.list) out.push({ where: `${d.uid} / annotation "${a.name}"`, sql: a.target?.rawSql ?? '', kind: 'annotation' });
  for (const v of d.templating.list) {
    if (v.type === 'query') out.push({ where: `${d.uid} / variable ${v.name}`, sql: typeof v.query === 'string' ? v.query : '', kind: 'variable' });
  }
  return out;
}

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

const NUMERIC = /^(Nullable\()?(U?Int\d+|Float\d+|Decimal)/;

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
  const T = (minAgo: number) => now - minAgo * 60_000;
  let store: ClickHouseStore;
  let version = '';

  before(async () => {
    execFileSync('bash', [join(ROOT, 'scripts', 'services.sh'), 'up'], { stdio: 'ignore' });
    store = await createClickHouseStore(parseConfig({ clickhouse: { url: CH_URL, database: db } }).clickhouse);
    version = store.serverVersion();
    const fds = makeSeries('process.open_file_descriptor.count', { 'service.name': 'A' }, 'A', '{file}');
    const conns = makeSeries('http.client.open_connections', { 'service.name': 'B', 'server.address': 'A' }, 'B', '{connection}');
    const samples: Sample[] = [];
    for (let m = 120; m >= 0; m--) {
      samples.push({ series: fds, t: T(m), v: m > 60 ? 120 : 120 + (60 - m) * 15 });
      samples.push({ series: conns, t: T(m), v: m > 61 ? 20 : 400 });
    }
    await store.insertPoints(samples);
    await store.insertChanges([
      { id: 'cfg-b-1', source: 'ci/B', type: 'config', rawType: 'com.acme.change.config', service: 'B', team: 'team-b', time: T(62), summary: "raise pool size (it's big)", keys: ['http.pool.max'] },
      { id: 'dep-a-7', source: 'ci/A', type: 'deploy', rawType: 'com.acme.change.deploy', service: 'A', team: 'team-a', time: T(40), summary: 'release', version: '2.3.1' },
    ]);
    const bp = { series: fds, time: T(60), detectedAt: T(58), kind: 'slope_change' as const, before: { level: 120, slope: 0 }, after: { level: 600, slope: 900 }, magnitude: 12, confidence: 0.9, exhaustionAt: T(-5), limit: 1024 };
    await store.insertBreakpoints([bp, { ...bp, series: conns, time: T(61), kind: 'level_up', exhaustionAt: undefined, limit: undefined }]);
    await store.insertAnalysis({
      id: 'A@1', service: 'A', at: T(10), from: T(130), to: T(0), createdAt: T(9), breakpoints: [bp],
      suspects: [
        { id: 'cfg-b-1', service: 'B', team: 'team-b', type: 'config', time: T(62), score: 0.87, evidence: ['B opened 20× more connections to A'] },
        { id: 'dep-a-7', service: 'A', team: 'team-a', type: 'deploy', time: T(40), score: 0.2, evidence: ['too late'] },
      ],
    });
    await store.insertPipelineStats([0, 1, 2, 3].map((i) => ({ t: T(i * 5), instance: 'epi-1', pointsIn: 3000, changesIn: 1, breakpoints: 1, deadLetters: 1, lag: 10 * i, batchMs: 12.5, bufferedRows: 40, changeWebhooks: [{ kind: 'github', accepted: 2, refused: i === 3 ? 1 : 0 }] })));
    await store.insertDeadLetters([{ t: T(3), topic: 'otlp_metrics', partition: 0, offset: '42', reason: 'line 1: bad', code: 'BAD_INPUT', payload: '{"x":' }]);
    await store.insertWhatIfVerdicts([{ at: T(70), origin: 'cli', proposal: { id: 'p-1', service: 'svc-b', type: 'config', team: 'team-b', time: T(90) }, verdict: 'breach', risks: 1,
      breaches: [{ service: 'svc-a', metric: 'process.open_file_descriptor.count', instance: 'a-1', limit: 1024, predicted: 1290, low: 700, high: 1900, at: new Date(T(90)).toISOString(), path: ['svc-b', 'svc-a'], team: 'team-a' }] }]);
  });

  after(async () => {
    // For dashboards/check-modern-clickhouse.py: the same queries, the schema as a modern server
    // gets it, and the seeded rows, to replay on a current ClickHouse (chdb).
    const dumpFile = process.env['EPICENTER_DASHBOARD_SQL_DUMP'];
    if (dumpFile !== undefined && store !== undefined) {
      const features = parseServerVersion('24.8.1');
      const ddl = MIGRATIONS.flatMap((m) => m.statements({ db, features, retentionDays: 14 })).map((q) => q.text);
      const rows: Record<string, string> = {};
      for (const table of [TABLES.points, TABLES.breakpoints, TABLES.changes, TABLES.analyses, TABLES.analysisSuspects, TABLES.deadLetters, TABLES.pipelineStats, TABLES.whatifVerdicts]) {
        const res = await fetch(CH_URL, { method: 'POST', body: `SELECT * FROM ${db}.${table} FORMAT JSONEachRow` });
        rows[table] = await res.text();
      }
      writeFileSync(dumpFile, JSON.stringify({ database: db, ddl, rows, queries: dump }, null, 1));
    }
    if (store !== undefined) {
      await store.dropDatabase();
      await store.close();
    }
  });

  const ctx: MacroContext = { from: Date.now() - 3 * 3600_000, to: Date.now() + 300_000, intervalS: 60 };
  const varSets: readonly { label: string; vars: Record<string, VarValue> }[] = [
    { label: 'one team, one service', vars: { team: 'team-b', service: 'A', metric: 'process.open_file_descriptor.count', instance: { all: ['epi-1'] } } },
    { label: 'All', vars: { team: { all: ['team-a', 'team-b'], allValue: "'__all__'" }, service: { all: ['A', 'B'], allValue: "'__all__'" }, metric: 'http.client.open_connections', instance: ['epi-1', 'epi-2'] } },
  ];

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

  const dump: { where: string; kind: string; columns?: readonly string[]; sql: string }[] = [];

  for (const { label, vars } of varSets) {
    it(`every query runs and returns its panel's columns (${label})`, async () => {
      const problems: string[] = [];
      for (const d of dashboards) {
        for (const c of checksOf(d)) {
          const sql = expandMacros(interpolateVariables(c.sql, { ...vars, db }), ctx);
          if (sql.includes('$')) {
            problems.push(`${c.where}: unexpanded ${/\$\S+/.exec(sql)?.[0]}`);
            continue;
          }
          dump.push({ where: `${c.where} (${label})`, kind: c.kind, ...(c.columns === undefined ? {} : { columns: c.columns }), sql });
          let r: ChResult;
          try {
            r = await run(sql);
          } catch (e) {
            problems.push(`${c.where}: ${(e as Error).message}`);
            continue;
          }
          const names = r.meta.map((m) => m.name);
          const typeOf = (n: string) => r.meta.find((m) => m.name === n)?.type ?? '';
          if (c.kind === 'timeseries') {
            if (names[0] !== 'time' || !typeOf('time').startsWith('DateTime')) problems.push(`${c.where}: first column must be DateTime 'time', got ${names[0]}:${typeOf(names[0] ?? '')}`);
            if (!r.meta.some((m) => m.name !== 'time' && NUMERIC.test(m.type))) problems.push(`${c.where}: no numeric value column (${names.join(',')})`);
            if (r.meta.filter((m) => m.type === 'String').length > 1) problems.push(`${c.where}: more than one label column`);
          } else if (c.kind === 'table' && c.columns !== undefined) {
            if (names.join(',') !== c.columns.join(',')) problems.push(`${c.where}: columns ${names.join(',')} != panel's ${c.columns.join(',')}`);
          } else if (c.kind === 'annotation') {
            for (const [n, ty] of [['time', 'DateTime'], ['text', 'String'], ['tags', 'String']] as const) {
              if (typeOf(n) !== ty) problems.push(`${c.where}: needs ${n} ${ty}, got '${typeOf(n)}'`);
            }
          } else if (c.kind === 'variable' && (r.meta.length === 0 || r.meta[0]?.type !== 'String')) {
            problems.push(`${c.where}: first column must be a String`);
          }
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
    const vars = { ...varSets[0]!.vars, db };
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
