import { widenSpan } from '../domain/series';
import type { Breakpoint, ChangeEvent, Sample, SeriesRef, Topology } from '../domain/types';
import { detectorPool, exhaustionTime, type DetectedBreak, type DetectorOptions } from '../detect';
import { EpicenterError, type Decoded } from '../errors';
import { cloudEventFromKafkaHeaders, createRateState, decodeCloudEvents, decodeCollectd, decodeMetricsFile, decodeOtlpMessage, type OtlpEncodingSetting, type Origin, type RateState } from '../formats';
import { buildGraph, type TopologyGraph } from '../topology';
import { SeriesTable, type SeriesEntry } from './series-table';
import type { BusBatch, BusMessage, DeadLetter, MessageKind, Rows, SeriesSpan } from './types';

/**
 * Decode → validate → detect for a batch of messages: synchronous, no I/O. Keeps the per-series
 * state (counter rates, detectors) of one consumer. Every message ends in exactly one of:
 * all records accepted; some records rejected (accepted ones kept, the message dead-lettered once
 * with the first reason and the count); nothing usable (dead-lettered).
 */
export interface ProcessorOptions {
  /** Largest message decoded, bytes; larger ones are dead-lettered. @default 1048576 */
  maxMessageBytes: number;
  /** Samples older than this (relative to the clock) are rejected: the store would drop them. ms. @default 14 days */
  maxAgeMs: number;
  /** Live-series cap of the detector state. @default 500000 */
  maxSeries: number;
  /** Forget series unseen for this long, wall-clock ms. @default 3 h */
  seriesIdleMs: number;
  /** Wall-clock ms between two `series` rows of one series (clickhouse.seriesEveryMs). @default 300000 */
  seriesEveryMs: number;
  /** Run the streaming detectors (off: decode and store only). @default true */
  detect: boolean;
  detector: Partial<DetectorOptions>;
  topology: Topology;
  /** Wall clock, epoch ms. */
  now: () => number;
  /** Encoding of OTLP metric messages without a content-type header (see formats/otlp/proto-encoding). @default 'auto' */
  metricsEncoding: OtlpEncodingSetting;
}

export interface ProcessorStats {
  readonly messages: number;
  readonly points: number;
  readonly changes: number;
  readonly breakpoints: number;
  readonly deadLetters: number;
  readonly rejectedRecords: number;
  readonly liveSeries: number;
  readonly evictedSeries: number;
}

export interface Processor {
  process(batch: BusBatch): Rows;
  stats(): ProcessorStats;
}

