/**
 * A database exactly as schema v1 left it, for the upgrade tests (18.16 over HTTP in
 * clickhouse-upgrade.test.ts, ClickHouse 26.9's engine in clickhouse-modern.test.ts).
 */
import type { ChConnection } from '../../../src/clickhouse/connection';
import { detectFeatures } from '../../../src/clickhouse/migrate';
import { MIGRATIONS, TABLES, migrationsTableDdl } from '../../../src/clickhouse/schema';
import { ident, sql } from '../../../src/clickhouse/sql';

/** Create `db` at schema v1 (its DDL for this server), with one change row written by v1 code at `t0` (epoch ms). */
export async function makeV1(conn: ChConnection, db: string, t0: number, retentionDays = 3): Promise<void> {
  const features = await detectFeatures(conn);
  await conn.command(sql`CREATE DATABASE IF NOT EXISTS ${ident(db)}`);
  await conn.command(migrationsTableDdl(db));
  for (const s of MIGRATIONS[0]!.statements({ db, features, retentionDays })) await conn.command(s);
  await conn.insert(`${db}.${TABLES.migrations}`, [{ version: 1, name: 'initial', applied_at: 0, applied_at_ms: 0, server_version: features.version }]);
  await conn.insert(`${db}.${TABLES.changes}`, [
    { source: 'old', id: 'c-v1', service: 'svc-b', team: 'team-b', type: 'config', raw_type: 'x.change.config', t: Math.floor(t0 / 1000), t_ms: t0, summary: '', version: '', revert_of: '', keys: ['pool.size'] },
  ]);
}
