/**
 * Idempotent migrations: create the database and `schema_migrations`, detect the server's
 * features, apply every migration not yet recorded, and bring the TTL in line with
 * clickhouse.retentionDays on servers that have TTL.
 *
 * Safe to run concurrently from several instances: every statement is IF NOT EXISTS and the
 * migrations table is a ReplacingMergeTree keyed by version (read with FINAL).
 */
import type { ChConnection } from './connection';
import { MIGRATIONS, RETAINED_TABLES, T, TABLES, migrationsTableDdl, parseServerVersion, ttlClause, type NewColumn, type SchemaContext, type ServerFeatures } from './schema';
import { ident, sql } from './sql';
import { silentLogger, type ChLogger } from './types';
import { EpicenterError } from '../errors';

export interface MigrateResult {
  readonly features: ServerFeatures;
  /** Versions applied by this call (empty when the schema was already current). */
  readonly applied: readonly number[];
  /** The schema version after the call. */
  readonly version: number;
}

export async function detectFeatures(conn: ChConnection): Promise<ServerFeatures> {
  const rows = await conn.query<{ v: string }>(sql`SELECT version() AS v`);
  const v = rows[0]?.v;
  if (v === undefined) throw new EpicenterError('STORE_FAILED', 'clickhouse: SELECT version() returned no row');
  return parseServerVersion(v);
}

export async function migrate(
  conn: ChConnection,
  opts: { database: string; retentionDays: number; logger?: ChLogger; now?: () => number },
): Promise<MigrateResult> {
  const log = opts.logger ?? silentLogger;
  const now = opts.now ?? Date.now;
  const db = ident(opts.database, 'clickhouse.database');
  const dbName = opts.database;
  const features = await detectFeatures(conn);
  const ctx: SchemaContext = { db: dbName, features, retentionDays: opts.retentionDays };

  await conn.command(sql`CREATE DATABASE IF NOT EXISTS ${db}`);
  await conn.command(migrationsTableDdl(dbName));
  const done = new Set(
    (await conn.query<{ version: number }>(sql`SELECT version FROM ${db}.${T.migrations} FINAL`)).map((r) => Number(r.version)),
  );

  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    log.info({ database: dbName, version: m.version, name: m.name, server: features.version }, 'clickhouse: applying migration');
    for (const stmt of m.statements(ctx)) await conn.command(stmt);
    for (const c of m.columns ?? []) await addColumn(conn, dbName, c);
    const t = now();
    await conn.insert(`${dbName}.${TABLES.migrations}`, [
      { version: m.version, name: m.name, applied_at: Math.floor(t / 1000), applied_at_ms: Math.floor(t), server_version: features.version },
    ]);
    applied.push(m.version);
  }
  if (features.ttl) await alignTtl(conn, ctx, log);
  const version = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);
  return { features, applied, version };
}

/**
 * ALTER TABLE … ADD COLUMN only when the column is missing: 18.16 has no `ADD COLUMN IF NOT
 * EXISTS`. When another instance adds it between our check and our ALTER, the ALTER fails and
 * the second look finds the column: that is success.
 */
async function addColumn(conn: ChConnection, db: string, c: NewColumn): Promise<void> {
  const has = async (): Promise<boolean> =>
    (await conn.query<{ name: string }>(sql`SELECT name FROM system.columns WHERE database = ${db} AND table = ${c.table} AND name = ${c.name}`)).length > 0;
  if (await has()) return;
  try {
    await conn.command(sql`ALTER TABLE ${ident(db)}.${ident(c.table)} ADD COLUMN ${ident(c.name)} ${c.type}`);
  } catch (e) {
    if (!(await has())) throw e;
  }
}

/** On TTL servers, change the TTL of retained tables when clickhouse.retentionDays changed (a MODIFY TTL rewrites parts: only when needed). */
async function alignTtl(conn: ChConnection, ctx: SchemaContext, log: ChLogger): Promise<void> {
  const want = ttlClause(ctx);
  const days = String(Math.floor(ctx.retentionDays));
  for (const table of RETAINED_TABLES) {
    const rows = await conn.query<{ engine_full: string }>(
      sql`SELECT engine_full FROM system.tables WHERE database = ${ctx.db} AND name = ${table}`,
    );
    const engine = rows[0]?.engine_full ?? '';
    // Servers print the TTL normalised, e.g. `TTL t + toIntervalDay(14)`.
    if (new RegExp(`TTL t \\+ (toIntervalDay\\(${days}\\)|INTERVAL ${days} DAY)`).test(engine)) continue;
    log.info({ table, retentionDays: ctx.retentionDays }, 'clickhouse: changing TTL');
    await conn.command(sql`ALTER TABLE ${ident(ctx.db)}.${ident(table)} MODIFY ${want}`);
  }
}
