import { isObject } from '../json';

/**
 * OTLP attributes (`[{key, value: AnyValue}]`) → string labels. Hand-written rather than zod
 * because it runs for every data point. Scalars become their text; arrays and kvlists their
 * JSON; bytes stay base64 as received.
 */

/** Label text of an AnyValue, or undefined when it is not an AnyValue object. */
export function anyValueText(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  const s = v['stringValue'];
  if (typeof s === 'string') return s;
  const i = v['intValue'];
  if (typeof i === 'string' || typeof i === 'number') return String(i);
  const d = v['doubleValue'];
  if (typeof d === 'number' || typeof d === 'string') return String(d);
  const b = v['boolValue'];
  if (typeof b === 'boolean') return b ? 'true' : 'false';
  const bytes = v['bytesValue'];
  if (typeof bytes === 'string') return bytes;
  if ('arrayValue' in v || 'kvlistValue' in v) return JSON.stringify(plain(v));
  // An empty AnyValue ({}) is legal: the attribute is present with no value.
  return '';
}

/** AnyValue → plain JSON value, for stringifying arrays and kvlists. */
function plain(v: unknown): unknown {
  if (!isObject(v)) return null;
  if ('stringValue' in v) return v['stringValue'];
  if ('intValue' in v) return typeof v['intValue'] === 'string' ? Number(v['intValue']) : v['intValue'];
  if ('doubleValue' in v) return v['doubleValue'];
  if ('boolValue' in v) return v['boolValue'];
  if ('bytesValue' in v) return v['bytesValue'];
  const arr = v['arrayValue'];
  if (isObject(arr)) return Array.isArray(arr['values']) ? arr['values'].map(plain) : [];
  const kv = v['kvlistValue'];
  if (isObject(kv)) {
    const out = Object.create(null) as Record<string, unknown>;
    if (Array.isArray(kv['values'])) for (const e of kv['values']) if (isObject(e) && typeof e['key'] === 'string') out[e['key']] = plain(e['value']);
    return out;
  }
  return null;
}

/** What readAttribute() read: one decoder runs at a time, so one scratch spares an object per attribute. */
export const attr = { key: '', text: '' };

/** Reads attribute `a` ({key, value: AnyValue}) into `attr`; false when it is malformed (see attributeProblem). */
export function readAttribute(a: unknown): boolean {
  if (!isObject(a)) return false;
  const k = a['key'];
  if (typeof k !== 'string' || k === '') return false;
  const text = a['value'] === undefined ? '' : anyValueText(a['value']);
  if (text === undefined) return false;
  attr.key = k;
  attr.text = text;
  return true;
}

/** The path suffix of what is wrong with attribute `a`, number `i` of its list (after readAttribute said false). */
export function attributeProblem(a: unknown, i: number): string {
  if (!isObject(a)) return `[${i}]`;
  const k = a['key'];
  return typeof k !== 'string' || k === '' ? `[${i}].key` : `[${i}].value`;
}

/**
 * Adds the attributes to `into` (later keys win), which must be prototype-free (`newLabels()`)
 * so that an attribute named `__proto__` is kept; makeSeries normalises the strings. Returns the
 * path suffix of the first bad entry (e.g. `[2].key`), or undefined when all are good. A missing
 * attribute list is fine.
 */
export function addAttributes(attrs: unknown, into: Record<string, string>): string | undefined {
  if (attrs === undefined || attrs === null) return undefined;
  if (!Array.isArray(attrs)) return '';
  for (let i = 0; i < attrs.length; i++) {
    if (!readAttribute(attrs[i])) return attributeProblem(attrs[i], i);
    into[attr.key] = attr.text;
  }
  return undefined;
}

/**
 * A cheap identity string for an attribute list, in the order given (used as a cache key, so
 * differently ordered lists only cost an extra cache entry). Returns `{ bad }` with the path
 * suffix of the first malformed entry.
 */
export function attributeKey(attrs: unknown): string | { bad: string } {
  if (attrs === undefined || attrs === null) return '';
  if (!Array.isArray(attrs)) return { bad: '' };
  let key = '';
  for (let i = 0; i < attrs.length; i++) {
    if (!readAttribute(attrs[i])) return { bad: attributeProblem(attrs[i], i) };
    key += `${attr.key}\u0001${attr.text}\u0002`;
  }
  return key;
}
