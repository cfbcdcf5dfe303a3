/**
 * Retention by dropping whole daily partitions (points, dead_letters, pipeline_stats are
 * PARTITION BY toYYYYMMDD(t)). 18.16 has no TTL, so this is the only retention there; on 20.1+
 * the tables also carry a TTL and this is merely prompt. Dropping a partition is a metadata
 * operation: cheap, no rewrite.
 */
import type { ChConnection } from './connection';
import { RETAINED_TABLES } from './schema';
import { dateTime, ident, sql } from './sql';

export interface MaintainResult {
  /** `table:partition` of every partition dropped, e.g. `points:20240101`. */
  readonly dropped: readonly string[];
}

const DAY_MS = 86_400_000;

/**
 * Drop partitions whose whole day is older than `now - retentionDays`. The day boundary is
 * computed by the server (toYYYYMMDD uses its time zone, as the partition key does).
 */
export async function maintainRetention(conn: ChConnection, database: string, retentionDays: number, now: number): Promise<MaintainResult> {
  const db = ident(database, 'clickhouse.database');
  const cutoff = Math.max(0, now - retentionDays * DAY_MS);
  const dropped: string[] = [];
  for (const table of RETAINED_TABLES) {
    const rows = await conn.query<{ partition: string }>(sql`
SELECT DISTINCT partition FROM system.parts
WHERE database = ${database} AND table = ${table} AND active
  AND toUInt32OrZero(partition) < toYYYYMMDD(${dateTime(cutoff)})`);
    for (const { partition } of rows) {
      // The partition value is the server's own, but it is still checked before it becomes SQL.
      if (!/^\d{8}$/.test(partition)) continue;
      await conn.command(sql`ALTER TABLE ${db}.${ident(table)} DROP PARTITION ${Number(partition)}`);
      dropped.push(`${table}:${partition}`);
    }
  }
  return { dropped };
}