export function createProcessor(opts: Partial<ProcessorOptions> = {}): Processor {
  const maxBytes = opts.maxMessageBytes ?? 1_048_576;
  const maxAge = opts.maxAgeMs ?? 14 * 86_400_000;
  const now = opts.now ?? Date.now;
  const detect = opts.detect ?? true;
  const detectorOpts = opts.detector ?? {};
  const metricsEncoding = opts.metricsEncoding ?? 'auto';
  const graph: TopologyGraph = buildGraph(opts.topology ?? { services: [] });
  const rates: RateState = createRateState(opts.maxSeries ?? 500_000);
  const detectors = detectorPool(detectorOpts);
  const table = new SeriesTable(detectors, { maxSeries: opts.maxSeries, idleMs: opts.seriesIdleMs, rowEveryMs: opts.seriesEveryMs });
  const s = { messages: 0, points: 0, changes: 0, breakpoints: 0, deadLetters: 0, rejectedRecords: 0 };

  function decode(kind: MessageKind, value: Buffer, origin: Origin, headers: BusMessage['headers']): Decoded<Sample> | Decoded<ChangeEvent> {
    if (kind === 'otlp') return decodeOtlpMessage(value, origin, rates, headers, metricsEncoding);
    const text = value.toString('utf8');
    switch (kind) {
      case 'collectd':
        return decodeCollectd(text, origin, rates);
      case 'metrics-file':
        return decodeMetricsFile(text, origin, rates);
      case 'changes':
        return isBinaryCloudEvent(headers) ? decodeBinaryCloudEvent(headers, text, origin) : decodeCloudEvents(text, origin);
    }
  }

  function deadLetter(batch: BusBatch, m: BusMessage, errors: readonly EpicenterError[], accepted: number, at: number): DeadLetter {
    const first = errors[0] ?? new EpicenterError('BAD_INPUT', 'rejected');
    const more = errors.length > 1 ? ` (+${errors.length - 1} more rejected records)` : '';
    return {
      topic: batch.topic,
      partition: batch.partition,
      offset: m.offset,
      key: m.key,
      value: m.value ?? Buffer.alloc(0),
      reason: `${first.describe()}${more}`,
      code: first.code,
      rejected: errors.length,
      accepted,
      origin: first.origin,
      at,
      time: m.timestamp,
    };
  }

  return {
    process(batch) {
      const t0 = now();
      const series: SeriesSpan[] = [];
      const rows: Rows = { samples: [], breakpoints: [], changes: [], deadLetters: [], series };
      const oldest = t0 - maxAge;
      const rowTick = table.rowTick(t0);
      // Spans of the series whose row this batch writes (rowAt === rowTick), widened by their later samples.
      let spans: Map<SeriesEntry, SeriesSpan> | undefined;
      for (const m of batch.messages) {
        s.messages++;
        // Text from a file (embedded mode) is named by file:line; Kafka records by topic[partition]@offset.
        const fromFile = m.origin?.file !== undefined;
        const origin: Origin = fromFile ? { ...m.origin, now: t0 } : { topic: batch.topic, partition: batch.partition, offset: m.offset, now: t0 };
        const at = fromFile ? { file: m.origin?.file } : { topic: batch.topic, partition: batch.partition, offset: m.offset };
        if (m.value === null || m.value.length === 0) {
          rows.deadLetters.push(deadLetter(batch, m, [new EpicenterError('BAD_INPUT', 'empty message (no value)', { origin: at })], 0, t0));
          continue;
        }
        if (m.value.length > maxBytes) {
          const e = new EpicenterError('BAD_INPUT', `message of ${m.value.length} bytes exceeds kafka.maxMessageBytes (${maxBytes})`, { origin: at });
          rows.deadLetters.push(deadLetter(batch, m, [e], 0, t0));
          continue;
        }
        const decoded = decode(batch.kind, m.value, origin, m.headers);
        const errors = [...decoded.errors];
        let accepted = 0;
        if (batch.kind === 'changes') {
          for (const c of decoded.values as ChangeEvent[]) rows.changes.push(c);
          accepted = decoded.values.length;
        } else {
          for (const x of decoded.values as Sample[]) {
            if (x.t < oldest) {
              errors.push(new EpicenterError('BAD_INPUT', `timestamp ${new Date(x.t).toISOString()} of ${x.series.id} is older than the retention (${Math.round(maxAge / 86_400_000)} days)`, { origin: at }));
              continue;
            }
            const e = table.touch(x.series, t0);
            const ref = table.ref(e);
            rows.samples.push(ref === x.series ? x : { series: ref, t: x.t, v: x.v });
            accepted++;
            if (table.rowAt(e) === rowTick) {
              const sp = spans?.get(e);
              if (sp !== undefined) widenSpan(sp, x.t);
            } else if (table.rowDue(e, rowTick)) {
              const sp: SeriesSpan = { series: ref, first: x.t, last: x.t };
              (spans ??= new Map()).set(e, sp);
              series.push(sp);
            }
            // Arrival order is time order per series (a partition keeps a producer's order);
            // a late or repeated point is stored, and the detector ignores it (its contract:
            // a time not after its last one is ignored), so the table keeps no time per series.
            if (detect) {
              const found = detectors.update(table.detector(e), x.t, x.v);
              if (found.length > 0) attach(ref, found, rows.breakpoints);
            }
          }
        }
        if (accepted === 0 && errors.length === 0 && (decoded.held ?? 0) === 0) errors.push(new EpicenterError('BAD_INPUT', 'message holds no records', { origin: at }));
        if (errors.length > 0) {
          rows.deadLetters.push(deadLetter(batch, m, errors, accepted, t0));
          s.rejectedRecords += errors.length;
        }
      }
      table.sweep(t0);
      s.points += rows.samples.length;
      s.changes += rows.changes.length;
      s.breakpoints += rows.breakpoints.length;
      s.deadLetters += rows.deadLetters.length;
      return rows;
    },
    stats: () => ({ ...s, liveSeries: table.size, evictedSeries: table.evicted }),
  };

  /** Attach the series and, when the topology gives a limit for it, the limit and projected exhaustion. */
  function attach(ref: SeriesRef, found: readonly DetectedBreak[], out: Breakpoint[]): void {
    const limit = graph.limit(ref.service, ref.metric);
    for (const d of found) {
      if (limit === undefined) {
        out.push({ ...d, series: ref });
        continue;
      }
      const ex = exhaustionTime(d.detectedAt, d.after.level, d.after.slope, limit);
      out.push(ex === undefined ? { ...d, series: ref, limit } : { ...d, series: ref, exhaustionAt: ex, limit });
    }
  }
}

function isBinaryCloudEvent(headers: BusMessage['headers']): headers is Readonly<Record<string, string>> {
  if (headers === undefined) return false;
  for (const k of Object.keys(headers)) if (/^ce[_-]specversion$/i.test(k)) return true;
  return false;
}

/** Binary content mode (CloudEvents Kafka binding): attributes in `ce_*` headers, the value is `data`. */
function decodeBinaryCloudEvent(headers: Readonly<Record<string, string>>, text: string, origin: Origin): Decoded<ChangeEvent> {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the body stays a string
  }
  try {
    return { values: [cloudEventFromKafkaHeaders({ ...headers }, body, origin)], errors: [] };
  } catch (e) {
    if (e instanceof EpicenterError) return { values: [], errors: [e] };
    throw e;
  }
}

