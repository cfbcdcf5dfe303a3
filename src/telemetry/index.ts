import { metrics, trace, SpanStatusCode, type Attributes, type Counter, type Histogram, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR, INSTRUMENTS, METER_NAME, TRACER_NAME } from './names';

export { ATTR, INSTRUMENTS } from './names';

/**
 * epicenter's own telemetry through @opentelemetry/api only. Instruments are created lazily on
 * first use: the metrics API does not proxy instruments created before the SDK registers its
 * provider, and the SDK (./sdk.ts) is started by the entry point before any batch is handled.
 * Without an SDK every call is a cheap no-op.
 */
export interface PipelineInstruments {
  readonly pointsIn: Counter;
  readonly changesIn: Counter;
  readonly breakpoints: Counter;
  readonly deadLetters: Counter;
  readonly batchDuration: Histogram;
  readonly endToEnd: Histogram;
  readonly flushDuration: Histogram;
}

let instruments: PipelineInstruments | undefined;

export function pipelineInstruments(): PipelineInstruments {
  if (instruments !== undefined) return instruments;
  const m = metrics.getMeter(METER_NAME);
  instruments = {
    pointsIn: m.createCounter(INSTRUMENTS.pointsIn, { unit: '{point}', description: 'Samples decoded and accepted' }),
    changesIn: m.createCounter(INSTRUMENTS.changesIn, { unit: '{event}', description: 'Change events decoded and accepted' }),
    breakpoints: m.createCounter(INSTRUMENTS.breakpoints, { unit: '{breakpoint}', description: 'Breakpoints confirmed by the streaming detectors' }),
    deadLetters: m.createCounter(INSTRUMENTS.deadLetters, { unit: '{message}', description: 'Messages dead-lettered' }),
    batchDuration: m.createHistogram(INSTRUMENTS.batchDuration, { unit: 'ms', description: 'Decode and detect time of one batch' }),
    endToEnd: m.createHistogram(INSTRUMENTS.endToEnd, { unit: 'ms', description: 'Produce time to durably stored' }),
    flushDuration: m.createHistogram(INSTRUMENTS.flushDuration, { unit: 'ms', description: 'Store inserts, dead-letter publish and commit of one flush' }),
  };
  return instruments;
}

/** One observable gauge reading: a value and its (low-cardinality) attributes. */
export interface GaugeReading {
  readonly value: number;
  readonly attributes?: Attributes;
}

/**
 * Register an observable gauge whose callback returns the current readings (computed elsewhere,
 * e.g. the lag monitor's last poll: callbacks must not do I/O). Returns an unregister function.
 */
export function observeGauge(name: string, unit: string, description: string, read: () => Iterable<GaugeReading>): () => void {
  const gauge = metrics.getMeter(METER_NAME).createObservableGauge(name, { unit, description });
  const cb = (r: { observe(v: number, a?: Attributes): void }): void => {
    for (const x of read()) r.observe(x.value, x.attributes);
  };
  gauge.addCallback(cb);
  return () => gauge.removeCallback(cb);
}

export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** Run `fn` inside an active span; records the exception and error status when it throws. */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      recordFailure(span, e);
      throw e;
    } finally {
      span.end();
    }
  });
}

/** Synchronous variant of withSpan, for CPU-bound steps (decode + detect of a batch). */
export function withSpanSync<T>(name: string, attributes: Attributes, fn: (span: Span) => T): T {
  return tracer().startActiveSpan(name, { attributes }, (span) => {
    try {
      return fn(span);
    } catch (e) {
      recordFailure(span, e);
      throw e;
    } finally {
      span.end();
    }
  });
}

function recordFailure(span: Span, e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') span.setAttribute(ATTR.errorCode, code);
}
