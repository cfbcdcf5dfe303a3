/**
 * The batching writer the pipeline uses: typed `write*` methods convert domain values to rows
 * (synchronously, so invalid values are returned to the caller for dead-lettering) and buffer
 * them in a Batcher that inserts into ClickHouse by size and time.
 *
 * The pipeline's contract: call `write*`, pause consumption while `isSaturated()`, and commit
 * Kafka offsets only after `await flush()` — flush resolves when everything written before it
 * is stored. A flush that waits on an outage keeps retrying; nothing is dropped.
 */
import type { Config } from '../config/schema';
import type { Breakpoint, ChangeEvent, Sample } from '../domain/types';
import { EpicenterError } from '../errors';
import type { StoredAnalysis } from '../ports';
import { Batcher, type BatcherOptions, type BatcherStats } from './batcher';
import { deadLetterRow, pipelineStatsRow } from './ops-rows';
import { analysisRows, breakpointRow, changeRow } from './rows';
import type { SeriesSpan } from '../domain/types';
import { seriesSeenRow } from './series-rows';
import { checkedPoint } from './tsv';
import type { ClickHouseStore, WritableTable } from './store';
import type { DeadLetterInput, PipelineStatsInput } from './types';

export interface ClickHouseWriter {
  /** Buffer samples; returns the ones refused before buffering (non-finite value, time out of range). */
  writePoints(samples: readonly Sample[]): EpicenterError[];
  /**
   * Buffer `series` rows (the processor's spans): stored before the offsets of their batch are
   * committed, like every other row. A span with a time out of range is skipped, not refused:
   * its points were refused already.
   */
  writeSeries(spans: readonly SeriesSpan[]): void;
  writeBreakpoints(bps: readonly Breakpoint[]): EpicenterError[];
  writeChanges(changes: readonly ChangeEvent[]): EpicenterError[];
  writeAnalysis(a: StoredAnalysis): EpicenterError[];
  writeDeadLetters(rows: readonly DeadLetterInput[]): EpicenterError[];
  writePipelineStats(row: PipelineStatsInput): EpicenterError[];
  /** Rows waiting (including a batch in flight). */
  buffered(): number;
  /** buffered() ≥ clickhouse.maxBufferedRows: pause consumption. */
  isSaturated(): boolean;
  /** Resolves when everything written before the call is stored (retrying through outages). */
  flush(): Promise<void>;
  stats(): BatcherStats;
  /** Stop the timer, flush (up to closeTimeoutMs), then close the store unless `closeStore: false`. */
  close(): Promise<void>;
}

export interface WriterOptions extends Partial<Omit<BatcherOptions<WritableTable>, 'timer'>> {
  /** Close the store in close(). @default true */
  readonly closeStore?: boolean;
}

/** A writer over `store`, sized by clickhouse.batchRows / batchMs / maxBufferedRows unless overridden. */
export function createClickHouseWriter(store: ClickHouseStore, cfg: Config['clickhouse'], opts: WriterOptions = {}): ClickHouseWriter {
  const batcher = new Batcher<WritableTable>((table, rows) => store.insertRows(table, rows), {
    ...opts,
    batchRows: opts.batchRows ?? cfg.batchRows,
    batchMs: opts.batchMs ?? cfg.batchMs,
    maxBufferedRows: opts.maxBufferedRows ?? cfg.maxBufferedRows,
    concurrency: opts.concurrency ?? cfg.insertConcurrency,
  });

  /** Convert each value; keep the rows that convert, return the errors of those that don't. */
  function put<V>(table: WritableTable, values: readonly V[], toRow: (v: V) => unknown): EpicenterError[] {
    // Points mostly convert to themselves: the values are buffered as they are, copied only from
    // the first one that differs or fails.
    let rows: unknown[] | undefined;
    const errors: EpicenterError[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as V;
      let row: unknown;
      try {
        row = toRow(v);
      } catch (e) {
        rows ??= values.slice(0, i);
        errors.push(e instanceof EpicenterError ? e : new EpicenterError('BAD_INPUT', String(e), { cause: e }));
        continue;
      }
      if (rows === undefined && row !== v) rows = values.slice(0, i);
      rows?.push(row);
    }
    batcher.add(table, rows ?? values);
    return errors;
  }

  return {
    writePoints: (s) => put('points', s, checkedPoint),
    writeSeries(spans) {
      put('series_seen', spans, seriesSeenRow);
    },
    writeBreakpoints: (b) => put('breakpoints', b, breakpointRow),
    writeChanges: (c) => put('changes', c, changeRow),
    writeAnalysis(a) {
      let r: ReturnType<typeof analysisRows>;
      try {
        r = analysisRows(a);
      } catch (e) {
        return [e instanceof EpicenterError ? e : new EpicenterError('BAD_INPUT', String(e))];
      }
      batcher.add('analysis_suspects', r.suspects);
      batcher.add('analyses', [r.analysis]);
      return [];
    },
    writeDeadLetters: (d) => put('dead_letters', d, deadLetterRow),
    writePipelineStats: (s) => put('pipeline_stats', [s], pipelineStatsRow),
    buffered: () => batcher.buffered(),
    isSaturated: () => batcher.isSaturated(),
    flush: () => batcher.flush(),
    stats: () => batcher.stats(),
    async close() {
      try {
        await batcher.close();
      } finally {
        if (opts.closeStore !== false) await store.close();
      }
    },
  };
}
