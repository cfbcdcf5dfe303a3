import { idLabels } from './id-labels';
import { newLabels, normalLabels, wellFormed } from './text';
import type { Labels, SeriesRef, SeriesSpan } from './types';

/**
 * Canonical series id: `metric{k1="v1",k2="v2"}` with keys sorted, so the same series decoded
 * from any source, in any attribute order, gets the same id (it is the Kafka key and the ClickHouse key).
 */
export function seriesId(metric: string, labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return metric;
  const parts = keys.map((k) => `${k}=${JSON.stringify(labels[k])}`);
  // One join builds one flat string: `metric{` + … + `}` would keep a tree of three concatenation
  // nodes (about 100 bytes) alive beside the text for as long as the series lives.
  parts[0] = `${metric}{${parts[0] as string}`;
  parts[parts.length - 1] += '}';
  return parts.join(',');
}

/** Labels as a JSON object with sorted keys (stable text, so equal label sets compare equal in SQL). */
export function labelsJson(labels: Labels): string {
  const o = newLabels();
  for (const k of Object.keys(labels).sort()) o[k] = labels[k] ?? '';
  return JSON.stringify(o);
}

/**
 * The five identity columns of a series (id, service, metric, labels JSON, unit or '') packed
 * as one string of one char per byte: each column its UTF-8 byte length as an unsigned LEB128
 * varint, then its UTF-8 bytes. That is how ClickHouse RowBinary lays out String columns, so the
 * writer copies the text per row as is (see clickhouse/rowbinary.ts).
 */
export function packColumns(id: string, service: string, metric: string, labels: Labels | string, unit: string | undefined): string {
  const json = typeof labels === 'string' ? labels : labelsJson(labels);
  const parts = [id, service, metric, json, unit ?? ''].map((x) => Buffer.from(x, 'utf8'));
  let n = 0;
  for (const b of parts) n += uvarintSize(b.length) + b.length;
  const bytes = Buffer.allocUnsafe(n);
  let at = 0;
  for (const b of parts) {
    at = uvarint(bytes, at, b.length);
    bytes.set(b, at);
    at += b.length;
  }
  // A flat copy: a string sliced or concatenated from others keeps them alive.
  return bytes.toString('latin1');
}

export function uvarintSize(n: number): number {
  let size = 1;
  for (let x = n; x >= 0x80; x = Math.floor(x / 128)) size++;
  return size;
}

/** LEB128 unsigned varint at `at`; returns the next offset. */
export function uvarint(buf: Uint8Array, at: number, n: number): number {
  let x = n;
  while (x >= 0x80) {
    buf[at++] = (x & 0x7f) | 0x80;
    x = Math.floor(x / 128);
  }
  buf[at++] = x;
  return at;
}

/**
 * What a series made by makeSeries keeps for its RowBinary columns besides its fields (see
 * Series), under a symbol so no label or field name can clash with it: the labels column's byte
 * length when that column can be written from the id (idLabels), else the five columns packed
 * (packColumns).
 */
const COLUMNS = Symbol('row columns');

type Fields = { -readonly [K in keyof SeriesRef]: SeriesRef[K] } & { [COLUMNS]?: number | string };

/** The text of column `index` (0 = id … 4 = unit) of packed columns (see packColumns). */
function packedColumn(packed: string, index: number): string {
  let at = 0;
  for (let c = 0; ; c++) {
    let n = 0;
    let b: number;
    for (let shift = 1; ; shift *= 128) {
      b = packed.charCodeAt(at++);
      n += (b & 0x7f) * shift;
      if (b < 0x80) break;
    }
    if (c === index) return Buffer.from(packed.slice(at, at + n), 'latin1').toString('utf8');
    at += n;
  }
}

/** Where the labels start in an id of `metric` (one byte a char: see Series): after `metric{`, or at its end without labels. */
export function labelsFrom(id: string, metric: string): number {
  return id.length === metric.length ? id.length : metric.length + 1;
}

