/**
 * Grafana's side of the dashboards, shared by the dashboards test (18.16 over HTTP) and
 * clickhouse-modern.test.ts (the same queries on ClickHouse 26.9's engine): the dashboards, their
 * queries expanded the way Grafana and the grafana-clickhouse-datasource plugin do it, and the
 * seeded incident the panels are checked against.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseStore } from '../../../src/clickhouse/store';
import { makeSeries } from '../../../src/domain/series';
import type { ChangeEvent, Sample } from '../../../src/domain/types';

const ROOT = join(__dirname, '..', '..', '..');

// ------------------------------------------------------------------ expansion, as Grafana does it

/** A template variable's current value: one string, several, or "All" (with its custom all value, if any). */
export type VarValue = string | readonly string[] | { all: readonly string[]; allValue?: string };

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

export interface Target {
  readonly refId?: string;
  readonly rawSql?: string;
  readonly format?: number;
  readonly editorType?: string;
  readonly datasource?: { type?: string; uid?: string };
}
export interface Panel {
  readonly title: string;
  readonly type: string;
  readonly targets?: readonly Target[];
  readonly transformations?: readonly { id: string; options: { indexByName?: Record<string, number> } }[];
  readonly repeat?: string;
}
export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
  readonly annotations: { list: readonly { name: string; target?: Target; datasource?: { uid?: string } }[] };
  readonly templating: { list: readonly { name: string; type: string; query?: unknown; datasource?: { uid?: string }; allValue?: string }[] };
}

/** One query to check: where it is, its SQL, and what its consumer needs. */
export interface Check {
  readonly where: string;
  readonly sql: string;
  readonly kind: 'timeseries' | 'table' | 'annotation' | 'variable';
  /** Table panels: the exact columns, from the panel's organize transformation. */
  readonly columns?: readonly string[];
}

export function loadDashboards(): Dashboard[] {
  const dir = join(ROOT, 'dashboards');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Dashboard);
}

export function checksOf(d: Dashboard): Check[] {
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

/** One query of every dashboard with variables and macros expanded; `unexpanded` when a `$` survived. */
export function expandedChecks(dashboards: readonly Dashboard[], vars: Readonly<Record<string, VarValue>>, ctx: MacroContext): (Check & { unexpanded?: string })[] {
  return dashboards.flatMap((d) =>
    checksOf(d).map((c) => {
      const sql = expandMacros(interpolateVariables(c.sql, vars), ctx);
      return sql.includes('$') ? { ...c, sql, unexpanded: /\$\S+/.exec(sql)?.[0] ?? '$' } : { ...c, sql };
    }),
  );
}

const NUMERIC = /^(Nullable\()?(U?Int\d+|Float\d+|Decimal)/;

/** What is wrong with a result's columns (name, type) for the consumer of `c`: a time series, table, annotation or variable. */
export function panelProblems(c: Check, meta: readonly { name: string; type: string }[]): string[] {
  const problems: string[] = [];
  const names = meta.map((m) => m.name);
  const typeOf = (n: string): string => meta.find((m) => m.name === n)?.type ?? '';
  if (c.kind === 'timeseries') {
    if (names[0] !== 'time' || !typeOf('time').startsWith('DateTime')) problems.push(`${c.where}: first column must be DateTime 'time', got ${names[0]}:${typeOf(names[0] ?? '')}`);
    if (!meta.some((m) => m.name !== 'time' && NUMERIC.test(m.type))) problems.push(`${c.where}: no numeric value column (${names.join(',')})`);
    if (meta.filter((m) => m.type === 'String').length > 1) problems.push(`${c.where}: more than one label column`);
  } else if (c.kind === 'table' && c.columns !== undefined) {
    if (names.join(',') !== c.columns.join(',')) problems.push(`${c.where}: columns ${names.join(',')} != panel's ${c.columns.join(',')}`);
  } else if (c.kind === 'annotation') {
    for (const [n, ty] of [['time', 'DateTime'], ['text', 'String'], ['tags', 'String']] as const) {
      if (typeOf(n) !== ty) problems.push(`${c.where}: needs ${n} ${ty}, got '${typeOf(n)}'`);
    }
  } else if (c.kind === 'variable' && (meta.length === 0 || meta[0]?.type !== 'String')) {
    problems.push(`${c.where}: first column must be a String`);
  }
  return problems;
}

/** Variable values the dashboards are checked with: one team and service, and "All". */
export const DASHBOARD_VAR_SETS: readonly { label: string; vars: Record<string, VarValue> }[] = [
  { label: 'one team, one service', vars: { team: 'team-b', service: 'A', metric: 'process.open_file_descriptor.count', instance: { all: ['epi-1'] } } },
  { label: 'All', vars: { team: { all: ['team-a', 'team-b'], allValue: "'__all__'" }, service: { all: ['A', 'B'], allValue: "'__all__'" }, metric: 'http.client.open_connections', instance: ['epi-1', 'epi-2'] } },
];

/**
 * The incident the dashboards are checked against, written through the store (so through our
 * encoders): B's config change at T(62) makes B open 20× more connections to A, whose file
 * descriptors climb from T(60); a later deploy of A, an analysis, pipeline stats, a dead letter and
 * a what-if verdict. `now` is epoch ms; T(m) is m minutes before it. Returns the points and changes.
 */
export async function seedIncident(store: ClickHouseStore, now: number): Promise<{ samples: Sample[]; changes: ChangeEvent[] }> {
  const T = (minAgo: number): number => now - minAgo * 60_000;
  const fds = makeSeries('process.open_file_descriptor.count', { 'service.name': 'A' }, 'A', '{file}');
  const conns = makeSeries('http.client.open_connections', { 'service.name': 'B', 'server.address': 'A' }, 'B', '{connection}');
  const samples: Sample[] = [];
  for (let m = 120; m >= 0; m--) {
    samples.push({ series: fds, t: T(m), v: m > 60 ? 120 : 120 + (60 - m) * 15 });
    samples.push({ series: conns, t: T(m), v: m > 61 ? 20 : 400 });
  }
  await store.insertPoints(samples);
  const changes: ChangeEvent[] = [
    { id: 'cfg-b-1', source: 'ci/B', type: 'config', rawType: 'com.acme.change.config', service: 'B', team: 'team-b', time: T(62), summary: "raise pool size (it's big)", keys: ['http.pool.max'] },
    { id: 'dep-a-7', source: 'ci/A', type: 'deploy', rawType: 'com.acme.change.deploy', service: 'A', team: 'team-a', time: T(40), summary: 'release', version: '2.3.1' },
  ];
  await store.insertChanges(changes);
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
  return { samples, changes };
}
