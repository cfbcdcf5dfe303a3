import type { Admin } from 'kafkajs';
import type { Config } from '../config/schema';
import { createClickHouseStore, createClickHouseWriter, type ClickHouseStore } from '../clickhouse';
import { EpicenterError, isEpicenterError } from '../errors';
import { createKafka, ensureTopic, KafkaChangeSink, KafkaDeadLetterSink, KafkaSource, LagMonitor, metricTopics, type MetricTopics } from '../kafka';
import { createPipeline } from '../pipeline/pipeline';
import { createProcessor } from '../pipeline/processor';
import { clickHouseRowWriter } from './clickhouse-writer';
import { startHttp, type HttpHandle } from './http';
import { SourceCounters } from '../changes/counters';
import type { Logger } from './logger';
import { startStatsLoop } from './stats';
import { loadTopologyFile } from './topology';

/**
 * The long-running service behind `epicenter run`. Starts in dependency order — store (and
 * migrations) → writer → producer → pipeline → consumers → lag/stats → HTTP — and stops in
 * reverse: HTTP closed, consumption quiesced, the pipeline flushed and committed, consumers
 * disconnected (leaving the group at once, so a restart need not wait a session timeout),
 * producer disconnected, writer and store closed.
 */
export interface RunningService {
  /** Stop in order; resolves to the exit code (0 clean, 1 when data could not be flushed, or after a fatal error). */
  stop(reason: string): Promise<number>;
  /** Resolves with the exit code once the service has stopped (after stop(), or by itself after a fatal error). */
  readonly stopped: Promise<number>;
}

/** How long start-up waits for ClickHouse, ms. */
const STORE_WAIT_MS = 120_000;
/** How long the final flush may take on shutdown, ms (what is not stored is not committed: re-read next start). */
const STOP_FLUSH_MS = 20_000;

export async function startService(cfg: Readonly<Config>, log: Logger, instanceId: string): Promise<RunningService> {
  const store = await connectStore(cfg, log);
  const chWriter = createClickHouseWriter(store, cfg.clickhouse, { logger: log.child({ component: 'clickhouse' }), closeStore: false, closeTimeoutMs: 5000 });
  const topology = loadTopologyFile(cfg.topologyFile, log);

  const klog = log.child({ component: 'kafka' });
  const kafka = createKafka(cfg.kafka, klog, cfg.log.level === 'debug' || cfg.log.level === 'trace');
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  // What start-up opened is closed again when it fails: a half-started service left the process
  // hanging on its open connections after printing the error.
  const abandon = async (e: unknown, first: readonly (() => Promise<unknown>)[] = []): Promise<never> => {
    for (const f of first) await f().catch(() => undefined);
    await Promise.allSettled([producer.disconnect(), admin.disconnect(), chWriter.close(), store.close()]);
    throw e;
  };
  let consume: readonly string[] = [];
  try {
    await admin.connect();
    consume = await checkTopics(cfg, admin, klog);
    await ensureTopic(admin, cfg.kafka.topics.deadLetter);
    await producer.connect();
  } catch (e) {
    await abandon(e);
  }

  // Set once everything exists; a fatal error before that surfaces through start-up instead.
  const hooks: { fatal?: (e: unknown) => void } = {};
  const pipeline = createPipeline(
    {
      processor: createProcessor({
        topology,
        maxMessageBytes: cfg.kafka.maxMessageBytes,
        metricsEncoding: cfg.kafka.metricsEncoding,
        maxAgeMs: cfg.clickhouse.retentionDays * 86_400_000,
        maxSeries: cfg.pipeline.maxSeries,
        seriesIdleMs: cfg.pipeline.seriesIdleMs,
        seriesEveryMs: cfg.clickhouse.seriesEveryMs,
      }),
      writer: clickHouseRowWriter(chWriter),
      deadLetters: new KafkaDeadLetterSink(producer, cfg.kafka.topics.deadLetter, cfg.kafka.maxMessageBytes),
      log: log.child({ component: 'pipeline' }),
      onFatal: (e) => hooks.fatal?.(e),
    },
    // The ClickHouse writer sends each full batch by itself; an early flush (which sends every row
    // held, and commits) would only add small INSERTs, so the pipeline flushes on its timer and
    // when the buffer is half full.
    { flushRows: Math.max(cfg.clickhouse.batchRows, Math.floor(cfg.clickhouse.maxBufferedRows / 2)), flushMs: cfg.clickhouse.batchMs },
  );
  const source = new KafkaSource(
    kafka,
    { groupId: cfg.kafka.groupId, instanceId, topics: cfg.kafka.topics, consume, sessionTimeoutMs: cfg.kafka.sessionTimeoutMs, heartbeatIntervalMs: cfg.kafka.heartbeatIntervalMs },
    pipeline,
    klog,
    (e) => hooks.fatal?.(e),
  );
  pipeline.attach(source);
  pipeline.start();
  await source.start().catch((e: unknown) => abandon(e, [() => pipeline.stop(0), () => source.disconnect()]));

  const lag = new LagMonitor(admin, cfg.kafka.groupId, consume, klog);
  lag.start();
  const sourceCounters = new SourceCounters();
  const stopStats = startStatsLoop({ pipeline, lag, log, instance: instanceId, intervalMs: cfg.pipeline.statsIntervalMs, writer: chWriter, sourceCounters });
  let http: HttpHandle | undefined;
  try {
    http = await startHttp({ cfg, store, topology, changes: new KafkaChangeSink(producer, cfg.kafka.topics.changes), log, sourceCounters, verdicts: store });
  } catch (e) {
    log.error({ err: e }, 'http: could not start; continuing without the HTTP API');
  }
  log.info({ instance: instanceId, groupId: cfg.kafka.groupId, topics: cfg.kafka.topics, database: store.database, http: http?.address }, 'epicenter run: started');

  let stopping: Promise<number> | undefined;
  let resolveStopped: (code: number) => void = () => undefined;
  const stopped = new Promise<number>((r) => (resolveStopped = r));

  async function stop(reason: string, failed: boolean): Promise<number> {
    log.info({ reason }, 'epicenter run: stopping');
    await step('http', () => http?.close());
    await step('consumers (quiesce)', () => source.quiesce());
    const clean = await pipeline.stop(STOP_FLUSH_MS);
    if (!clean) log.warn({ buffered: pipeline.stats().buffered }, 'epicenter run: could not store everything before stopping; uncommitted messages will be re-read on the next start');
    stopStats();
    await step('consumers (disconnect)', () => source.disconnect());
    await step('lag monitor', () => lag.stop());
    await step('admin', () => admin.disconnect());
    await step('producer', () => producer.disconnect());
    if (clean) await step('writer', () => chWriter.close());
    await step('store', () => store.close());
    const code = failed || !clean ? 1 : 0;
    log.info({ code }, 'epicenter run: stopped');
    return code;
  }

  async function step(name: string, f: () => Promise<unknown> | undefined): Promise<void> {
    try {
      await f();
    } catch (e) {
      log.warn({ err: e, step: name }, 'epicenter run: shutdown step failed');
    }
  }

  const begin = (reason: string, failed: boolean): Promise<number> => {
    stopping ??= stop(reason, failed).then((code) => {
      resolveStopped(code);
      return code;
    });
    return stopping;
  };
  hooks.fatal = (e) => {
    log.fatal({ err: e, code: isEpicenterError(e) ? e.code : undefined }, 'epicenter run: fatal error');
    void begin('fatal error', true);
  };
  return { stop: (reason) => begin(reason, false), stopped };
}

