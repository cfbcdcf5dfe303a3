/**
 * The ClickHouse schema: table names, server feature detection, and the versioned migrations
 * that create everything. Table and column names are a contract with the pipeline and the
 * Grafana dashboards: add columns in new migrations, never rename.
 *
 * Conventions (see docs/clickhouse.md):
 * - time is `DateTime` (seconds, UTC server; what Grafana's `$__timeFilter` wants) PLUS
 *   `*_ms UInt64` epoch milliseconds for exact ordering. No DateTime64 (18.16 lacks it).
 * - every table is a ReplacingMergeTree whose ORDER BY is the natural key, so a replayed row
 *   replaces its twin at merge time; readers use `FINAL` so unmerged twins are never seen.
 *   The partition expression is a function of the key, so twins always share a partition.
 * - optional strings are stored as '' and read back as absent.
 * - labels are a JSON object string with sorted keys (`visitParamExtractString(labels, 'k')` on
 *   18.16, `JSONExtractString` on newer servers).
 * - a later migration adds columns through `columns` (never a raw ALTER in `statements`): 18.16
 *   has no `ADD COLUMN IF NOT EXISTS`, so migrate() adds only the columns system.columns lacks.
 *   New columns have defaults (0, '', []) so rows written before them read back sensibly.
 */
import { EpicenterError } from '../errors';
import { ident, sql, type Sql } from './sql';

/** What the connected server can do, derived from `SELECT version()`. */
export interface ServerFeatures {
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  /** Table TTL (19.6+; we require 20.1+ to stay on well-trodden ground). */
  readonly ttl: boolean;
  /** LowCardinality(String) without experimental settings (20.1+). */
  readonly lowCardinality: boolean;
}

