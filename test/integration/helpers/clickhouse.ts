import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE_URL, waitFor } from './services';

/** Direct SQL on the test database, for exact counts (FINAL / DISTINCT: what was stored, once). */
export interface TestDb {
  readonly name: string;
  /** Distinct (series, time) points stored. */
  points(): Promise<number>;
  /** Rows in points, before merging duplicates (≥ points()). */
  rawPoints(): Promise<number>;
  /** Distinct dead-lettered messages (topic, partition, offset). */
  deadLetters(): Promise<number>;
  changes(): Promise<number>;
  breakpoints(): Promise<number>;
  scalar(sql: string): Promise<number>;
  /** All rows of a query, as JSON objects (64-bit integers as strings). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
  close(): Promise<void>;
}

export function testDb(name: string): TestDb {
  const client: ClickHouseClient = createClient({ url: CLICKHOUSE_URL, request_timeout: 30_000 });
  const scalar = async (sql: string): Promise<number> => {
    const rs = await client.query({ query: sql, format: 'JSONEachRow' });
    const rows = await rs.json<Record<string, string | number>>();
    return Number(Object.values(rows[0] ?? { n: 0 })[0] ?? 0);
  };
  const exists = async (table: string): Promise<boolean> => (await scalar(`EXISTS TABLE ${name}.${table}`)) === 1;
  const count = async (table: string, sql: string): Promise<number> => ((await exists(table)) ? scalar(sql) : 0);
  return {
    name,
    points: () => count('points', `SELECT count() AS n FROM (SELECT DISTINCT series_id, t_ms FROM ${name}.points)`),
    rawPoints: () => count('points', `SELECT count() AS n FROM ${name}.points`),
    deadLetters: () => count('dead_letters', `SELECT count() AS n FROM (SELECT DISTINCT topic, partition, offset FROM ${name}.dead_letters)`),
    changes: () => count('changes', `SELECT count() AS n FROM (SELECT DISTINCT source, id FROM ${name}.changes)`),
    breakpoints: () => count('breakpoints', `SELECT count() AS n FROM ${name}.breakpoints FINAL`),
    scalar,
    async rows(sql) {
      const rs = await client.query({ query: sql, format: 'JSONEachRow' });
      return rs.json<Record<string, unknown>>();
    },
    async drop() {
      await waitFor('drop database', () => client.command({ query: `DROP DATABASE IF EXISTS ${name}` }).then(() => true), (ok) => ok, 60_000, 1000);
    },
    close: () => client.close(),
  };
}
