/**
 * The checks every point passes before it is buffered for the points table (checkedPoint), and
 * its TabSeparated text (pointLine: a readable form of a row, used by tests and tools; the
 * writer sends RowBinary, ./rowbinary.ts).
 */
import type { Sample, SeriesRef } from '../domain/types';
import { checkMs, finite, labelsJson, MAX_MS } from './rows';

/**
 * Escape a TabSeparated field: backslash, tab, newline, carriage return and NUL become
 * `\\ \t \n \r \0` (the escapes ClickHouse's TSV reader decodes on 18.16 and 24.8+).
 */
export function tsvEscape(s: string): string {
  // Fast path: most fields need nothing.
  if (!/[\\\t\n\r\0]/.test(s)) return s;
  return s.replace(/[\\\t\n\r\0]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\0'));
}

const prefixes = new WeakMap<SeriesRef, string>();

/** series_id, service, metric, labels, unit — escaped and tab-joined, with a trailing tab. */
function seriesPrefix(s: SeriesRef): string {
  let p = prefixes.get(s);
  if (p === undefined) {
    p = [s.id, s.service, s.metric, labelsJson(s.labels), s.unit ?? ''].map(tsvEscape).join('\t') + '\t';
    prefixes.set(s, p);
  }
  return p;
}

/** One points row as a TabSeparated line (with its newline). Throws BAD_INPUT on a non-finite value or a time outside 1970…2106. */
export function pointLine(s: Sample): string {
  const t = checkMs(s.t, `point of ${s.series.id}`);
  const v = finite(s.v, `point of ${s.series.id}`);
  return `${seriesPrefix(s.series)}${Math.floor(t / 1000)}\t${t}\t${v}\n`;
}

/**
 * A point checked for the points table (finite value, time in 1970…2106, whole milliseconds):
 * the same checks and errors as pointLine, without building the line. Returns `s` itself when
 * nothing needs rounding, so buffering a point costs no new object.
 */
export function checkedPoint(s: Sample): Sample {
  // The common case first, without building the error's text (this runs once per point).
  if (Number.isInteger(s.t) && s.t >= 0 && s.t <= MAX_MS && Number.isFinite(s.v)) return s;
  const t = checkMs(s.t, `point of ${s.series.id}`);
  finite(s.v, `point of ${s.series.id}`);
  return t === s.t ? s : { series: s.series, t, v: s.v };
}
