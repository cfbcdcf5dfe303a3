import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { isEpicenterError } from '../errors';
import type { Pipeline } from '../pipeline/pipeline';
import type { BusMessage, CommitOffset, MessageKind, SourceControl } from '../pipeline/types';
import { busError, isRetriableKafkaError, type KafkaLog } from './client';

/**
 * The Kafka side of `epicenter run`: two consumers feeding one Pipeline.
 * - metrics: ONE group (`kafka.groupId`) shared by every instance over the OTLP and collectd
 *   topics; offsets resolved per chunk, committed by the pipeline only after a flush made the
 *   rows durable (never auto-commit).
 * - changes: a group per instance (`<groupId>-changes-<instanceId>`) read from the beginning and
 *   never committed, so every instance sees every change (stored idempotently by source+id) and
 *   the group vanishes when the instance leaves.
 */
export interface KafkaSourceConfig {
  readonly groupId: string;
  /** Unique per process (host-pid-random): names the per-instance changes group. */
  readonly instanceId: string;
  readonly topics: { readonly metrics: string; readonly collectd: string; readonly changes: string };
  /** The metric topics to subscribe (those the broker has). @default metrics and collectd */
  readonly consume?: readonly string[];
  /** ms */
  readonly sessionTimeoutMs: number;
  /** ms */
  readonly heartbeatIntervalMs: number;
}

/** Messages handled between heartbeats / isRunning checks. */
const CHUNK = 64;

export class KafkaSource implements SourceControl {
  private readonly kinds: ReadonlyMap<string, MessageKind>;
  private readonly metricTopics: readonly string[];
  private readonly metrics: Consumer;
  private readonly changes: Consumer;
  private metricsJoined = false;
  private stopping = false;
  /** Wanted flow state: re-applied after a crash-restart, which forgets kafkajs's paused set. */
  private wantPaused = false;
  private inflight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    kafka: Kafka,
    private readonly cfg: KafkaSourceConfig,
    private readonly pipeline: Pipeline,
    private readonly log: KafkaLog,
    /** Called when a consumer crashed with an error not worth a restart: the app must exit non-zero. */
    private readonly onFatal: (e: unknown) => void,
  ) {
    const t = cfg.topics;
    this.kinds = new Map<string, MessageKind>([
      [t.metrics, 'otlp'],
      [t.collectd, 'collectd'],
      [t.changes, 'changes'],
    ]);
    this.metricTopics = cfg.consume ?? [...new Set([t.metrics, t.collectd])];
    const common = {
      sessionTimeout: cfg.sessionTimeoutMs,
      heartbeatInterval: cfg.heartbeatIntervalMs,
      // Bigger fetches = bigger batches = fewer, larger store inserts. Bounded: one fetch in flight per broker.
      maxBytesPerPartition: 4 * 1_048_576,
      maxBytes: 16 * 1_048_576,
      maxWaitTimeInMs: 500,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5000, restartOnFailure: (e: Error) => Promise.resolve(worthRestart(e)) },
    };
    this.metrics = kafka.consumer({ groupId: cfg.groupId, ...common });
    this.changes = kafka.consumer({ groupId: `${cfg.groupId}-changes-${cfg.instanceId}`, ...common });
    this.watch(this.metrics, 'metrics');
    this.watch(this.changes, 'changes');
  }

  async start(): Promise<void> {
    await this.metrics.connect();
    await this.changes.connect();
    await this.metrics.subscribe({ topics: [...this.metricTopics], fromBeginning: true });
    await this.changes.subscribe({ topics: [this.cfg.topics.changes], fromBeginning: true });
    await this.metrics.run(this.runConfig);
    await this.changes.run(this.runConfig);
  }

  private readonly runConfig = { autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1, eachBatch: (p: EachBatchPayload) => this.eachBatch(p) };

  pause(): void {
    this.wantPaused = true;
    this.safely(() => this.metrics.pause(this.metricTopics.map((topic) => ({ topic }))));
    this.safely(() => this.changes.pause([{ topic: this.cfg.topics.changes }]));
  }

  resume(): void {
    if (this.stopping) return;
    this.wantPaused = false;
    this.safely(() => this.metrics.resume(this.metricTopics.map((topic) => ({ topic }))));
    this.safely(() => this.changes.resume([{ topic: this.cfg.topics.changes }]));
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    // The changes group never commits: every start re-reads the (small, idempotent) change history.
    const mine = offsets.filter((o) => this.metricTopics.includes(o.topic));
    if (mine.length === 0) return;
    // kafkajs silently skips commits while its runner is down (crash → restart): refuse instead, so the ledger keeps them.
    if (!this.metricsJoined) throw busError('commit', new Error('metrics consumer is not in the group (restarting or rebalancing)'));
    try {
      await this.metrics.commitOffsets(mine.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })));
    } catch (e) {
      throw busError(`committing ${mine.length} offsets`, e);
    }
  }

  /** Stop handling new batches and wait for the one in progress; the consumers stay in their groups so a final commit still works. */
  async quiesce(): Promise<void> {
    this.stopping = true;
    this.pause();
    if (this.inflight > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  /** Leave the groups and close connections (after the final flush and commit). */
  async disconnect(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([this.metrics.disconnect(), this.changes.disconnect()]);
  }

  private async eachBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    const kind = this.kinds.get(batch.topic);
    if (kind === undefined || this.stopping) return;
    this.inflight++;
    try {
      for (let i = 0; i < batch.messages.length; i += CHUNK) {
        // Stop early on shutdown, or after a rebalance/seek made this batch stale: unresolved messages are re-fetched.
        if (this.stopping || !p.isRunning() || p.isStale()) break;
        const chunk = batch.messages.slice(i, i + CHUNK);
        const last = chunk[chunk.length - 1];
        if (last === undefined) break;
        this.pipeline.handle({ kind, topic: batch.topic, partition: batch.partition, messages: chunk.map((m) => toBusMessage(m, kind)) });
        p.resolveOffset(last.offset);
        await p.heartbeat();
      }
    } finally {
      this.inflight--;
      if (this.inflight === 0) {
        const ws = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of ws) w();
      }
    }
  }

  private watch(c: Consumer, name: 'metrics' | 'changes'): void {
    c.on(c.events.GROUP_JOIN, (ev) => {
      const assigned = ev.payload.memberAssignment;
      this.log.info({ consumer: name, groupId: ev.payload.groupId, assignment: assigned }, 'kafka: joined group');
      if (this.wantPaused) this.pause();
      if (name !== 'metrics') return;
      this.metricsJoined = true;
      // Uncommitted offsets of partitions now owned by another instance are theirs to re-read.
      this.pipeline.retainPartitions((topic, partition) => !this.metricTopics.includes(topic) || (assigned[topic] ?? []).includes(partition));
    });
    c.on(c.events.REBALANCING, () => {
      if (name === 'metrics') this.metricsJoined = false;
    });
    c.on(c.events.STOP, () => {
      if (name === 'metrics') this.metricsJoined = false;
    });
    c.on(c.events.CRASH, (ev) => {
      if (name === 'metrics') this.metricsJoined = false;
      const { error, restart } = ev.payload;
      if (restart && !this.stopping) {
        this.log.warn({ consumer: name, err: error }, 'kafka: consumer crashed with a retriable error; kafkajs restarts it');
        return;
      }
      if (this.stopping) return;
      if (isTransient(error)) {
        this.log.warn({ consumer: name, err: error }, 'kafka: consumer crashed with a transient error kafkajs does not retry; restarting it');
        void this.restart(c, name);
        return;
      }
      this.log.error({ consumer: name, err: error }, 'kafka: consumer crashed with a non-retriable error; shutting down');
      this.onFatal(error);
    });
  }

  /** Reconnect and run a consumer kafkajs gave up on (its subscriptions are kept), with backoff, for up to RESTART_WINDOW_MS. */
  private async restart(c: Consumer, name: string): Promise<void> {
    const deadline = Date.now() + RESTART_WINDOW_MS;
    for (let delay = 1000; !this.stopping; delay = Math.min(10_000, delay * 2)) {
      await new Promise((r) => setTimeout(r, delay));
      if (this.stopping) return;
      try {
        await c.connect();
        await c.run(this.runConfig);
        this.log.info({ consumer: name }, 'kafka: consumer restarted');
        return;
      } catch (e) {
        if (Date.now() + delay > deadline) {
          this.log.error({ consumer: name, err: e }, 'kafka: consumer could not be restarted; shutting down');
          this.onFatal(e);
          return;
        }
        this.log.warn({ consumer: name, err: e, retryInMs: delay }, 'kafka: consumer restart failed; retrying');
      }
    }
  }

  private safely(f: () => void): void {
    try {
      f();
    } catch (e) {
      // pause/resume throw while a consumer is between runs (restarting); the next flush corrects the state.
      this.log.debug({ err: e }, 'kafka: pause/resume skipped');
    }
  }
}

