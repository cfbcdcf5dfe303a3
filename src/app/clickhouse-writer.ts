import type { ClickHouseWriter, DeadLetterInput } from '../clickhouse';
import type { EpicenterError } from '../errors';
import type { DeadLetter, Rows } from '../pipeline/types';
import type { RowWriter } from '../pipeline/writer';

/**
 * The ClickHouse batching writer behind the pipeline's RowWriter port. Its flush() retries
 * through outages instead of failing, so "the store is failing" is read from its retry counter:
 * retries that grew since the last completed flush mean inserts are failing right now.
 */
export function clickHouseRowWriter(w: ClickHouseWriter): RowWriter {
  let retriesSeen = w.stats().retries;
  let flushing = 0;
  return {
    add(rows: Rows): EpicenterError[] {
      // concat, not push(...x): a batch can refuse more rows than a call takes arguments.
      let refused: EpicenterError[] = [];
      if (rows.samples.length > 0) refused = refused.concat(w.writePoints(rows.samples));
      if (rows.series !== undefined && rows.series.length > 0) w.writeSeries(rows.series);
      if (rows.breakpoints.length > 0) refused = refused.concat(w.writeBreakpoints(rows.breakpoints));
      if (rows.changes.length > 0) refused = refused.concat(w.writeChanges(rows.changes));
      if (rows.deadLetters.length > 0) refused = refused.concat(w.writeDeadLetters(rows.deadLetters.map(deadLetterInput)));
      return refused;
    },
    buffered: () => w.buffered(),
    isSaturated: () => w.isSaturated(),
    failing: () => flushing > 0 && w.stats().retries > retriesSeen,
    async flush() {
      flushing++;
      try {
        await w.flush();
        retriesSeen = w.stats().retries;
      } finally {
        flushing--;
      }
    },
    close: () => w.close(),
  };
}

/** One dead_letters row per refused message, timed by the message (a replay replaces, not duplicates). */
export function deadLetterInput(d: DeadLetter): DeadLetterInput {
  return { t: d.time, topic: d.topic, partition: d.partition, offset: d.offset, seq: 0, reason: d.reason, code: d.code, payload: d.value, key: d.key };
}
