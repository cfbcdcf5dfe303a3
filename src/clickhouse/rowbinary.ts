/**
 * Points are the volume table, so they are sent as RowBinary: the five per-series columns are
 * encoded once per series (kept by the SeriesRef object, which the decoders reuse across
 * samples) and copied as bytes per row; the three numbers are fixed-width little-endian, so
 * neither side prints or parses digits (TabSeparated's number text was a fifth of the insert
 * path's time here, and parsing it a share of ClickHouse's). RowBinary has been read by every
 * ClickHouse since long before 18.16 with the same layout; a LowCardinality(String) column
 * takes a plain String there. @clickhouse/client's insert() does not take RowBinary, so the
 * body goes through exec() with an explicit `INSERT … FORMAT RowBinary` (./connection.ts).
 */
import { packColumns, packedColumns } from '../domain/series';
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
 * latin1 text: the decoders' series carry it (domain/series.ts packColumns), others are cached.
 */
export function seriesPrefix(s: SeriesRef): string {
  const packed = packedColumns(s);
  if (packed !== undefined) return packed;
  let p = prefixes.get(s);
  if (p === undefined) {
    p = packColumns(s.id, s.service, s.metric, s.labels, s.unit);
    prefixes.set(s, p);
  }
  return p;
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
  let buf: Buffer = pool.take(Math.ceil(points.length * (seriesPrefix(first.series).length + TAIL) * 1.1));
  let at = 0;
  let series: SeriesRef | undefined;
  let prefix = '';
  for (const s of points) {
    // Points of a series come in runs (a data point list): one cache lookup per run.
    if (s.series !== series) {
      series = s.series;
      prefix = seriesPrefix(series);
    }
    if (at + prefix.length + TAIL > buf.length) {
      const bigger = pool.take(Math.max(buf.length * 2, at + prefix.length + TAIL));
      buf.copy(bigger, 0, 0, at);
      pool.give(buf);
      buf = bigger;
    }
    at += buf.write(prefix, at, 'latin1');
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
