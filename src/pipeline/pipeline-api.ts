import type { Processor, ProcessorStats } from './processor';
import type { BusBatch, DeadLetterSink, SourceControl } from './types';
import type { RowWriter } from './writer';

/** The contract of the streaming loop (implemented in ./pipeline.ts). */
export interface PipelineLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PipelineOptions {
  /** Flush as soon as this many rows are buffered. @default 50000 */
  flushRows: number;
  /** Flush buffered rows at least this often, ms. @default 1000 */
  flushMs: number;
  /** First retry delay after a failed flush, ms (doubles up to retryMaxMs). @default 250 */
  retryInitialMs: number;
  /** @default 5000 */
  retryMaxMs: number;
}

export interface PipelineDeps {
  readonly processor: Processor;
  readonly writer: RowWriter;
  readonly deadLetters: DeadLetterSink;
  readonly log: PipelineLog;
  /** Wall clock, epoch ms. */
  readonly now?: () => number;
  /** A failure that retrying cannot fix (e.g. the store refuses rows): the app must stop without committing. */
  readonly onFatal: (e: unknown) => void;
}

export interface PipelineStats extends ProcessorStats {
  readonly buffered: number;
  readonly paused: boolean;
  readonly storeHealthy: boolean;
  readonly flushes: number;
  readonly failedFlushes: number;
  readonly committedBatches: number;
  /** Rows the writer refused after decoding (should stay 0; each is logged). */
  readonly refusedRows: number;
  /** Decode + detect time of the last batch, ms. */
  readonly lastBatchMs: number;
  /** End-to-end latency (produce → stored) since the last stats(true), ms. */
  readonly e2e: { readonly count: number; readonly p50: number; readonly p99: number; readonly max: number };
}

export interface Pipeline {
  /** Connect the source whose flow is controlled and whose offsets are committed. */
  attach(source: SourceControl): void;
  handle(batch: BusBatch): void;
  flush(): Promise<void>;
  /** Forget uncommitted offsets of partitions no longer owned (after a rebalance). */
  retainPartitions(owned: (topic: string, partition: number) => boolean): void;
  /** Start the periodic flush. */
  start(): void;
  /** Stop the timer and flush until done or `timeoutMs` passes; resolves true when all was stored and committed. */
  stop(timeoutMs?: number): Promise<boolean>;
  stats(resetInterval?: boolean): PipelineStats;
}