/** Parse `18.16.1` / `24.8.4.13` into features. Throws STORE_FAILED on an unparseable version. */
export function parseServerVersion(version: string): ServerFeatures {
  const m = /^(\d+)\.(\d+)/.exec(version.trim());
  if (m === null) throw new EpicenterError('STORE_FAILED', `clickhouse: cannot parse server version '${version}'`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const modern = major >= 20;
  return { version: version.trim(), major, minor, ttl: modern, lowCardinality: modern };
}

/** Every table and view, by role. Stable names: dashboards query them directly. */
export const TABLES = {
  migrations: 'schema_migrations',
  points: 'points',
  /**
   * AggregatingMergeTree fed by `series_seen_mv` from `series_seen`; read it through the `series`
   * view. metric/labels/unit are in its key (they follow from series_id) because new servers
   * refuse plain columns outside the key in an AggregatingMergeTree.
   */
  seriesAgg: 'series_agg',
  /** The view that fed series_agg from every points insert until migration 4 dropped it. */
  seriesMv: 'series_mv',
  /**
   * Null table the writer inserts series rows into (one when a consumer first sees a series,
   * then at most one per clickhouse.seriesEveryMs): `series_seen_mv` folds them into series_agg.
   * Nothing is stored in it; the view costs ClickHouse per series row, not per point.
   */
  seriesSeen: 'series_seen',
  seriesSeenMv: 'series_seen_mv',
  /**
   * service, series_id, metric, labels, unit, first_seen(_ms), last_seen(_ms). Since migration 4
   * first_seen is the first sample time a consumer saw and last_seen lags the newest sample by
   * at most clickhouse.seriesEveryMs (plus a batch).
   */
  series: 'series',
  breakpoints: 'breakpoints',
  changes: 'changes',
  analyses: 'analyses',
  analysisSuspects: 'analysis_suspects',
  deadLetters: 'dead_letters',
  pipelineStats: 'pipeline_stats',
  whatifVerdicts: 'whatif_verdicts',
} as const;

/** The table names as validated identifiers, for building SQL. */
export const T: { readonly [K in keyof typeof TABLES]: Sql } = Object.freeze(
  Object.fromEntries(Object.entries(TABLES).map(([k, v]) => [k, ident(v)])) as { [K in keyof typeof TABLES]: Sql },
);

/** Tables whose old partitions are dropped by retention (clickhouse.retentionDays); all are partitioned by toYYYYMMDD(t). */
export const RETAINED_TABLES = [TABLES.points, TABLES.deadLetters, TABLES.pipelineStats] as const;

export interface SchemaContext {
  /** Database name, already validated as a plain identifier. */
  readonly db: string;
  readonly features: ServerFeatures;
  /** Days raw points, dead letters and pipeline stats are kept. */
  readonly retentionDays: number;
}

export interface Migration {
  /** Strictly increasing; recorded in schema_migrations. */
  readonly version: number;
  readonly name: string;
  /** DDL statements, each idempotent (IF NOT EXISTS) so a half-applied migration can be re-run. */
  statements(ctx: SchemaContext): Sql[];
  /** Columns added to existing tables, after the statements; each added only when missing. */
  readonly columns?: readonly NewColumn[];
}

/** A column a migration adds to an existing table. */
export interface NewColumn {
  readonly table: (typeof TABLES)[keyof typeof TABLES];
  readonly name: string;
  /** The column type, e.g. `Array(String)`. */
  readonly type: Sql;
}

/** `LowCardinality(String)` where the server has it, else `String`. */
function lc(ctx: SchemaContext): Sql {
  return ctx.features.lowCardinality ? sql`LowCardinality(String)` : sql`String`;
}

/** TTL clause for retained tables (empty on servers without TTL: maintain() drops partitions there). */
export function ttlClause(ctx: SchemaContext): Sql {
  return ctx.features.ttl ? sql`TTL t + INTERVAL ${Math.floor(ctx.retentionDays)} DAY` : sql``;
}

/** `db`.`table`, both validated. */
export function qualified(db: string, table: string): Sql {
  return sql`${ident(db, 'clickhouse.database')}.${ident(table)}`;
}

export function migrationsTableDdl(database: string): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${ident(database, 'clickhouse.database')}.${T.migrations} (
  version UInt32,
  name String,
  applied_at DateTime,
  applied_at_ms UInt64,
  server_version String
) ENGINE = ReplacingMergeTree ORDER BY version`;
}

const initial: Migration = {
  version: 1,
  name: 'initial',
  statements(ctx) {
    const db = ident(ctx.db, 'clickhouse.database');
    const LC = lc(ctx);
    const ttl = ttlClause(ctx);
    return [
      sql`CREATE TABLE IF NOT EXISTS ${db}.${T.points} (
  series_id String,
  service ${LC},
  metric ${LC},
  labels String,
  unit ${LC},
  t DateTime,
  t_ms UInt64,
  value Float64
) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMMDD(t) ORDER BY (service, series_id, t_ms) ${ttl}`,

      sql`CREATE TABLE IF NOT EXISTS ${db}.${T.seriesAgg} (
  service ${LC},
  series_id String,
  metric ${LC},
  labels String,
  unit ${LC},
  first_seen AggregateFunction(min, DateTime),
  last_seen AggregateFunction(max, DateTime),
  first_seen_ms AggregateFunction(min, UInt64),
  last_seen_ms AggregateFunction(max, UInt64)
) ENGINE = AggregatingMergeTree ORDER BY (service, series_id, metric, labels, unit)`,

      sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${T.seriesMv} TO ${db}.${T.seriesAgg} AS
SELECT service, series_id, metric, labels, unit,
  minState(t) AS first_seen, maxState(t) AS last_seen, minState(t_ms) AS first_seen_ms, maxState(t_ms) AS last_seen_ms
FROM ${db}.${T.points} GROUP BY service, series_id, metric, labels, unit`,

      sql`CREATE VIEW IF NOT EXISTS ${db}.${T.series} AS
SELECT service, series_id, any(metric) AS metric, any(labels) AS labels, any(unit) AS unit,
  minMerge(first_seen) AS first_seen, maxMerge(last_seen) AS last_seen,
  minMerge(first_seen_ms) AS first_seen_ms, maxMerge(last_seen_ms) AS last_seen_ms
FROM ${db}.${T.seriesAgg} GROUP BY service, series_id`,

      sql`CREATE TABLE IF NOT EXISTS ${db}.${T.breakpoints} (
  id String,
  series_id String,
  service ${LC},
  metric ${LC},
  labels String,
  unit ${LC},
  t DateTime,
  t_ms UInt64,
  detected_at_ms UInt64,
  kind ${LC},
  before_level Float64,
  before_slope Float64,
  after_level Float64,
  after_slope Float64,
  magnitude Float64,
  confidence Float64,
  exhaustion_at_ms Nullable(UInt64),
  limit_value Nullable(Float64)
) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(t) ORDER BY (service, series_id, t_ms, kind)`,

      sql`CREATE TABLE IF NOT EXISTS ${db}.${T.changes} (
  source String,
  id String,
  service ${LC},
  team ${LC},
  type ${LC},
  raw_type String,
  t DateTime,
  t_ms UInt64,
  summary String,
  version String,
  revert_of String,
  keys Array(String)
) ENGINE = ReplacingMergeTree ORDER BY (source, id)`,

      sql`CREATE TABLE IF NOT EXISTS ${db}.${T.analyses} (
  id String,
  service ${LC},
  at DateTime,
  at_ms UInt64,
  from_ms UInt64,
  to_ms UInt64,
  created_at DateTime,
  created_at_ms UInt64,
  suspects String,
  breakpoints String,
  suspects_count UInt32,
  breakpoints_count UInt32
) ENGINE = ReplacingMergeTree(created_at_ms) PARTITION BY toYYYYMM(at) ORDER BY (service, id)`,

      sql`CREATE TABLE IF NOT EXISTS ${db}.${T.analysisSuspects} (
  analysis_id String,
  service ${LC},
  at DateTime,
  at_ms UInt64,
  created_at_ms UInt64,
  rank UInt16,
  change_id String,
  change_service ${LC},
  team ${LC},
  type ${LC},
  change_t DateTime,
  change_t_ms UInt64,
  score Float64,
  evidence Array(String)
) ENGINE = ReplacingMergeTree(created_at_ms) PARTITION BY toYYYYMM(at) ORDER BY (service, analysis_id, rank)`,

      sql`CREATE TABLE IF NOT EXISTS ${db}.${T.deadLetters} (
  t DateTime,
  t_ms UInt64,
  topic ${LC},
  \`partition\` Int32,
  \`offset\` Int64,
  seq UInt32,
  reason String,
  code ${LC},
  payload String,
  payload_size UInt32,
  key String
) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMMDD(t) ORDER BY (topic, \`partition\`, \`offset\`, seq) ${ttl}`,

      sql`CREATE TABLE IF NOT EXISTS ${db}.${T.pipelineStats} (
  t DateTime,
  t_ms UInt64,
  instance ${LC},
  points_in UInt64,
  changes_in UInt64,
  breakpoints UInt64,
  dead_letters UInt64,
  lag Int64,
  batch_ms Float64,
  buffered_rows UInt64
) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMMDD(t) ORDER BY (instance, t_ms) ${ttl}`,
    ];
  },
};

