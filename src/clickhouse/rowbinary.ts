/**
 * Points are the volume table, so they are sent as RowBinary: the five per-series columns are
 * written from the series' fields once per run of its points (the labels column respelled from
 * the id tail's bytes, see domain/id-labels.ts) and copied as bytes for the run's other rows; the
 * three numbers are fixed-width little-endian, so neither side prints or parses digits
 * (TabSeparated's number text was a fifth of the insert path's time here, and parsing it a share
 * of ClickHouse's). RowBinary has been read by every ClickHouse since long before 18.16 with the
 * same layout; a LowCardinality(String) column takes a plain String there. @clickhouse/client's insert() does not take RowBinary, so the
 * body goes through exec() with an explicit `INSERT … FORMAT RowBinary` (./connection.ts).
 */
import { idLabels } from '../domain/id-labels';
import { packColumns, seriesColumns, seriesTail, uvarint, uvarintSize } from '../domain/series';
import type { Sample, SeriesRef } from '../domain/types';

/** Column order of the points table in a RowBinary insert (same as the table's). */
export const POINT_COLUMNS = ['series_id', 'service', 'metric', 'labels', 'unit', 't', 't_ms', 'value'] as const;

/**
 * Prefixes of series not made by makeSeries (read back from the store, written by hand), kept
 * as one-byte strings: a string costs its length and a small header, a Buffer per series
 * several times more (its object and a slice of a shared pool).
 */
const prefixes = new WeakMap<SeriesRef, string>();

/**
 * series_id, service, metric, labels, unit as RowBinary Strings (LEB128 length, UTF-8 bytes) as
 * latin1 text, for series whose columns are not written from their fields (see writeColumns):
 * those makeSeries packed, and, cached, those it did not make.
 */
export function seriesPrefix(s: SeriesRef): string {
  const c = seriesColumns(s);
  if (c !== undefined) return c;
  let p = prefixes.get(s);
  if (p === undefined) {
    p = packColumns(s.id, s.service, s.metric, s.labels, s.unit);
    prefixes.set(s, p);
  }
  return p;
}

/** Most bytes writeColumns writes for `s` whose id tail is `tail`. */
function columnsBound(s: SeriesRef, tail: string): number {
  // The id and the labels column (at most two bytes a char of the tail, and `{}`) are ASCII; a
  // UTF-16 unit of the others is at most 3 UTF-8 bytes; five lengths of at most 3 bytes (< 2 MB each).
  return 2 * s.metric.length + 3 * tail.length + 2 + 3 * (s.service.length + s.metric.length + (s.unit?.length ?? 0)) + 15;
}

/**
 * The five identity columns of a series made by makeSeries that keeps its id tail (see
 * domain/series.ts) at `at`; returns the end. Metric and tail are ASCII: copied as is, and the
 * tail read back from the buffer for the labels. `buf` holds columnsBound bytes.
 */
function writeColumns(buf: Buffer, at: number, s: SeriesRef, tail: string): number {
  const metric = s.metric;
  let o = uvarint(buf, at, metric.length + tail.length);
  o += buf.write(metric, o, 'latin1');
  const tailAt = o;
  o += buf.write(tail, o, 'latin1');
  o = writeText(buf, o, s.service);
  o = writeText(buf, o, metric);
  // The labels column's length is known once it is written: one byte is left for it (labels under
  // 128 bytes), and longer ones move up to make room for their length.
  const from = o + 1;
  const end = idLabels(buf, tailAt + (tail.length === 0 ? 0 : 1), tailAt + tail.length, buf, from);
  const n = end - from;
  const lengthBytes = uvarintSize(n);
  if (lengthBytes > 1) buf.copyWithin(o + lengthBytes, from, end);
  o = uvarint(buf, o, n) + n;
  return writeText(buf, o, s.unit ?? '');
}

/** A RowBinary String (LEB128 byte length, UTF-8 bytes) at `at`; returns the end. */
function writeText(buf: Buffer, at: number, s: string): number {
  const n = s.length;
  // Up to 42 UTF-16 units take at most 126 bytes: the length is one byte. Service, metric and
  // unit are short and ASCII as a rule: a loop here costs a fifth of a call to buf.write.
  if (n <= 42) {
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        const bytes = buf.write(s, at + 1, 'utf8');
        buf[at] = bytes;
        return at + 1 + bytes;
      }
      buf[at + 1 + i] = c;
    }
    buf[at] = n;
    return at + 1 + n;
  }
  const o = uvarint(buf, at, Buffer.byteLength(s, 'utf8'));
  return o + buf.write(s, o, 'utf8');
}

