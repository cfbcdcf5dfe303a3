/**
 * Inputs and options of the ClickHouse adapter that are not domain types: dead letters and
 * pipeline statistics (written by the pipeline), and the logger shape (pino's Logger fits).
 */

/** The subset of a pino logger the adapter uses. */
export interface ChLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: ChLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** One rejected record, for the dead_letters table. */
export interface DeadLetterInput {
  /**
   * epoch ms. Use the Kafka message timestamp (not the wall clock): a replayed message then
   * lands in the same daily partition and replaces its first copy instead of duplicating it.
   */
  readonly t: number;
  /** Source topic, or for non-Kafka inputs a short origin such as `file:metrics.csv` or `http`. */
  readonly topic: string;
  /** Kafka partition; -1 when not from Kafka. */
  readonly partition: number;
  /** Kafka offset (decimal string as kafkajs gives it, or a number); for files, the line. */
  readonly offset: string | number;
  /** Index of this rejection within the message (one message can hold many bad points). @default 0 */
  readonly seq?: number;
  /** Human-readable reason, e.g. the EpicenterError's describe(). */
  readonly reason: string;
  /** EpicenterError code, e.g. BAD_INPUT. */
  readonly code: string;
  /** The original bytes. Stored as UTF-8 text, or `base64:<…>` when not valid UTF-8; truncated to 64 KiB. */
  readonly payload: string | Uint8Array;
  /** The Kafka message key, if any. */
  readonly key?: string | Uint8Array | null;
}

/** One pipeline-health sample, for the pipeline_stats table. Counts are since the previous sample. */
export interface PipelineStatsInput {
  /** epoch ms of the sample. */
  readonly t: number;
  /** Instance id (host:pid or configured). */
  readonly instance: string;
  readonly pointsIn: number;
  /** @default 0 */
  readonly changesIn?: number;
  readonly breakpoints: number;
  readonly deadLetters: number;
  /** Consumer lag, messages (summed over assigned partitions). */
  readonly lag: number;
  /** Time spent handling the last batch, ms. */
  readonly batchMs: number;
  /** Rows waiting in the writer. @default 0 */
  readonly bufferedRows?: number;
  /** Change webhook deliveries since the previous sample, per source kind. @default [] */
  readonly changeWebhooks?: readonly WebhookCount[];
}

/** Accepted and refused change webhook deliveries of one source kind (github, argocd, …). */
export interface WebhookCount {
  readonly kind: string;
  readonly accepted: number;
  readonly refused: number;
}