/** Explicit restart policy: restart after retriable failures (broker away, rebalances); anything else stops the process. */
function worthRestart(e: Error): boolean {
  return isRetriableKafkaError(e) || (isEpicenterError(e) && e.retriable);
}

/** How long we keep restarting a consumer after a transient crash kafkajs does not retry, ms. */
const RESTART_WINDOW_MS = 5 * 60_000;

/**
 * Errors kafkajs marks non-retriable that are transient in practice: while a broker restarts,
 * FindCoordinator fails with a connection error and kafkajs gives up with
 * KafkaJSGroupCoordinatorNotFound (seen against Kafka 4.1 in the broker-restart test).
 */
export function isTransient(e: unknown): boolean {
  // kafkajs wraps it: KafkaJSNonRetriableError { cause: KafkaJSGroupCoordinatorNotFound }.
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur instanceof Error; i++, cur = cur.cause) {
    if (cur.name === 'KafkaJSGroupCoordinatorNotFound') return true;
  }
  return false;
}

function toBusMessage(m: KafkaMessage, kind: MessageKind): BusMessage {
  const base = { offset: m.offset, key: m.key, value: m.value, timestamp: Number(m.timestamp) };
  // Changes carry binary CloudEvents in headers; OTLP metrics may name their encoding in content-type.
  if ((kind !== 'changes' && kind !== 'otlp') || m.headers === undefined) return base;
  return { ...base, headers: stringHeaders(m.headers) };
}

function stringHeaders(h: IHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    const one = Array.isArray(v) ? v[0] : v;
    if (one !== undefined) out[k] = one.toString();
  }
  return out;
}
