/**
 * The Store port on ClickHouse. `createClickHouseStore` connects, migrates and returns a store
 * whose writes are idempotent (ReplacingMergeTree keyed by natural keys) and whose reads use
 * FINAL, so unmerged replays are never visible. Extra methods serve the pipeline (dead letters,
 * pipeline stats, raw row inserts for the batching writer) and operations (maintain, version).
 */
import type { Breakpoint, ChangeEvent, Sample } from '../domain/types';
import type { Config } from '../config/schema';
import { EpicenterError } from '../errors';
import type { BreakpointQuery, ChangeQuery, PointQuery, SeriesData, Store, StoredAnalysis } from '../ports';
import { openConnection, type ChConnection, type ConnectionOptions } from './connection';
import { migrate } from './migrate';
import { deadLetterRow, pipelineStatsRow } from './ops-rows';
import { queryBreakpoints, queryChanges, queryPoints, recentAnalyses } from './reads';
import { maintainRetention, type MaintainResult } from './retention';
import { analysisRows, breakpointRow, changeRow } from './rows';
import { BodyPool, POINT_COLUMNS, pointsRowBinary } from './rowbinary';
import { seriesSeenRow, seriesSpans } from './series-rows';
import { checkedPoint } from './tsv';
import { TABLES, type ServerFeatures } from './schema';
import { ident, sql, type Sql } from './sql';
import { silentLogger, type ChLogger, type DeadLetterInput, type PipelineStatsInput } from './types';
import { recentVerdicts, verdictRow } from './whatif-verdicts';
import type { VerdictStore } from '../whatif/store';
import type { StoredVerdict } from '../whatif/types';

/** Tables the writer and the insert methods may write. */
export type WritableTable = 'points' | 'breakpoints' | 'changes' | 'analyses' | 'analysis_suspects' | 'dead_letters' | 'pipeline_stats' | 'whatif_verdicts' | 'series_seen';

export interface ClickHouseStoreOptions extends ConnectionOptions {
  readonly logger?: ChLogger;
  /** Clock for created/applied timestamps and retention, epoch ms. @default Date.now */
  readonly now?: () => number;
}

export interface ClickHouseStore extends Store, VerdictStore {
  /** The database this store writes, e.g. `epicenter`. */
  readonly database: string;
  readonly features: ServerFeatures;
  /** The server's `version()`, e.g. `18.16.1`. */
  serverVersion(): string;
  insertDeadLetters(rows: readonly DeadLetterInput[]): Promise<void>;
  insertPipelineStats(rows: PipelineStatsInput | readonly PipelineStatsInput[]): Promise<void>;
  /**
   * Insert already-converted rows in INSERTs of at most batchRows: for `points`, samples
   * from `checkedPoint` (./tsv.ts), sent as one RowBinary body (./rowbinary.ts); for the other tables, row objects from ./rows.ts and
   * ./ops-rows.ts. Used by the batching writer. Throws INTERNAL on a row of the wrong kind.
   */
  insertRows(table: WritableTable, rows: readonly unknown[]): Promise<void>;
  /** Retention: drop daily partitions of points, dead_letters and pipeline_stats older than clickhouse.retentionDays. Call e.g. hourly; TTL does it too on 20.1+. */
  maintain(): Promise<MaintainResult>;
  /** Run a SELECT built with `sql` (every literal escaped); for tests, dashboards checks and tools. */
  query<T>(q: Sql): Promise<T[]>;
  /** Run a statement built with `sql`. */
  command(q: Sql): Promise<void>;
  /** Drop this store's database (tests). */
  dropDatabase(): Promise<void>;
}

/** Connect to `cfg.url`, migrate `cfg.database`, return the store. Throws STORE_UNAVAILABLE when unreachable. */
export async function createClickHouseStore(cfg: Config['clickhouse'], opts: ClickHouseStoreOptions = {}): Promise<ClickHouseStore> {
  const conn = openConnection(cfg, opts);
  try {
    return await createStoreOn(conn, cfg, opts);
  } catch (e) {
    await conn.close();
    throw e;
  }
}

/**
 * The store on a connection already open (createClickHouseStore's HTTP one, or another transport
 * such as the ClickHouse 26.9 engine test/compat runs): ping, migrate, return the store, which
 * owns `conn` from then on (close() closes it). On failure `conn` is left open for the caller.
 */
export async function createStoreOn(conn: ChConnection, cfg: Config['clickhouse'], opts: Omit<ClickHouseStoreOptions, keyof ConnectionOptions> = {}): Promise<ClickHouseStore> {
  await conn.ping();
  const m = await migrate(conn, { database: cfg.database, retentionDays: cfg.retentionDays, logger: opts.logger, now: opts.now });
  (opts.logger ?? silentLogger).info(
    { database: cfg.database, server: m.features.version, schema: m.version, applied: m.applied },
    'clickhouse: store ready',
  );
  return new ChStore(conn, cfg, m.features, opts);
}

