import { idLabels } from './id-labels';
import { newLabels, normalLabels, wellFormed } from './text';
import type { Labels, SeriesRef, SeriesSpan } from './types';

/**
 * Canonical series id: `metric{k1="v1",k2="v2"}` with keys sorted, so the same series decoded
 * from any source, in any attribute order, gets the same id (it is the Kafka key and the ClickHouse key).
 */
export function seriesId(metric: string, labels: Labels): string {
  const tail = labelsTail(labels);
  // joined, not concatenated: one flat text (see labelsTail)
  return tail === '' ? metric : [metric, tail].join('');
}

/**
 * The part of a series id after the metric: `{k1="v1",k2="v2"}` with keys sorted, or '' without
 * labels. Series of one resource that differ only in their metric share it (see Series).
 */
export function labelsTail(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  const parts = keys.map((k) => `${k}=${JSON.stringify(labels[k])}`);
  // One join builds one flat string: `{` + … + `}` would keep a tree of concatenation nodes
  // (about 100 bytes) alive beside the text for as long as the series lives.
  parts[0] = `{${parts[0] as string}`;
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
 * What a series made by makeSeries keeps besides its fields (see Series), under symbols so no
 * label or field name can clash with them: TAIL, its id after the metric (labelsTail) when its
 * labels column can be written from that text (idLabels), else COLUMNS, its five columns packed
 * (packColumns); and two numbers that owners of per-series state keep on it to find that state
 * without a map keyed by id (SLOTS, see SeriesSlot).
 */
const TAIL = Symbol('id tail');
const COLUMNS = Symbol('row columns');
const SLOTS = [Symbol('table slot'), Symbol('counter slot')] as const;

/**
 * Which number kept on a series (seriesSlot): the place of its state in the pipeline's series
 * table, or in a decoder's counter state.
 */
export type SeriesSlot = 0 | 1;
export const TABLE_SLOT: SeriesSlot = 0;
export const COUNTER_SLOT: SeriesSlot = 1;

type Fields = { -readonly [K in keyof SeriesRef]: SeriesRef[K] } & { [TAIL]?: string; [COLUMNS]?: string };
type Slots = Record<symbol, number | undefined>;

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

/** The labels column written from an id tail of ASCII text (idLabels); undefined when it is not that column. */
function labelsOfTail(tail: string): string | undefined {
  const src = Buffer.from(tail, 'latin1');
  const dst = Buffer.allocUnsafe(2 * tail.length + 2);
  const end = idLabels(src, tail.length === 0 ? 0 : 1, src.length, dst, 0);
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
 * `id` of a series that keeps its id tail: the metric and the tail joined on each read. The
 * pipeline's path reads no id (the series table finds a series by SLOT, the writer copies the
 * two texts), so a live series keeps no id text of its own: its tail is the one text shared by
 * the series of a resource with the same attributes (interned by the decoder).
 */
const ID: PropertyDescriptor = {
  enumerable: true,
  get(this: Fields): string {
    return this.metric + (this[TAIL] as string);
  },
};

const hidden = (value: unknown, writable = false): PropertyDescriptor => ({ value, writable });

/**
 * A metric name and unit, one object shared by the series that have both (KIND): a series kept
 * the two as fields, 8 bytes more. `metric` and `unit` read them through enumerable getters.
 */
interface MetricKind {
  readonly metric: string;
  readonly unit: string | undefined;
}

const KIND = Symbol('metric kind');
/** The kinds made lately, to share them (dropped whole when large: the series keep theirs). */
const kinds = new Map<string, MetricKind>();

function metricKind(metric: string, unit: string | undefined): MetricKind {
  const key = unit === undefined ? metric : `${metric}\u0000${unit}`;
  let k = kinds.get(key);
  if (k === undefined || k.metric !== metric || k.unit !== unit) {
    if (kinds.size >= 65_536) kinds.clear();
    k = { metric, unit };
    kinds.set(key, k);
  }
  return k;
}

const METRIC: PropertyDescriptor = {
  enumerable: true,
  get(this: { [KIND]: MetricKind }): string {
    return this[KIND].metric;
  },
};

const UNIT: PropertyDescriptor = {
  enumerable: true,
  get(this: { [KIND]: MetricKind }): string | undefined {
    return this[KIND].unit;
  },
};

/**
 * A series made by makeSeries. Its identity is two texts shared with other series, the metric
 * and the id tail: the id is their join and the labels column the tail respelled (idLabels), so
 * no id, labels object or labels JSON is kept per series. That needs the id in ASCII (one byte a
 * char) and keys that JSON does not escape, checked here once: other series keep their id and
 * their five columns packed (packColumns), ~250 more bytes each. The extras are non-enumerable
 * properties and the prototype is Object's, so JSON, Object.keys, spreads and deep equality see
 * the plain SeriesRef object they always saw; a constructor (not a literal) so that V8 keeps the
 * extra properties inside the object.
 */
const Series = function (this: Fields, metric: string, labels: Labels, service: string, unit: string | undefined, intern: ((text: string) => string) | undefined) {
  const tail = labelsTail(labels);
  const json = labelsJson(labels);
  // (a string of ASCII only is its own UTF-8 bytes, one a char)
  const ascii = Buffer.byteLength(metric, 'utf8') === metric.length && Buffer.byteLength(tail, 'utf8') === tail.length;
  if (ascii && labelsOfTail(tail) === json) {
    Object.defineProperty(this, 'id', ID);
    Object.defineProperty(this, TAIL, hidden(intern === undefined ? tail : intern(tail)));
  } else {
    const id = seriesId(metric, labels);
    this.id = id;
    Object.defineProperty(this, COLUMNS, hidden(packColumns(id, service, metric, json, unit)));
  }
  Object.defineProperty(this, SLOTS[0], hidden(-1, true));
  Object.defineProperty(this, SLOTS[1], hidden(-1, true));
  Object.defineProperty(this, KIND, hidden(metricKind(metric, unit)));
  this.service = service;
  Object.defineProperty(this, 'metric', METRIC);
  Object.defineProperty(this, 'labels', LABELS);
  // Absent, not undefined, without a unit: as the object literals had it.
  if (unit !== undefined) Object.defineProperty(this, 'unit', UNIT);
} as unknown as new (metric: string, labels: Labels, service: string, unit: string | undefined, intern: ((text: string) => string) | undefined) => SeriesRef;
(Series as unknown as { prototype: object }).prototype = Object.prototype;

/** The id of `s` after its metric (see labelsTail) when makeSeries made it and its labels column is written from that text. */
export function seriesTail(s: SeriesRef): string | undefined {
  return (s as Fields)[TAIL];
}

/** The five columns of `s` packed (packColumns) when makeSeries made it and could not keep its tail; else undefined. */
export function seriesColumns(s: SeriesRef): string | undefined {
  return (s as Fields)[COLUMNS];
}

/** The number of kind `kind` kept on `s` (setSeriesSlot): -1 when none, undefined for a series makeSeries did not make. */
export function seriesSlot(s: SeriesRef, kind: SeriesSlot): number | undefined {
  return (s as unknown as Slots)[SLOTS[kind]];
}

/** Keep `slot` on `s` (for seriesSlot); nothing for a series makeSeries did not make (no property is added to it). */
export function setSeriesSlot(s: SeriesRef, kind: SeriesSlot, slot: number): void {
  const slots = s as unknown as Slots;
  const key = SLOTS[kind];
  if (slots[key] !== undefined) slots[key] = slot;
}

/** The labels column of `s` (labelsJson): from its id tail or packed text when makeSeries made it, parsing no labels. */
export function seriesLabelsJson(s: SeriesRef): string {
  const tail = (s as Fields)[TAIL];
  if (tail !== undefined) return labelsOfTail(tail) as string;
  const c = (s as Fields)[COLUMNS];
  return c === undefined ? labelsJson(s.labels) : packedColumn(c, 3);
}

/**
 * The one place series identities are made (every decoder calls it): names, unit and labels are
 * normalised here (see ./text.ts), so every column stored and every id derive from the same
 * strings; labels come back prototype-free. `intern` returns the one copy of an id tail that the
 * caller keeps for equal tails (a decoder's cache), so the series of a resource share it.
 */
export function makeSeries(metric: string, labels: Labels, service?: string, unit?: string, intern?: (text: string) => string): SeriesRef {
  const l = normalLabels(labels);
  return new Series(wellFormed(metric), l, wellFormed(service ?? serviceOf(l)), unit === undefined ? undefined : wellFormed(unit), intern);
}

/**
 * Workload attributes that name a service where `service.name` is missing, in the order the
 * OpenTelemetry semantic conventions give for Kubernetes (non-normative "k8s-attributes"): from
 * the ancestor down. Their opt-in well-known pod labels are left out, and so is the pod name: one
 * service per pod would make every release's new pods a service of their own.
 */
const WORKLOAD_KEYS = ['k8s.deployment.name', 'k8s.replicaset.name', 'k8s.statefulset.name', 'k8s.daemonset.name', 'k8s.cronjob.name', 'k8s.job.name', 'k8s.container.name'] as const;

/**
 * A ReplicaSet's name is its Deployment's and a pod-template hash, which changes with each
 * release; Kubernetes writes the hash in an alphabet without vowels (`SafeEncodeString`).
 */
const TEMPLATE_HASH = /-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/;

/**
 * The service a series belongs to: `service.name`, unless it is missing or an SDK's default
 * (`unknown_service`, `unknown_service:java`), then the Kubernetes workload it runs in — as the
 * Collector's kubeletstats or k8s_cluster receivers report pods — else `unknown`.
 */
export function serviceOf(l: Readonly<Record<string, string>>): string {
  const named = l['service.name'];
  if (named !== undefined && named !== '' && !named.startsWith('unknown_service')) return named;
  for (const key of WORKLOAD_KEYS) {
    const v = l[key];
    if (v !== undefined && v !== '') return key === 'k8s.replicaset.name' ? v.replace(TEMPLATE_HASH, '') : v;
  }
  return named !== undefined && named !== '' ? named : 'unknown';
}

/**
 * The instance (process) a series comes from, when its labels name one: `service.instance.id`,
 * else the Kubernetes pod, else the host. Reports and timelines name it; what-if groups by it.
 */
export function instanceLabel(l: Readonly<Record<string, string>>): string | undefined {
  return l['service.instance.id'] ?? l['k8s.pod.name'] ?? l['host.name'] ?? l['host'];
}

/** Widen `span` to take in a sample at `t` (epoch ms). */
export function widenSpan(span: SeriesSpan, t: number): void {
  if (t < span.first) span.first = t;
  else if (t > span.last) span.last = t;
}