/** Bytes of the fixed-width tail of a row: t DateTime (UInt32), t_ms UInt64, value Float64. */
const TAIL = 4 + 8 + 8;

/**
 * Reusable body buffers. A fresh Buffer per INSERT (tens of MB at 200,000 rows) cost more than
 * encoding into it: page faults on new memory, and V8 counts the external bytes toward its GC
 * triggers (bench: 1.1 µs vs 0.25 µs per point). Bodies are taken for one INSERT and given back
 * once it settled; at most `keep` idle ones are held.
 */
export class BodyPool {
  private readonly idle: Buffer[] = [];
  /** Largest body taken so far: new ones are made this big, so any idle one fits the next INSERT. */
  private largest = 0;
  constructor(private readonly keep = 4) {}

  /** A buffer of at least `bytes` (contents undefined). */
  take(bytes: number): Buffer {
    for (let i = 0; i < this.idle.length; i++) {
      const b = this.idle[i] as Buffer;
      if (b.length >= bytes) {
        this.idle.splice(i, 1);
        return b;
      }
    }
    this.largest = Math.max(this.largest, bytes);
    return Buffer.allocUnsafeSlow(this.largest);
  }

  /** Return a body taken from this pool (or any view of it) once nothing reads it any more. */
  give(body: Buffer): void {
    if (body.length === 0 || this.keep === 0) return;
    const whole = Buffer.from(body.buffer, 0, body.buffer.byteLength);
    if (whole.length < this.largest) return; // outgrown: a smaller body would not fit the next INSERT
    if (this.idle.length < this.keep) this.idle.push(whole);
  }
}

/**
 * The RowBinary body of points already checked by checkedPoint (./tsv.ts: finite value, whole
 * milliseconds in 1970…2106), in one buffer taken from `pool` (give it back after the INSERT).
 */
export function pointsRowBinary(points: readonly Sample[], pool: BodyPool = new BodyPool(0)): Buffer {
  const first = points[0];
  if (first === undefined) return Buffer.alloc(0);
  // Sized from the first row (rows of one batch are alike); outgrowing it takes a bigger one.
  let buf: Buffer = pool.take(Math.ceil(points.length * (rowBound(first.series) + TAIL) * 1.1));
  let at = 0;
  let series: SeriesRef | undefined;
  // Where the current series' columns were last written, and their length.
  let from = 0;
  let size = 0;
  for (const s of points) {
    if (s.series === series) {
      // Points of a series come in runs (a data point list): the columns of the run's first row are copied.
      if (at + size + TAIL > buf.length) buf = grown(buf, at, size + TAIL, pool);
      buf.copyWithin(at, from, from + size);
      from = at;
      at += size;
    } else {
      series = s.series;
      const tail = seriesTail(series);
      from = at;
      if (tail !== undefined) {
        if (at + columnsBound(series, tail) + TAIL > buf.length) buf = grown(buf, at, columnsBound(series, tail) + TAIL, pool);
        at = writeColumns(buf, at, series, tail);
      } else {
        const prefix = seriesPrefix(series);
        if (at + prefix.length + TAIL > buf.length) buf = grown(buf, at, prefix.length + TAIL, pool);
        at += buf.write(prefix, at, 'latin1');
      }
      size = at - from;
    }
    const t = s.t;
    at = buf.writeUInt32LE(Math.floor(t / 1000), at);
    // t < 2^53: two exact 32-bit halves.
    const hi = Math.floor(t / 4294967296);
    at = buf.writeUInt32LE(t - hi * 4294967296, at);
    at = buf.writeUInt32LE(hi, at);
    at = buf.writeDoubleLE(s.v, at);
  }
  return buf.subarray(0, at);
}

/** Bytes of a row's columns, at most (the body's first estimate). */
function rowBound(s: SeriesRef): number {
  const tail = seriesTail(s);
  return tail !== undefined ? columnsBound(s, tail) : seriesPrefix(s).length;
}

/** A body from `pool` with room for `more` bytes after the `at` written of `buf` (copied in; `buf` goes back). */
function grown(buf: Buffer, at: number, more: number, pool: BodyPool): Buffer {
  const bigger = pool.take(Math.max(buf.length * 2, at + more));
  buf.copy(bigger, 0, 0, at);
  pool.give(buf);
  return bigger;
}
