import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import { EpicenterError } from '../errors';

/**
 * The kafkajs client, built from config, with its logs routed into ours. This folder is the only
 * place that imports kafkajs (unmaintained since 2023), so another client could replace it.
 */
export interface KafkaLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface KafkaClientConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
}

export function createKafka(cfg: KafkaClientConfig, log: KafkaLog, debug = false): Kafka {
  const creator: logCreator = () => (entry: LogEntry) => {
    const { message, ...rest } = entry.log;
    const obj = { kafkajs: entry.namespace, ...rest };
    const msg = `kafkajs: ${message}`;
    if (entry.level === logLevel.ERROR) log.error(obj, msg);
    else if (entry.level === logLevel.WARN) log.warn(obj, msg);
    else if (entry.level === logLevel.INFO) log.info(obj, msg);
    else log.debug(obj, msg);
  };
  return new Kafka({
    clientId: cfg.clientId,
    brokers: [...cfg.brokers],
    logLevel: debug ? logLevel.INFO : logLevel.WARN,
    logCreator: creator,
    // Broker restarts take several seconds: keep retrying connections for ~30 s before an operation fails.
    retry: { initialRetryTime: 300, retries: 10, maxRetryTime: 5000 },
  });
}

/** kafkajs errors carry `retriable`; a crash with a retriable cause is worth a restart. */
export function isRetriableKafkaError(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur !== null && typeof cur === 'object'; i++) {
    const o = cur as { retriable?: unknown; name?: unknown; cause?: unknown };
    if (o.name === 'KafkaJSNumberOfRetriesExceeded' || o.retriable === true) return true;
    if (o.cause === undefined) break;
    cur = o.cause;
  }
  return false;
}

/** Wrap a kafkajs failure as our retriable BUS_UNAVAILABLE (the pipeline retries, never drops). */
export function busError(what: string, e: unknown): EpicenterError {
  const msg = e instanceof Error ? e.message : String(e);
  return new EpicenterError('BUS_UNAVAILABLE', `kafka: ${what}: ${msg}`, { cause: e });
}
