import type { Breakpoint, ChangeEvent, Sample, SeriesSpan } from '../domain/types';

export type { SeriesSpan };
import type { ErrorCode, ErrorOrigin } from '../errors';

/**
 * The values the pipeline passes around. Nothing here knows about kafkajs or ClickHouse: the
 * Kafka consumer and the in-process bus both turn their records into `BusBatch`es, and the
 * rows produced go to a `RowWriter` (over the Store port) and a `DeadLetterSink`.
 */

/** How the bytes of a message are decoded. */
export type MessageKind =
  /** OTLP/JSON ExportMetricsServiceRequest (the Collector's Kafka exporter with encoding otlp_json). */
  | 'otlp'
  /** collectd write_kafka `Format JSON`. */
  | 'collectd'
  /** A metrics file (CSV or OTLP/JSON, sniffed) — the embedded mode's `ingestMetrics`. */
  | 'metrics-file'
  /** CloudEvents 1.0 change events (one per message, NDJSON or a JSON array). */
  | 'changes';

/** Origin of a message that did not come from Kafka (a file, an HTTP body). */
export interface MessageOrigin {
  readonly file?: string;
  readonly line?: number;
}

/** One record as the pipeline sees it, whatever carried it. */
export interface BusMessage {
  /** Kafka offset (decimal string), or the bus's sequence number. */
  readonly offset: string;
  readonly key: Buffer | null;
  /** The original bytes; null for a tombstone. */
  readonly value: Buffer | null;
  /** When the record was produced (broker/producer timestamp), epoch ms. */
  readonly timestamp: number;
  /** Set by the embedded bus: the file the text came from, used in error origins. */
  readonly origin?: MessageOrigin;
  /** Record headers as UTF-8 strings (binary-mode CloudEvents carry their attributes as `ce_*` headers). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Consecutive messages of one topic-partition. */
export interface BusBatch {
  readonly kind: MessageKind;
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly BusMessage[];
}

/** A message the pipeline refused, with the original bytes and why. */
export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  /** The original bytes (empty for a tombstone). */
  readonly value: Buffer;
  /** First problem found, naming where (`topic[p]@offset: field: message`). */
  readonly reason: string;
  readonly code: ErrorCode;
  /** Rejected records in the message (a message can hold many points; good ones are still stored). */
  readonly rejected: number;
  /** Records of the message that were accepted and stored. */
  readonly accepted: number;
  /** Where the first problem was found. */
  readonly origin: ErrorOrigin;
  /** When it was dead-lettered, epoch ms. */
  readonly at: number;
  /** The message's own timestamp, epoch ms (stable across replays: the dead_letters row of a replay replaces the first). */
  readonly time: number;
}

/** What one batch produced. */
export interface Rows {
  readonly samples: Sample[];
  readonly breakpoints: Breakpoint[];
  readonly changes: ChangeEvent[];
  readonly deadLetters: DeadLetter[];
  /** Series whose `series` row is due (the processor's; a writer over Store.insertPoints derives its own). */
  /** Spans of the series whose `series` row this batch writes (see SeriesTable.rowDue). */
  readonly series?: SeriesSpan[];
}

export function emptyRows(): Rows {
  return { samples: [], breakpoints: [], changes: [], deadLetters: [] };
}

export function rowCount(r: Rows): number {
  return r.samples.length + r.breakpoints.length + r.changes.length + r.deadLetters.length;
}

/** Where dead letters are published (the dead-letter topic, or memory in the embedded mode). */
export interface DeadLetterSink {
  /** Resolves once every letter is durably published; rejects with a retriable error when the bus is down. */
  publish(letters: readonly DeadLetter[]): Promise<void>;
}

/** The next offset to read for a topic-partition (Kafka's commit convention: last processed + 1). */
export interface CommitOffset {
  readonly topic: string;
  readonly partition: number;
  /** Decimal string. */
  readonly offset: string;
}

/** What the pipeline needs from whatever delivers messages: flow control and commits. */
export interface SourceControl {
  /** Stop fetching (backpressure); batches already fetched may still arrive. */
  pause(): void;
  resume(): void;
  /** Record that everything before `offsets` is durably stored. Rejects with a retriable error when it cannot. */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
}
