import type { DetectorOptions } from '../detect';
import type { ChangeEvent, Topology } from '../domain/types';
import { EpicenterError } from '../errors';
import type { ChangeSink, Store } from '../ports';
import { MemoryBus } from '../pipeline/bus';
import { changeToCloudEvent } from '../pipeline/cloudevent';
import { createPipeline, type PipelineLog, type PipelineStats } from '../pipeline/pipeline';
import { createProcessor } from '../pipeline/processor';
import type { DeadLetter, MessageOrigin } from '../pipeline/types';
import { createStoreWriter, type DeadLetterStore } from '../pipeline/writer';

/**
 * The embedded mode (`npm start`, the demo): the same pipeline as `epicenter run` — decode,
 * validate, detect, buffered store writes, dead letters — fed by the in-process bus instead of
 * Kafka, writing to any Store (usually the MemoryStore). Ingest calls only queue; drain() waits
 * until everything queued so far is stored.
 *
 *   const rt = createEmbeddedRuntime({ store, topology });
 *   rt.ingestMetrics(readFileSync(f, 'utf8'), { file: f });
 *   rt.ingestChanges(readFileSync(c, 'utf8'), { file: c });
 *   const summary = await rt.drain();   // { points, changes, breakpoints, deadLetters }
 */
export interface EmbeddedRuntimeOptions {
  readonly store: Store;
  readonly topology: Topology;
  /** Also record dead letters here (e.g. a ClickHouse store's insertDeadLetters). */
  readonly deadLetterStore?: DeadLetterStore;
  readonly detector?: Partial<DetectorOptions>;
  /** Live-series cap of the detector state. @default 500000 */
  readonly maxSeries?: number;
  readonly log?: PipelineLog;
  /** Wall clock, epoch ms. @default Date.now */
  readonly now?: () => number;
}

export type MetricsFormat = 'auto' | 'otlp' | 'collectd';

export interface EmbeddedSummary {
  /** Totals since the runtime was created. */
  readonly points: number;
  readonly changes: number;
  readonly breakpoints: number;
  readonly deadLetters: readonly DeadLetter[];
}

export interface EmbeddedRuntime {
  /** Queue metrics text: CSV or OTLP/JSON sniffed ('auto', the default), or OTLP/collectd JSON explicitly. */
  ingestMetrics(text: string, origin?: MessageOrigin, format?: MetricsFormat): void;
  /** Queue CloudEvents (NDJSON or a JSON array). */
  ingestChanges(text: string, origin?: MessageOrigin): void;
  /** A ChangeSink for the HTTP API: changes travel the bus like everything else; resolves once stored. */
  readonly changes: ChangeSink;
  /** Resolves when everything queued so far is stored; rejects if the pipeline failed. */
  drain(): Promise<EmbeddedSummary>;
  stats(): PipelineStats;
  /** Drain, then stop the periodic flush. Does not close the store. */
  close(): Promise<void>;
}

const TOPIC = { metrics: 'embedded.metrics', changes: 'embedded.changes' } as const;
const silent: PipelineLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function createEmbeddedRuntime(opts: EmbeddedRuntimeOptions): EmbeddedRuntime {
  const now = opts.now ?? Date.now;
  const bus = new MemoryBus({ now });
  const deadLetters: DeadLetter[] = [];
  let fatal: Error | undefined;
  const processor = createProcessor({
    topology: opts.topology,
    detector: opts.detector ?? {},
    maxSeries: opts.maxSeries,
    now,
    // Files replay the past and can be large: no age or size limit here (Kafka messages have both).
    maxAgeMs: Infinity,
    maxMessageBytes: Infinity,
  });
  const pipeline = createPipeline({
    processor,
    writer: createStoreWriter(opts.store, opts.deadLetterStore),
    deadLetters: { publish: (ls) => (ls.forEach((l) => deadLetters.push(l)), Promise.resolve()) },
    log: opts.log ?? silent,
    now,
    onFatal: (e) => (fatal = e instanceof Error ? e : new EpicenterError('INTERNAL', `embedded pipeline: ${String(e)}`)),
  });
  pipeline.attach(bus);
  bus.start((b) => pipeline.handle(b));
  pipeline.start();

  async function drain(): Promise<EmbeddedSummary> {
    await bus.delivered();
    await pipeline.flush();
    if (fatal !== undefined) throw fatal;
    const s = pipeline.stats();
    return { points: s.points, changes: s.changes, breakpoints: s.breakpoints, deadLetters: [...deadLetters] };
  }

  return {
    ingestMetrics(text, origin, format = 'auto') {
      bus.publish(TOPIC.metrics, format === 'auto' ? 'metrics-file' : format, text, origin);
    },
    ingestChanges(text, origin) {
      bus.publish(TOPIC.changes, 'changes', text, origin);
    },
    changes: {
      async publishChanges(cs: readonly ChangeEvent[]) {
        if (cs.length === 0) return;
        bus.publish(TOPIC.changes, 'changes', cs.map((c) => JSON.stringify(changeToCloudEvent(c))).join('\n'), { file: 'api' });
        await drain();
      },
    },
    drain,
    stats: () => pipeline.stats(),
    async close() {
      await drain();
      await pipeline.stop();
    },
  };
}
