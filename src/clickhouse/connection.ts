/**
 * The only file that imports @clickhouse/client. A narrow connection: commands and queries take
 * `Sql` (built by ./sql.ts, so every literal is escaped), inserts take rows for JSONEachRow,
 * every result set is consumed, and every failure is an EpicenterError (./errors.ts).
 */
import { Readable } from 'node:stream';
import { createClient, ClickHouseLogLevel, drainStream, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import type { Config } from '../config/schema';
import { toStoreError } from './errors';
import type { Sql } from './sql';

/**
 * Settings every SELECT is sent with. 64-bit integers as JSON strings: 18.16 does that by default,
 * 25.x+ servers print numbers (the default changed), which JSON.parse rounds above 2^53 (an Int64
 * Kafka offset, a UInt64 sum). Both versions know the setting.
 */
export const QUERY_SETTINGS = { output_format_json_quote_64bit_integers: 1 } as const satisfies ClickHouseSettings;

export interface ConnectionOptions {
  /** Per-request timeout, ms. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Parallel HTTP connections. @default 4 */
  readonly maxOpenConnections?: number;
}

export interface ChConnection {
  /** Run a statement with no result (DDL, ALTER, OPTIMIZE). */
  command(q: Sql, settings?: ClickHouseSettings): Promise<void>;
  /** Run a SELECT and return every row (JSONEachRow; 64-bit integers arrive as strings). */
  query<T>(q: Sql): Promise<T[]>;
  /** Insert rows into `db.table` (both validated identifiers) as JSONEachRow. */
  insert(qualifiedTable: string, rows: readonly object[], settings?: ClickHouseSettings): Promise<void>;
  /** Insert a RowBinary `body` of `rows` rows into `db.table` (validated identifiers), columns in `columns` order (plain identifiers). */
  insertRowBinary(qualifiedTable: string, columns: readonly string[], body: Buffer, rows: number): Promise<void>;
  /** Resolves when the server answers /ping. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Open a client for `cfg.url`. No request is made until the first call. */
export function openConnection(cfg: Config['clickhouse'], opts: ConnectionOptions = {}): ChConnection {
  const client: ClickHouseClient = createClient({
    url: cfg.url,
    username: cfg.username,
    password: cfg.password,
    request_timeout: opts.requestTimeoutMs ?? 30_000,
    max_open_connections: opts.maxOpenConnections ?? 4,
    // The client logs every failed request to the console; we map and log errors ourselves.
    log: { level: ClickHouseLogLevel.OFF },
    // Response compression needs enable_http_compression, which 18.16 has; requests stay plain.
    compression: { request: false, response: true },
  });
  let closed = false;

  return {
    async command(q, settings) {
      try {
        await client.command({ query: q.text, clickhouse_settings: settings });
      } catch (e) {
        throw toStoreError(e, describe(q.text));
      }
    },

    async query<T>(q: Sql): Promise<T[]> {
      try {
        const rs = await client.query({ query: q.text, format: 'JSONEachRow', clickhouse_settings: QUERY_SETTINGS });
        try {
          return await rs.json<T>();
        } finally {
          rs.close();
        }
      } catch (e) {
        throw toStoreError(e, describe(q.text));
      }
    },

    async insert(qualifiedTable, rows, settings) {
      if (rows.length === 0) return;
      try {
        await client.insert({ table: qualifiedTable, values: rows, format: 'JSONEachRow', clickhouse_settings: settings });
      } catch (e) {
        throw toStoreError(e, `insert ${rows.length} rows into ${qualifiedTable}`);
      }
    },

    async insertRowBinary(qualifiedTable, columns, body, rows) {
      if (rows === 0) return;
      try {
        // insert() accepts only JSON and text formats; exec() sends any body with the statement in the URL.
        const r = await client.exec({ query: `INSERT INTO ${qualifiedTable} (${columns.join(', ')}) FORMAT RowBinary`, values: Readable.from([body], { objectMode: false }) });
        await drainStream(r.stream);
      } catch (e) {
        throw toStoreError(e, `insert ${rows} rows into ${qualifiedTable}`);
      }
    },

    async ping() {
      let r: Awaited<ReturnType<ClickHouseClient['ping']>>;
      try {
        r = await client.ping();
      } catch (e) {
        throw toStoreError(e, `ping ${cfg.url}`);
      }
      if (!r.success) throw toStoreError(r.error, `ping ${cfg.url}`);
    },

    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

/** The statement's first words, for error messages (never the whole query: it may hold data). */
function describe(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}