const col = (table: NewColumn['table'], name: string, type: Sql): NewColumn => ({ table, name, type });

/**
 * Issue 12: what changes carry beyond the CloudEvent fields (settings set, every source that
 * reported the change), and the change webhook deliveries per pipeline_stats row.
 * Settings are three parallel arrays (one element per setting; from/to NULL when absent);
 * origins are four ('' for an absent kind or url). pipeline_stats gets totals since the
 * previous row and the same per source kind as parallel arrays (ARRAY JOIN to split them).
 */
const changeSources: Migration = {
  version: 2,
  name: 'change_sources',
  statements: () => [],
  columns: [
    col(TABLES.changes, 'setting_keys', sql`Array(String)`),
    col(TABLES.changes, 'setting_from', sql`Array(Nullable(String))`),
    col(TABLES.changes, 'setting_to', sql`Array(Nullable(String))`),
    col(TABLES.changes, 'origin_sources', sql`Array(String)`),
    col(TABLES.changes, 'origin_ids', sql`Array(String)`),
    col(TABLES.changes, 'origin_kinds', sql`Array(String)`),
    col(TABLES.changes, 'origin_urls', sql`Array(String)`),
    col(TABLES.pipelineStats, 'change_webhooks_accepted', sql`UInt64`),
    col(TABLES.pipelineStats, 'change_webhooks_refused', sql`UInt64`),
    col(TABLES.pipelineStats, 'change_webhook_kinds', sql`Array(String)`),
    col(TABLES.pipelineStats, 'change_webhook_kinds_accepted', sql`Array(UInt64)`),
    col(TABLES.pipelineStats, 'change_webhook_kinds_refused', sql`Array(UInt64)`),
  ],
};

