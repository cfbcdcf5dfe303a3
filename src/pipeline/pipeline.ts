import { isEpicenterError } from '../errors';
import { ATTR, pipelineInstruments, withSpan, withSpanSync } from '../telemetry';
import { LatencyHistogram } from './latency';
import { OffsetLedger } from './ledger';
import type { Pipeline, PipelineDeps, PipelineOptions, PipelineStats } from './pipeline-api';
import type { DeadLetter, SourceControl } from './types';

export type { Pipeline, PipelineDeps, PipelineLog, PipelineOptions, PipelineStats } from './pipeline-api';

/**
 * The streaming loop shared by the Kafka consumer and the in-process bus:
 *   handle(batch)  decode + detect (sync) → rows into the writer, offsets into the ledger;
 *   flush()        writer.flush() → dead letters published → offsets committed — in that order,
 *                  so an offset is never committed before its rows and dead letters are durable;
 *   backpressure   the source is paused while the writer is saturated or the store is failing,
 *                  and resumed after a successful flush.
 * Flushes are single-flight; retriable failures are retried with backoff, never dropped.
 */
export function createPipeline(deps: PipelineDeps, opts: Partial<PipelineOptions> = {}): Pipeline {
  const flushRows = opts.flushRows ?? 50_000;
  const flushMs = opts.flushMs ?? 1000;
  const retryInitial = opts.retryInitialMs ?? 250;
  const retryMax = opts.retryMaxMs ?? 5000;
  const now = deps.now ?? Date.now;
  const { processor, writer, log } = deps;
  const ledger = new OffsetLedger();
  const e2e = new LatencyHistogram();
  let source: SourceControl = { pause: () => undefined, resume: () => undefined, commit: () => Promise.resolve() };
  let letters: DeadLetter[] = [];
  let stamps: number[] = [];
  let inflight: Promise<void> | undefined;
  let again = false;
  let paused = false;
  let healthy = true;
  let backoff = retryInitial;
  let failingSince = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const counts = { flushes: 0, failedFlushes: 0, committedBatches: 0, refusedRows: 0, lastBatchMs: 0 };

  function updateFlow(): void {
    const shouldPause = !healthy || writer.isSaturated() || writer.failing?.() === true;
    if (shouldPause && !paused) {
      paused = true;
      source.pause();
      log.warn({ buffered: writer.buffered(), storeHealthy: healthy }, 'pipeline: pausing consumption (backpressure)');
    } else if (!shouldPause && paused && !stopped) {
      paused = false;
      source.resume();
      log.info({ buffered: writer.buffered() }, 'pipeline: resuming consumption');
    }
  }

  async function flushOnce(): Promise<void> {
    // One synchronous step: what this flush covers (rows, letters, offsets, stamps) is fixed here.
    const offsets = ledger.snapshot();
    const myLetters = letters;
    const myStamps = stamps;
    letters = [];
    stamps = [];
    const rows = writer.buffered();
    if (rows === 0 && myLetters.length === 0 && offsets.length === 0) return;
    const t0 = now();
    const written = writer.flush();
    try {
      await written;
      if (myLetters.length > 0) await deps.deadLetters.publish(myLetters);
    } catch (e) {
      letters = myLetters.concat(letters);
      stamps = myStamps.concat(stamps);
      throw e;
    }
    const stored = now();
    for (const t of myStamps) e2e.record(stored - t);
    if (offsets.length > 0) {
      await source.commit(offsets);
      ledger.settle(offsets);
      counts.committedBatches++;
    }
    counts.flushes++;
    pipelineInstruments().flushDuration.record(now() - t0);
  }

  function flush(): Promise<void> {
    if (inflight !== undefined) {
      again = true;
      return inflight;
    }
    inflight = withSpan('epicenter.pipeline.flush', { [ATTR.rows]: writer.buffered() }, async () => {
      try {
        do {
          again = false;
          await flushOnce();
        } while (again);
        if (!healthy) log.info({ downMs: now() - failingSince }, 'pipeline: store and bus reachable again');
        healthy = true;
        backoff = retryInitial;
      } finally {
        inflight = undefined;
        updateFlow();
      }
    });
    return inflight;
  }

  function onFlushError(e: unknown): void {
    counts.failedFlushes++;
    const retriable = isEpicenterError(e) ? e.retriable : (e as { retriable?: unknown }).retriable !== false;
    if (!retriable) {
      log.error({ err: e }, 'pipeline: flush failed and cannot be retried; stopping without committing');
      deps.onFatal(e);
      return;
    }
    if (healthy) {
      failingSince = now();
      log.warn({ err: e, buffered: writer.buffered() }, 'pipeline: flush failed; pausing and retrying (nothing is committed until stored)');
    } else log.debug({ err: e, backoffMs: backoff }, 'pipeline: flush retry failed');
    healthy = false;
    backoff = Math.min(retryMax, backoff * 2);
    updateFlow();
  }

  function tryFlush(): void {
    flush().catch(onFlushError);
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(
      () => {
        const work = writer.buffered() > 0 || letters.length > 0 || ledger.size > 0;
        void (work ? flush().catch(onFlushError) : Promise.resolve()).finally(schedule);
      },
      healthy ? flushMs : backoff,
    );
    timer.unref();
  }

  return {
    attach(s) {
      source = s;
    },
    handle(batch) {
      const attrs = { [ATTR.topic]: batch.topic, [ATTR.kind]: batch.kind };
      const t0 = now();
      const rows = withSpanSync('epicenter.pipeline.batch', { ...attrs, [ATTR.partition]: batch.partition, [ATTR.messages]: batch.messages.length }, (span) => {
        const r = processor.process(batch);
        span.setAttributes({ [ATTR.points]: r.samples.length, [ATTR.deadLetters]: r.deadLetters.length, [ATTR.breakpoints]: r.breakpoints.length });
        return r;
      });
      const refused = writer.add(rows);
      if (refused.length > 0) {
        counts.refusedRows += refused.length;
        log.error({ refused: refused.length, first: refused[0]?.describe() }, 'pipeline: the writer refused decoded rows (a decoder let through a value the store cannot hold)');
      }
      for (const d of rows.deadLetters) letters.push(d);
      for (const m of batch.messages) stamps.push(m.timestamp);
      const last = batch.messages[batch.messages.length - 1];
      if (last !== undefined) ledger.note(batch.topic, batch.partition, last.offset);
      const ins = pipelineInstruments();
      counts.lastBatchMs = now() - t0;
      ins.batchDuration.record(counts.lastBatchMs, attrs);
      if (rows.samples.length > 0) ins.pointsIn.add(rows.samples.length, attrs);
      if (rows.changes.length > 0) ins.changesIn.add(rows.changes.length, attrs);
      if (rows.breakpoints.length > 0) ins.breakpoints.add(rows.breakpoints.length, attrs);
      for (const d of rows.deadLetters) ins.deadLetters.add(1, { ...attrs, [ATTR.errorCode]: d.code });
      if (healthy && writer.buffered() >= flushRows) tryFlush();
      updateFlow();
    },
    flush,
    retainPartitions(owned) {
      ledger.retain(owned);
    },
    start() {
      stopped = false;
      schedule();
    },
    async stop(timeoutMs = 15_000) {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      // Real time, not the injected clock: this is a shutdown deadline.
      const mono = (): number => performance.now();
      const deadline = mono() + timeoutMs;
      for (;;) {
        const left = deadline - mono();
        if (left <= 0) return false;
        try {
          // A writer that retries inside flush() (the ClickHouse one) may not settle before the deadline.
          if (!(await settlesWithin(flush(), left))) return false;
          if (writer.buffered() === 0 && letters.length === 0 && ledger.size === 0) return true;
        } catch (e) {
          log.warn({ err: e }, 'pipeline: final flush failed');
        }
        await new Promise((r) => setTimeout(r, Math.min(backoff, Math.max(0, deadline - mono()))));
      }
    },
    stats(resetInterval = false) {
      const out: PipelineStats = {
        ...processor.stats(),
        buffered: writer.buffered(),
        paused,
        storeHealthy: healthy,
        ...counts,
        e2e: { count: e2e.count, p50: e2e.quantile(0.5), p99: e2e.quantile(0.99), max: e2e.max },
      };
      if (resetInterval) e2e.reset();
      return out;
    },
  };
}

/** True if `p` resolves within `ms`; false on timeout; rejects if `p` rejects first. */
async function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
