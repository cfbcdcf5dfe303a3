/**
 * Rows of `series_seen` (schema migration 4): what the `series` view knows of a series, sent
 * by the writer when a consumer first sees a series and then at most once per
 * clickhouse.seriesEveryMs, instead of a view over every points insert. A row carries the first
 * and last sample time of the series in the batch that sent it; `series` takes min/max over all
 * rows, so replays and several consumers only ever widen it to what was really seen.
 */
import { seriesLabelsJson, widenSpan } from '../domain/series';
import type { Sample, SeriesSpan } from '../domain/types';
import { checkMs, sec } from './rows';

/** The JSONEachRow row for series_seen. Throws BAD_INPUT on a time outside 1970…2106. */
export function seriesSeenRow(s: SeriesSpan): Record<string, string | number> {
  const what = `series row of ${s.series.id}`;
  const first = checkMs(s.first, what);
  const last = checkMs(s.last, what);
  return {
    service: s.series.service,
    series_id: s.series.id,
    metric: s.series.metric,
    labels: seriesLabelsJson(s.series),
    unit: s.series.unit ?? '',
    first_seen: sec(first),
    last_seen: sec(last),
    first_seen_ms: first,
    last_seen_ms: last,
  };
}

/** One span per series of `samples` (by id), for inserts that are not the pipeline's (Store.insertPoints). */
export function seriesSpans(samples: readonly Sample[]): SeriesSpan[] {
  const by = new Map<string, SeriesSpan>();
  for (const x of samples) {
    const sp = by.get(x.series.id);
    if (sp === undefined) by.set(x.series.id, { series: x.series, first: x.t, last: x.t });
    else widenSpan(sp, x.t);
  }
  return [...by.values()];
}
