/**
 * Points are the volume table, so they are sent as TabSeparated lines instead of JSONEachRow:
 * building a line is a string concatenation (JSON.stringify of every row object was most of the
 * insert cost), the body is ~30% smaller, and the five per-series columns are escaped once per
 * series (cached on the SeriesRef object, which the decoders reuse across samples).
 */
import type { Sample, SeriesRef } from '../domain/types';
import { checkMs, finite, labelsJson } from './rows';

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

/** Column order of the points table, for `INSERT INTO points (…) FORMAT TabSeparated`. */
export const POINT_COLUMNS = ['series_id', 'service', 'metric', 'labels', 'unit', 't', 't_ms', 'value'] as const;

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
  const t = checkMs(s.t, `point of ${s.series.id}`);
  finite(s.v, `point of ${s.series.id}`);
  return t === s.t ? s : { series: s.series, t, v: s.v };
}

const prefixBytes = new WeakMap<SeriesRef, Buffer>();

/** seriesPrefix as UTF-8 bytes, cached per series: copying bytes beats encoding the string per row. */
function prefixOf(s: SeriesRef): Buffer {
  let p = prefixBytes.get(s);
  if (p === undefined) prefixBytes.set(s, (p = Buffer.from(seriesPrefix(s))));
  return p;
}

/**
 * The TabSeparated body of many checked points in one Buffer, byte for byte what joining their
 * pointLine()s gives: no line strings, no join, no second copy to encode them (those were most
 * of the insert path's time and garbage).
 */
export function pointsTsv(points: readonly Sample[]): Buffer {
  // Sized from the first row (rows of one batch are alike): growing copies the whole body.
  const first = points[0];
  let buf: Buffer = Buffer.allocUnsafe(Math.max(1024, points.length * ((first === undefined ? 0 : prefixOf(first.series).length) + 48)));
  let at = 0;
  for (const s of points) {
    const prefix = prefixOf(s.series);
    // Numbers and separators fit in 64 bytes.
    if (at + prefix.length + 64 > buf.length) buf = grow(buf, at, prefix.length + 64);
    buf.set(prefix, at);
    at += prefix.length;
    at = digits(buf, at, Math.floor(s.t / 1000));
    buf[at++] = 0x09;
    at = digits(buf, at, s.t);
    buf[at++] = 0x09;
    // Integers below 2^53 print as their digits; anything else as JavaScript prints it (as pointLine does).
    if (Number.isInteger(s.v) && Math.abs(s.v) < 9007199254740992) {
      if (s.v < 0) buf[at++] = 0x2d;
      at = digits(buf, at, Math.abs(s.v));
    } else at += buf.write(String(s.v), at, 'latin1');
    buf[at++] = 0x0a;
  }
  return buf.subarray(0, at);
}

function grow(buf: Buffer, used: number, need: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, used + need));
  bigger.set(buf.subarray(0, used), 0);
  return bigger;
}

/** Decimal digits of a non-negative integer below 2^53 at `at`; returns the next offset. */
function digits(buf: Buffer, at: number, n: number): number {
  if (n < 10) {
    buf[at] = 0x30 + n;
    return at + 1;
  }
  let len = 2;
  for (let p = 100; n >= p; p *= 10) len++;
  let x = n;
  let i = at + len - 1;
  // Above 2^31 the remainder needs doubles; below, int32 arithmetic.
  for (; x > 0x7fffffff; i--) {
    const q = Math.floor(x / 10);
    buf[i] = 0x30 + (x - q * 10);
    x = q;
  }
  for (let y = x | 0; i >= at; i--) {
    const q = (y / 10) | 0;
    buf[i] = 0x30 + (y - q * 10);
    y = q;
  }
  return at + len;
}
