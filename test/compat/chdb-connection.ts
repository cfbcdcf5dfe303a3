/**
 * A ChConnection (src/clickhouse/connection.ts) on ClickHouse 26.9's engine: chdb-core in a Python
 * process (./chdb_bridge.py), one session for the connection's life. The store, migrations, encoders
 * and reads above it are the project's own code, unchanged; only the transport differs:
 *
 * - command/query send the same statement text the HTTP connection sends (`query` asks for
 *   JSONEachRow, as @clickhouse/client does, with connection.ts's QUERY_SETTINGS set on the session);
 * - inserts feed the exact bytes the HTTP connection would POST — the JSONEachRow body
 *   @clickhouse/client builds (one JSON.stringify per row and a newline) or our RowBinary body —
 *   through `INSERT INTO t [(columns)] FROM INFILE '<file>' FORMAT <fmt>`, which 26.9 reads with
 *   the same input format as an HTTP body (a temporary file per insert).
 *
 * Not covered: the HTTP server and @clickhouse/client's HTTP path (chdb has no server).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { QUERY_SETTINGS, type ChConnection } from '../../src/clickhouse/connection';
import { toStoreError } from '../../src/clickhouse/errors';
import { quoteString } from '../../src/clickhouse/sql';

export interface ChdbConnection extends ChConnection {
  /** The engine's `version()`, e.g. `26.9.2.1`. */
  readonly version: string;
  /** A SELECT in FORMAT JSON (column names and types in `meta`), like the dashboards test asks 18.16 over HTTP. */
  queryJson(sql: string): Promise<JsonResult>;
}

export interface JsonResult {
  readonly meta: readonly { name: string; type: string }[];
  readonly data: readonly Record<string, unknown>[];
}

interface Answer {
  text?: string;
  error?: string;
  version?: string;
}

/** Start the bridge with `python` (the venv's, from scripts/lib/chdb.sh) and open a session. */
export async function openChdbConnection(python: string): Promise<ChdbConnection> {
  const child: ChildProcessWithoutNullStreams = spawn(python, [join(__dirname, 'chdb_bridge.py')], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // The engine's server time zone comes from TZ; UTC like the 18.16 server's config (scripts/lib/clickhouse.sh).
    env: { ...process.env, TZ: 'UTC' },
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<never>((_, reject) => child.once('close', (code) => reject(new Error(`chdb bridge exited (${String(code)}): ${stderr.trim()}`))));
  exited.catch(() => undefined); // observed by every read below
  const next = async (): Promise<Answer> => {
    const r = await Promise.race([lines.next(), exited]);
    if (r.done === true) return exited;
    return JSON.parse(r.value) as Answer;
  };
  const hello = await next();
  if (hello.version === undefined) throw new Error(`chdb bridge: no version line: ${JSON.stringify(hello)}`);
  const files = mkdtempSync(join(tmpdir(), 'epicenter-chdb-in-'));
  let fileNo = 0;
  // One statement at a time, in call order, like statements on one session.
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (sql: string, format: string | undefined, what: string): Promise<Answer> => {
    const run = async (): Promise<Answer> => {
      child.stdin.write(JSON.stringify(format === undefined ? { sql } : { sql, format }) + '\n');
      const a = await next();
      if (a.error !== undefined) throw toStoreError(new Error(a.error), what);
      return a;
    };
    const p = queue.then(run, run);
    queue = p.catch(() => undefined);
    return p;
  };
  // What connection.ts sends with every SELECT; session-wide here (they only shape the output).
  for (const [k, v] of Object.entries(QUERY_SETTINGS)) await ask(`SET ${k} = ${String(v)}`, undefined, `SET ${k}`);
  const describe = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 120);
  const noSettings = (settings: object | undefined): void => {
    if (settings !== undefined && Object.keys(settings).length > 0) throw new Error('chdb connection: per-request settings are not emulated');
  };
  const insertFile = async (head: string, body: Buffer | string, format: string, what: string): Promise<void> => {
    const file = join(files, `${++fileNo}.${format}`);
    writeFileSync(file, body);
    try {
      await ask(`${head} FROM INFILE ${quoteString(file)} FORMAT ${format}`, undefined, what);
    } finally {
      rmSync(file, { force: true });
    }
  };

  return {
    version: hello.version,
    async command(q, settings) {
      noSettings(settings);
      await ask(q.text, undefined, describe(q.text));
    },
    async query<T>(q: { text: string }): Promise<T[]> {
      // As @clickhouse/client's ResultSet.json() does for JSONEachRow: JSON.parse per line.
      const text = (await ask(q.text, 'JSONEachRow', describe(q.text))).text ?? '';
      return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);
    },
    async queryJson(sql) {
      return JSON.parse((await ask(sql, 'JSON', describe(sql))).text ?? '') as JsonResult;
    },
    async insert(qualifiedTable, rows, settings) {
      noSettings(settings);
      if (rows.length === 0) return;
      // @clickhouse/client's JSONEachRow body: one JSON.stringify per row, each with a newline.
      const body = rows.map((r) => JSON.stringify(r) + '\n').join('');
      await insertFile(`INSERT INTO ${qualifiedTable}`, body, 'JSONEachRow', `insert ${rows.length} rows into ${qualifiedTable}`);
    },
    async insertRowBinary(qualifiedTable, columns, body, rows) {
      if (rows === 0) return;
      await insertFile(`INSERT INTO ${qualifiedTable} (${columns.join(', ')})`, body, 'RowBinary', `insert ${rows} rows into ${qualifiedTable}`);
    },
    async ping() {
      await ask('SELECT 1', 'JSONEachRow', 'ping chdb');
    },
    async close() {
      child.stdin.end();
      await exited.catch(() => undefined);
      rmSync(files, { recursive: true, force: true });
    },
  };
}
