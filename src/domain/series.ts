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
 * The five identity columns of `s` (id, service, metric, labels JSON, unit or '') packed as one
 * string of one char per byte: each column its UTF-8 byte length as an unsigned LEB128 varint,
 * then its UTF-8 bytes. That is how ClickHouse RowBinary lays out String columns, so the writer
 * copies the text per row as is (see clickhouse/rowbinary.ts).
 */
export function packColumns(id: string, service: string, metric: string, labels: Labels, unit: string | undefined): string {
  const parts = [id, service, metric, labelsJson(labels), unit ?? ''].map((x) => Buffer.from(x, 'utf8'));
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
function uvarint(buf: Buffer, at: number, n: number): number {
  let x = n;
  while (x >= 0x80) {
    buf[at++] = (x & 0x7f) | 0x80;
    x = Math.floor(x / 128);
  }
  buf[at++] = x;
  return at;
}

/** Key of a series' packed columns: a symbol, so no label or field name can clash with it. */
const PACKED = Symbol('packed columns');

type Fields = { -readonly [K in keyof SeriesRef]: SeriesRef[K] } & { [PACKED]?: string };

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

/** Labels parsed from the packed text, by series: made when first read, kept while the series lives. */
const parsedLabels = new WeakMap<object, Labels>();

/**
 * `labels` of a packed series: an enumerable getter (JSON, Object.keys, spreads and deep equality
 * see it as the field it was), whose function V8 keeps in the shared hidden class, so a series
 * costs no labels object until something reads them. On the pipeline's path nothing does (rows
 * take the packed text); breakpoints and analyses do, and then get the labels once, keys sorted.
 */
const LABELS: PropertyDescriptor = {
  enumerable: true,
  get(this: Fields): Labels {
    let l = parsedLabels.get(this);
    if (l === undefined) {
      l = Object.assign(newLabels(), JSON.parse(packedColumn(this[PACKED] as string, 3)) as Labels);
      parsedLabels.set(this, l);
    }
    return l;
  },
};

/**
 * A series made by makeSeries: the SeriesRef fields kept as one packed text (packColumns), made
 * once here rather than cached beside it by the writer. A live series held its identity four
 * times (id string, labels object, and the writer's packed copy of both): an ASCII id is now a
 * slice of the packed text, which V8 keeps as a 32-byte reference into it instead of a copy, and
 * the labels are read from its labels JSON (LABELS). The packed text is a non-enumerable
 * property and the prototype is Object's, so JSON, Object.keys, spreads and deep equality see
 * the plain SeriesRef object they always saw; a constructor (not a literal) so that V8 keeps the
 * extra property inside the object.
 */
const Series = function (this: Fields, metric: string, labels: Labels, service: string, unit: string | undefined) {
  const id = seriesId(metric, labels);
  const packed = packColumns(id, service, metric, labels, unit);
  // An id of ASCII only is its own UTF-8 bytes: the packed text holds it after its length.
  const from = uvarintSize(id.length);
  this.id = Buffer.byteLength(id, 'utf8') === id.length ? packed.slice(from, from + id.length) : id;
  this.service = service;
  this.metric = metric;
  Object.defineProperty(this, 'labels', LABELS);
  Object.defineProperty(this, PACKED, { value: packed });
  // Absent, not undefined, without a unit: as the object literals had it.
  if (unit !== undefined) this.unit = unit;
} as unknown as new (metric: string, labels: Labels, service: string, unit: string | undefined) => SeriesRef;
(Series as unknown as { prototype: object }).prototype = Object.prototype;

/** The packed identity columns (packColumns) of a series makeSeries made, else undefined. */
export function packedColumns(s: SeriesRef): string | undefined {
  return (s as Fields)[PACKED];
}

/** The labels column of `s` (labelsJson): from its packed text when it has one, parsing no labels. */
export function seriesLabelsJson(s: SeriesRef): string {
  const packed = (s as Fields)[PACKED];
  return packed === undefined ? labelsJson(s.labels) : packedColumn(packed, 3);
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