class ChStore implements ClickHouseStore {
  readonly database: string;
  private readonly db: Sql;
  private readonly now: () => number;
  /** One idle body per INSERT that may be in flight: the memory is held, but not re-faulted per INSERT. */
  private readonly bodies: BodyPool;

  constructor(
    private readonly conn: ChConnection,
    private readonly cfg: Config['clickhouse'],
    readonly features: ServerFeatures,
    opts: ClickHouseStoreOptions,
  ) {
    this.database = cfg.database;
    this.db = ident(cfg.database, 'clickhouse.database');
    this.now = opts.now ?? Date.now;
    this.bodies = new BodyPool(cfg.insertConcurrency);
  }

  serverVersion(): string {
    return this.features.version;
  }

  async insertRows(table: WritableTable, rows: readonly unknown[]): Promise<void> {
    const points = table === TABLES.points;
    if (!rows.every((r) => typeof r === 'object' && r !== null && (!points || 'series' in r))) {
      throw new EpicenterError('INTERNAL', `clickhouse: insert into ${table}: rows must be ${points ? 'checked points (checkedPoint)' : 'objects'}`);
    }
    // Chunks of batchRows: one huge INSERT would hold the whole body in memory at once.
    const size = this.cfg.batchRows;
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size);
      if (points) await this.insertPointsBody(table, chunk as Sample[]);
      else await this.conn.insert(`${this.database}.${table}`, chunk as object[]);
    }
  }

  private async insertPointsBody(table: WritableTable, points: Sample[]): Promise<void> {
    const body = pointsRowBinary(points, this.bodies);
    try {
      await this.conn.insertRowBinary(`${this.database}.${table}`, POINT_COLUMNS, body, points.length);
    } finally {
      // Settled: the server answered (so it read the whole body) or the request was destroyed.
      this.bodies.give(body);
    }
  }

  /** The points, then one series_seen row per series among them (the batching writer sends its own, rarer, rows). */
  async insertPoints(samples: readonly Sample[]): Promise<void> {
    const points = samples.map(checkedPoint);
    await this.insertRows(TABLES.points, points);
    await this.insertRows(TABLES.seriesSeen, seriesSpans(points).map(seriesSeenRow));
  }

  insertBreakpoints(bps: readonly Breakpoint[]): Promise<void> {
    return this.insertRows(TABLES.breakpoints, bps.map(breakpointRow));
  }

  insertChanges(changes: readonly ChangeEvent[]): Promise<void> {
    return this.insertRows(TABLES.changes, changes.map(changeRow));
  }

  async insertAnalysis(a: StoredAnalysis): Promise<void> {
    const { analysis, suspects } = analysisRows(a);
    // Suspects first: a reader that finds the analysis row then finds its suspects too.
    await this.insertRows(TABLES.analysisSuspects, suspects);
    await this.insertRows(TABLES.analyses, [analysis]);
  }

  insertDeadLetters(rows: readonly DeadLetterInput[]): Promise<void> {
    return this.insertRows(TABLES.deadLetters, rows.map(deadLetterRow));
  }

  insertPipelineStats(rows: PipelineStatsInput | readonly PipelineStatsInput[]): Promise<void> {
    const list: readonly PipelineStatsInput[] = Array.isArray(rows) ? rows : [rows as PipelineStatsInput];
    return this.insertRows(TABLES.pipelineStats, list.map(pipelineStatsRow));
  }

  insertWhatIfVerdicts(verdicts: readonly StoredVerdict[]): Promise<void> {
    return this.insertRows(TABLES.whatifVerdicts, verdicts.map(verdictRow));
  }

  recentWhatIfVerdicts(q: { service?: string; limit: number }): Promise<StoredVerdict[]> {
    return recentVerdicts(this.conn, this.db, q);
  }

  queryPoints(q: PointQuery): Promise<SeriesData[]> {
    return queryPoints(this.conn, this.db, q);
  }

  queryChanges(q: ChangeQuery): Promise<ChangeEvent[]> {
    return queryChanges(this.conn, this.db, q);
  }

  queryBreakpoints(q: BreakpointQuery): Promise<Breakpoint[]> {
    return queryBreakpoints(this.conn, this.db, q);
  }

  recentAnalyses(q: { service?: string; limit: number }): Promise<StoredAnalysis[]> {
    return recentAnalyses(this.conn, this.db, q);
  }

  maintain(): Promise<MaintainResult> {
    return maintainRetention(this.conn, this.database, this.cfg.retentionDays, this.now());
  }

  query<T>(q: Sql): Promise<T[]> {
    return this.conn.query<T>(q);
  }

  command(q: Sql): Promise<void> {
    return this.conn.command(q);
  }

  async dropDatabase(): Promise<void> {
    if (this.database === 'default' || this.database === 'system') {
      throw new EpicenterError('BAD_REQUEST', `clickhouse: refusing to drop database ${this.database}`);
    }
    await this.conn.command(sql`DROP DATABASE IF EXISTS ${this.db}`);
  }

  ping(): Promise<void> {
    return this.conn.ping();
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}