/** The labels column written from an id of ASCII text (idLabels), `bytes` long; undefined when it is not that column. */
function labelsOfId(id: string, metric: string, bytes = 2 * id.length + 2): string | undefined {
  const src = Buffer.from(id, 'latin1');
  const dst = Buffer.allocUnsafe(bytes);
  const end = idLabels(src, labelsFrom(id, metric), src.length, dst, 0);
  return end < 0 ? undefined : dst.toString('latin1', 0, end);
}

/** Labels parsed from the labels column, by series: made when first read, kept while the series lives. */
const parsedLabels = new WeakMap<object, Labels>();

/**
 * `labels` of a series made by makeSeries: an enumerable getter (JSON, Object.keys, spreads and
 * deep equality see it as the field it was), whose function V8 keeps in the shared hidden class,
 * so a series costs no labels object until something reads them. On the pipeline's path nothing
 * does (rows are written from the id); breakpoints and analyses do, and then get the labels once,
 * keys sorted.
 */
const LABELS: PropertyDescriptor = {
  enumerable: true,
  get(this: Fields): Labels {
    let l = parsedLabels.get(this);
    if (l === undefined) {
      l = Object.assign(newLabels(), JSON.parse(seriesLabelsJson(this)) as Labels);
      parsedLabels.set(this, l);
    }
    return l;
  },
};

/**
 * A series made by makeSeries. Its identity is one text, the id: the labels column is the id's
 * text respelled (idLabels), so neither a labels object nor the labels JSON is kept; the writer
 * writes the columns from the fields (service, metric and unit are strings shared by the series
 * of a resource or metric). That needs the id in ASCII (one byte a char) and keys that JSON does
 * not escape, checked here once: other series keep their five columns packed (packColumns), as
 * every series did before (~150 more bytes each). What the writer needs besides the fields is a
 * non-enumerable property (COLUMNS) and the prototype is Object's, so JSON, Object.keys,
 * spreads and deep equality see the plain SeriesRef object they always saw; a constructor (not
 * a literal) so that V8 keeps the extra property inside the object.
 */
const Series = function (this: Fields, metric: string, labels: Labels, service: string, unit: string | undefined) {
  const id = seriesId(metric, labels);
  const json = labelsJson(labels);
  // (a string of ASCII only is its own UTF-8 bytes, one a char)
  const derived = Buffer.byteLength(id, 'utf8') === id.length && labelsOfId(id, metric) === json;
  this.id = id;
  this.service = service;
  this.metric = metric;
  Object.defineProperty(this, 'labels', LABELS);
  Object.defineProperty(this, COLUMNS, { value: derived ? json.length : packColumns(id, service, metric, json, unit) });
  // Absent, not undefined, without a unit: as the object literals had it.
  if (unit !== undefined) this.unit = unit;
} as unknown as new (metric: string, labels: Labels, service: string, unit: string | undefined) => SeriesRef;
(Series as unknown as { prototype: object }).prototype = Object.prototype;

/**
 * What a series made by makeSeries keeps for its RowBinary columns (see Series): the labels
 * column's byte length when it is written from the id, else the five columns packed
 * (packColumns); undefined for a series made otherwise.
 */
export function seriesColumns(s: SeriesRef): number | string | undefined {
  return (s as Fields)[COLUMNS];
}

/** The labels column of `s` (labelsJson): from its id or packed text when makeSeries made it, parsing no labels. */
export function seriesLabelsJson(s: SeriesRef): string {
  const c = (s as Fields)[COLUMNS];
  if (c === undefined) return labelsJson(s.labels);
  return typeof c === 'string' ? packedColumn(c, 3) : (labelsOfId(s.id, s.metric, c) as string);
}

/**
 * The one place series identities are made (every decoder calls it): names, unit and labels are
 * normalised here (see ./text.ts), so every column stored and every id derive from the same
 * strings; labels come back prototype-free.
 */
export function makeSeries(metric: string, labels: Labels, service?: string, unit?: string): SeriesRef {
  const l = normalLabels(labels);
  return new Series(wellFormed(metric), l, wellFormed(service ?? l['service.name'] ?? 'unknown'), unit === undefined ? undefined : wellFormed(unit));
}

/** Widen `span` to take in a sample at `t` (epoch ms). */
export function widenSpan(span: SeriesSpan, t: number): void {
  if (t < span.first) span.first = t;
  else if (t > span.last) span.last = t;
}
