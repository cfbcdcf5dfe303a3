/**
 * The ClickHouse adapter's public surface. Only src/app and src/cli should import it.
 */
export { createClickHouseStore, type ClickHouseStore, type ClickHouseStoreOptions, type WritableTable } from './store';
export { createClickHouseWriter, type ClickHouseWriter, type WriterOptions } from './writer';
export { Batcher, type BatcherOptions, type BatcherStats, type Sender } from './batcher';
export { migrate, detectFeatures, type MigrateResult } from './migrate';
export { openConnection, type ChConnection, type ConnectionOptions } from './connection';
export { TABLES, SCHEMA_VERSION, MIGRATIONS, parseServerVersion, type ServerFeatures } from './schema';
export { sql, ident, dateTime, inList, joinSql, quoteString, literal, Sql, type SqlValue } from './sql';
export { toStoreError } from './errors';
export type { MaintainResult } from './retention';
export type { ChLogger, DeadLetterInput, PipelineStatsInput, WebhookCount } from './types';
