import { util, type Message } from 'protobufjs/light';

/**
 * Decoded protobufjs messages → the plain structure OTLP/JSON parses to, copying only the fields
 * the validation reads (points: attributes, times, value, count, sum, quantiles, flags). It does
 * what `Type.toObject({longs: String, enums: Number, bytes: String})` does for those fields, ~10×
 * faster: that call spends most of its time in Long#toString for every 64-bit time and integer,
 * while points of one request mostly share their times (remembered here) and an unsigned 64-bit
 * value splits exactly into milliseconds and a six-digit remainder. Only fields set on the wire are
 * copied (proto3 leaves defaults out), so absent stays absent as in OTLP/JSON.
 */

type Obj = Record<string, unknown>;
interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
  toString(): string;
}

const has = (m: object, k: string): boolean => Object.prototype.hasOwnProperty.call(m, k);

/** Decimal text of a 64-bit integer field (protobufjs gives a Long, or a number when it fits). */
export function longText(v: unknown): string {
  if (typeof v === 'number') return String(v);
  const l = v as LongLike;
  // Two slots: a point's start time and time alternate, and each repeats across the request.
  for (const s of memo) if (l.low === s.low && l.high === s.high && l.unsigned === s.unsigned) return s.text;
  const s = memo[next] as Slot;
  next ^= 1;
  s.low = l.low;
  s.high = l.high;
  s.unsigned = l.unsigned;
  return (s.text = convert(l));
}
interface Slot {
  low: number;
  high: number;
  unsigned: boolean;
  text: string;
}
const memo: Slot[] = [
  { low: 0, high: 0, unsigned: false, text: '0' },
  { low: 0, high: 0, unsigned: true, text: '0' },
];
let next = 0;

function convert(l: LongLike): string {
  if (!l.unsigned && l.high < 0) return l.toString(); // negative (asInt/intValue): rare, let Long do it
  const h = l.high >>> 0;
  const lo = l.low >>> 0;
  if (h < 0x200000) return String(h * 4294967296 + lo); // < 2^53: exact as a double
  // h·2^32 + lo = h·4294·10^6 + (h·967296 + lo), and h·967296 + lo < 2^53: exact.
  const x = h * 967296 + lo;
  const r = x % 1e6;
  return `${h * 4294 + (x - r) / 1e6}${String(r).padStart(6, '0')}`;
}

function list<T>(v: unknown, f: (x: Message) => T): T[] {
  const a = v as Message[];
  const out = new Array<T>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i] as Message);
  return out;
}

function anyValue(m: Message): Obj {
  const v = m as unknown as Obj;
  if (has(v, 'stringValue')) return { stringValue: v['stringValue'] };
  if (has(v, 'intValue')) return { intValue: longText(v['intValue']) };
  if (has(v, 'doubleValue')) return { doubleValue: v['doubleValue'] };
  if (has(v, 'boolValue')) return { boolValue: v['boolValue'] };
  if (has(v, 'bytesValue')) {
    const b = v['bytesValue'] as Uint8Array;
    return { bytesValue: util.base64.encode(b, 0, b.length) };
  }
  if (has(v, 'arrayValue')) return { arrayValue: { values: list((v['arrayValue'] as Obj)['values'], anyValue) } };
  if (has(v, 'kvlistValue')) return { kvlistValue: { values: list((v['kvlistValue'] as Obj)['values'], keyValue) } };
  return {};
}

function keyValue(m: Message): Obj {
  const kv = m as unknown as Obj;
  const out: Obj = {};
  if (has(kv, 'key')) out['key'] = kv['key'];
  if (has(kv, 'value') && kv['value'] !== null) out['value'] = anyValue(kv['value'] as Message);
  return out;
}

const attributes = (v: unknown): Obj[] => list(v, keyValue);

function point(m: Message): Obj {
  const p = m as unknown as Obj;
  const out: Obj = {};
  if ((p['attributes'] as unknown[]).length > 0) out['attributes'] = attributes(p['attributes']);
  if (has(p, 'startTimeUnixNano')) out['startTimeUnixNano'] = longText(p['startTimeUnixNano']);
  if (has(p, 'timeUnixNano')) out['timeUnixNano'] = longText(p['timeUnixNano']);
  if (has(p, 'asDouble')) out['asDouble'] = p['asDouble'];
  if (has(p, 'asInt')) out['asInt'] = longText(p['asInt']);
  if (has(p, 'count')) out['count'] = longText(p['count']);
  if (has(p, 'sum')) out['sum'] = p['sum'];
  if (has(p, 'flags')) out['flags'] = p['flags'];
  const q = p['quantileValues'] as Obj[] | undefined;
  if (q !== undefined && q.length > 0) out['quantileValues'] = q.map((e) => ({ ...(has(e, 'quantile') ? { quantile: e['quantile'] } : {}), ...(has(e, 'value') ? { value: e['value'] } : {}) }));
  return out;
}

const DATA = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

function metric(m: Message): Obj {
  const x = m as unknown as Obj;
  const out: Obj = {};
  if (has(x, 'name')) out['name'] = x['name'];
  if (has(x, 'unit')) out['unit'] = x['unit'];
  for (const k of DATA) {
    if (!has(x, k) || x[k] === null) continue;
    const d = x[k] as Obj;
    const data: Obj = { dataPoints: list(d['dataPoints'], point) };
    if (has(d, 'aggregationTemporality')) data['aggregationTemporality'] = d['aggregationTemporality'];
    if (has(d, 'isMonotonic')) data['isMonotonic'] = d['isMonotonic'];
    out[k] = data;
  }
  return out;
}

/** The plain request the OTLP/JSON validation reads, from a decoded ExportMetricsServiceRequest. */
export function plainRequest(req: Message): Obj {
  const rms = (req as unknown as Obj)['resourceMetrics'];
  return {
    resourceMetrics: list(rms, (rm) => {
      const r = rm as unknown as Obj;
      const resource = r['resource'] as Obj | null | undefined;
      return {
        ...(resource !== null && resource !== undefined ? { resource: { attributes: attributes(resource['attributes']) } } : {}),
        scopeMetrics: list(r['scopeMetrics'], (sm) => ({ metrics: list((sm as unknown as Obj)['metrics'], metric) })),
      };
    }),
  };
}
