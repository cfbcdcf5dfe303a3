/**
 * Points are the volume table, so they are sent as RowBinary: the five per-series columns are
 * encoded once per series (cached on the SeriesRef object, which the decoders reuse across
 * samples) and copied as bytes per row; the three numbers are fixed-width little-endian, so
 * neither side prints or parses digits (TabSeparated's number text was a fifth of the insert
 * path's time here, and parsing it a share of ClickHouse's). RowBinary has been read by every
 * ClickHouse since long before 18.16 with the same layout; a LowCardinality(String) column
 * takes a plain String there. @clickhouse/client's insert() does not take RowBinary, so the
 * body goes through exec() with an explicit `INSERT … FORMAT RowBinary` (./connection.ts).
 */
import type { Sample, SeriesRef } from '../domain/types';
import { labelsJson } from './rows';

/** Column order of the points table in a RowBinary insert (same as the table's). */
export const POINT_COLUMNS = ['series_id', 'service', 'metric', 'labels', 'unit', 't', 't_ms', 'value'] as const;

const prefixes = new WeakMap<SeriesRef, Buffer>();

/** series_id, service, metric, labels, unit as RowBinary Strings (LEB128 length, UTF-8 bytes), cached per series. */
export function seriesPrefix(s: SeriesRef): Buffer {
  let p = prefixes.get(s);
  if (p === undefined) {
    const parts = [s.id, s.service, s.metric, labelsJson(s.labels), s.unit ?? ''].map((x) => Buffer.from(x, 'utf8'));
    let n = 0;
    for (const b of parts) n += uvarintSize(b.length) + b.length;
    p = Buffer.allocUnsafe(n);
    let at = 0;
    for (const b of parts) {
      at = uvarint(p, at, b.length);
      p.set(b, at);
      at += b.length;
    }
    prefixes.set(s, p);
  }
  return p;
}

/** Bytes of the fixed-width tail of a row: t DateTime (UInt32), t_ms UInt64, value Float64. */
const TAIL = 4 + 8 + 8;

/**
 * The RowBinary body of points already checked by checkedPoint (./tsv.ts: finite value, whole
 * milliseconds in 1970…2106), in one Buffer.
 */
export function pointsRowBinary(points: readonly Sample[]): Buffer {
  // Sized from the first row (rows of one batch are alike); growing copies the body.
  const first = points[0];
  let buf = Buffer.allocUnsafe(Math.max(1024, Math.ceil(points.length * ((first === undefined ? 0 : seriesPrefix(first.series).length) + TAIL) * 1.25)));
  let at = 0;
  for (const s of points) {
    const prefix = seriesPrefix(s.series);
    if (at + prefix.length + TAIL > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, at + prefix.length + TAIL));
      bigger.set(buf.subarray(0, at), 0);
      buf = bigger;
    }
    buf.set(prefix, at);
    at += prefix.length;
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

function uvarintSize(n: number): number {
  let size = 1;
  for (let x = n; x >= 0x80; x = Math.floor(x / 128)) size++;
  return size;
}

/** LEB128 unsigned varint (RowBinary string lengths) at `at`; returns the next offset. */
function uvarint(buf: Buffer, at: number, n: number): number {
  let x = n;
  while (x >= 0x80) {
    buf[at++] = (x & 0x7f) | 0x80;
    x = Math.floor(x / 128);
  }
  buf[at++] = x;
  return at;
}