/**
 * The metric topics to consume, and the changes topic made if missing (epicenter's own change log:
 * the HTTP API writes to it too). A metric topic the broker lacks is left out with a warning (a shop
 * that sends no collectd need not make its topic); with none of them there is nothing to consume,
 * and the error names the config keys.
 */
async function checkTopics(cfg: Readonly<Config>, admin: Admin, log: Logger): Promise<readonly string[]> {
  const t = cfg.kafka.topics;
  const found = await metricTopics(admin, { 'kafka.topics.metrics': t.metrics, 'kafka.topics.collectd': t.collectd });
  const named = (ms: MetricTopics['missing']): string => ms.map((m) => `${m.key} '${m.topic}'`).join(' and ');
  const missing = named(found.missing);
  const [first, ...rest] = found.missing;
  if (found.present.length === 0 && first !== undefined) {
    const nor = rest.length === 0 ? '' : ` (nor is ${named(rest)})`;
    throw new EpicenterError('BAD_CONFIG', `'${first.topic}' is no topic on ${cfg.kafka.brokers.join(', ')}${nor}: nothing to consume; create the topics your Collectors' Kafka exporters write to, or set the keys to topics that exist`, { origin: { field: first.key } });
  }
  if (missing !== '') log.warn({ missing: found.missing }, `${missing}: no such topic; not consumed`);
  await ensureTopic(admin, t.changes);
  return found.present;
}

/** Connect and migrate, retrying while ClickHouse is unreachable (it may start after us). */
async function connectStore(cfg: Readonly<Config>, log: Logger): Promise<ClickHouseStore> {
  const deadline = Date.now() + STORE_WAIT_MS;
  for (let delay = 500; ; delay = Math.min(5000, delay * 2)) {
    try {
      return await createClickHouseStore(cfg.clickhouse, { logger: log.child({ component: 'clickhouse' }) });
    } catch (e) {
      const retriable = isEpicenterError(e) && e.retriable;
      if (!retriable || Date.now() + delay > deadline) throw e instanceof EpicenterError ? e : new EpicenterError('STORE_UNAVAILABLE', String(e), { cause: e });
      log.warn({ err: e, retryInMs: delay }, 'clickhouse not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