/**
 * Issue 13: what-if verdicts, one row per run (`epicenter whatif --source clickhouse`, POST
 * /v1/whatif), keyed by the proposal and the time it ran so re-running it keeps its history.
 * Breaches are parallel arrays (ARRAY JOIN to split them); `breach_summary` is one readable line
 * per verdict for dashboard tables.
 */
const whatifVerdicts: Migration = {
  version: 3,
  name: 'whatif_verdicts',
  statements(ctx) {
    const db = ident(ctx.db, 'clickhouse.database');
    const LC = lc(ctx);
    return [
      sql`CREATE TABLE IF NOT EXISTS ${db}.${T.whatifVerdicts} (
  t DateTime,
  t_ms UInt64,
  origin ${LC},
  proposal_id String,
  service ${LC},
  team ${LC},
  type ${LC},
  summary String,
  proposal_t_ms UInt64,
  verdict ${LC},
  risks UInt32,
  breach_services Array(String),
  breach_metrics Array(String),
  breach_instances Array(String),
  breach_predicted Array(Float64),
  breach_low Array(Float64),
  breach_high Array(Float64),
  breach_limits Array(Float64),
  breach_at_ms Array(UInt64),
  breach_paths Array(String),
  breach_teams Array(String),
  breach_summary String
) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(t) ORDER BY (proposal_id, t_ms, origin)`,
    ];
  },
};

/**
 * Issue 11: the per-insert `series_mv` (about 60 % of ClickHouse's CPU per points row) gives way
 * to series rows the writer sends itself, rarely, into the Null table `series_seen`; a view folds
 * them into the same `series_agg`, so rows stored before stay readable through `series`, whose
 * definition does not change. The new view exists before the old one goes: no moment without
 * one. Every statement is IF [NOT] EXISTS, so a re-run (or a half-applied run) is harmless.
 */
const seriesRows: Migration = {
  version: 4,
  name: 'series_rows',
  statements(ctx) {
    const db = ident(ctx.db, 'clickhouse.database');
    const LC = lc(ctx);
    return [
      sql`CREATE TABLE IF NOT EXISTS ${db}.${T.seriesSeen} (
  service ${LC},
  series_id String,
  metric ${LC},
  labels String,
  unit ${LC},
  first_seen DateTime,
  last_seen DateTime,
  first_seen_ms UInt64,
  last_seen_ms UInt64
) ENGINE = Null`,

      sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${T.seriesSeenMv} TO ${db}.${T.seriesAgg} AS
SELECT service, series_id, metric, labels, unit,
  minState(first_seen) AS first_seen, maxState(last_seen) AS last_seen, minState(first_seen_ms) AS first_seen_ms, maxState(last_seen_ms) AS last_seen_ms
FROM ${db}.${T.seriesSeen} GROUP BY service, series_id, metric, labels, unit`,

      // DROP TABLE, not DROP VIEW: 18.16 drops views with DROP TABLE only.
      sql`DROP TABLE IF EXISTS ${db}.${T.seriesMv}`,
    ];
  },
};

/** All migrations, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [initial, changeSources, whatifVerdicts, seriesRows];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
