import { util } from 'protobufjs/light';
import { Kind, type FieldSpec, type TypeSpec } from './proto-spec';

/**
 * Protobuf wire bytes → the plain request ./proto-plain.ts makes from protobufjs's objects, in one
 * pass and without the intermediate object tree or Long values (protobufjs decoding was two
 * thirds of the protobuf path's time and most of its garbage; bench/results/formats.md).
 *
 * It accepts only the clean, common subset of the encoding: every known field with its declared
 * wire type, lengths inside their message, varints of ordinary length, valid UTF-8, each singular
 * message field and oneof (with kept members) at most once, nesting ≤ 32. Anything else returns
 * undefined and the caller decodes with protobufjs, so malformed input gets the library's verdict
 * and error text. test/unit/formats/otlp-proto-wire.test.ts checks, on random valid and mangled
 * requests, that whenever this returns a request it equals protobufjs's.
 */

type Obj = Record<string, unknown>;
const NOT_CLEAN = new Error('not the clean subset');
const MAX_DEPTH = 32;

interface Utf8Buffer extends Buffer {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

let buf: Utf8Buffer;
let pos = 0;

/** The plain request, or undefined when the bytes are outside the clean subset (decode them with protobufjs). */
export function wireRequest(bytes: Buffer, spec: TypeSpec): Obj | undefined {
  buf = bytes as Utf8Buffer;
  try {
    return message(0, bytes.length, spec, 0);
  } catch (e) {
    if (e === NOT_CLEAN) return undefined;
    throw e;
  } finally {
    buf = EMPTY;
  }
}
const EMPTY = Buffer.alloc(0) as Utf8Buffer;

function message(start: number, end: number, spec: TypeSpec, depth: number): Obj {
  if (depth > MAX_DEPTH) throw NOT_CLEAN;
  const out: Obj = {};
  for (const name of spec.eager) out[name] = [];
  let oneofs = 0;
  pos = start;
  while (pos < end) {
    const tag = varint32(end);
    const f = spec.fields[tag >>> 3];
    const wire = tag & 7;
    if (tag >>> 3 === 0) throw NOT_CLEAN;
    if (f === undefined) skipWire(wire, end);
    else if (wire !== f.wire) {
      if (!f.packable || wire !== 2) throw NOT_CLEAN;
      skipPacked(f.kind, end);
    } else if (f.oneof === 0) {
      if (!f.keep) skipKnown(f, end, depth);
      else keep(out, f, end, depth);
    } else {
      // A oneof with kept members seen twice (protobufjs keeps only the last member set): left to it.
      if (!f.keep || (oneofs & f.oneof) !== 0) throw NOT_CLEAN;
      oneofs |= f.oneof;
      keep(out, f, end, depth);
    }
  }
  return out;
}

function keep(out: Obj, f: FieldSpec, end: number, depth: number): void {
  const name = f.name;
  switch (f.kind) {
    case Kind.Message: {
      const len = size(end);
      const spec = f.child as TypeSpec;
      const child = spec.name === 'KeyValue' ? keyValue(pos, pos + len, spec, depth + 1) : message(pos, pos + len, spec, depth + 1);
      if (!f.repeated) {
        // protobufjs merges a repeated singular message: rare, left to it
        if (name in out) throw NOT_CLEAN;
        out[name] = child;
      } else {
        const list = out[name] as Obj[] | undefined;
        if (list === undefined) out[name] = [child];
        else list.push(child);
      }
      return;
    }
    case Kind.String: {
      const len = size(end);
      const s = len === 0 ? '' : text(pos, pos + len);
      pos += len;
      return set(out, f, s, len !== 0);
    }
    case Kind.Bytes: {
      const len = size(end);
      const s = util.base64.encode(buf, pos, pos + len);
      pos += len;
      return set(out, f, s, len !== 0);
    }
    case Kind.Double: {
      if (pos + 8 > end) throw NOT_CLEAN;
      const v = buf.readDoubleLE(pos);
      pos += 8;
      return set(out, f, v, !Object.is(v, 0));
    }
    case Kind.Fixed64:
    case Kind.SFixed64: {
      if (pos + 8 > end) throw NOT_CLEAN;
      const lo = buf.readUInt32LE(pos);
      const hi = buf.readUInt32LE(pos + 4);
      pos += 8;
      return set(out, f, int64Text(lo, hi, f.kind === Kind.SFixed64), lo !== 0 || hi !== 0);
    }
    case Kind.Varint64: {
      varint64(end);
      return set(out, f, int64Text(lo64, hi64, true), lo64 !== 0 || hi64 !== 0);
    }
    case Kind.Varint32: {
      const v = varint32(end);
      return set(out, f, v, v !== 0);
    }
    case Kind.Bool: {
      const v = varint64(end);
      return set(out, f, v, v);
    }
    default:
      throw NOT_CLEAN;
  }
}

/** protobufjs semantics: a field with presence is always set; another is set when not its default, and a later default clears it. */
function set(out: Obj, f: FieldSpec, v: unknown, notDefault: boolean): void {
  if (f.presence || notDefault) out[f.name] = v;
  else if (f.name in out) delete out[f.name];
}

function skipKnown(f: FieldSpec, end: number, depth: number): void {
  if (f.kind === Kind.Message) {
    const len = size(end);
    message(pos, pos + len, f.child as TypeSpec, depth + 1);
  } else if (f.kind === Kind.String) {
    const len = size(end);
    text(pos, pos + len);
    pos += len;
  } else if (f.kind === Kind.Varint32) varint32(end);
  else skipWire(f.wire, end);
}

function skipWire(wire: number, end: number): void {
  if (wire === 0) varint64(end);
  else if (wire === 1) advance(8, end);
  else if (wire === 2) advance(size(end), end);
  else if (wire === 5) advance(4, end);
  else throw NOT_CLEAN; // groups (3, 4) and invalid wire types (6, 7)
}

function skipPacked(kind: Kind, end: number): void {
  const len = size(end);
  const stop = pos + len;
  if (kind === Kind.Fixed64 || kind === Kind.SFixed64 || kind === Kind.Double) {
    if (len % 8 !== 0) throw NOT_CLEAN;
    pos = stop;
  } else if (kind === Kind.Fixed32) {
    if (len % 4 !== 0) throw NOT_CLEAN;
    pos = stop;
  } else if (kind === Kind.Varint32) while (pos < stop) varint32(stop);
  else while (pos < stop) varint64(stop);
}

function advance(n: number, end: number): void {
  if (pos + n > end) throw NOT_CLEAN;
  pos += n;
}

// Point attributes repeat byte for byte across the points of a request and across requests
// (`server.address` = `peer-3`): a scalar KeyValue decoded once is shared by every later
// occurrence of the same bytes, sparing two objects per attribute per point. Consumers only read
// the plain request. Only scalar values are shared (an array or kvlist value nests deeper, and
// whether that is clean depends on where it sits).
const KV_SLOTS = 2048;
const KV_MAX = 64;
// The bytes of each slot's key-value in one arena (slot i at i × KV_MAX): a small Buffer copy per
// slot came from Node's 8 kB allocation pool and kept a whole pool block alive each (up to 16 MB).
const kvArena = Buffer.alloc(KV_SLOTS * KV_MAX);
const kvLength = new Uint8Array(KV_SLOTS);
const kvObjs: (Obj | undefined)[] = new Array<Obj | undefined>(KV_SLOTS).fill(undefined);

function keyValue(start: number, end: number, spec: TypeSpec, depth: number): Obj {
  const len = end - start;
  if (len > KV_MAX || depth + 1 > MAX_DEPTH) return message(start, end, spec, depth);
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  const slot = (h ^ (h >>> 16)) & (KV_SLOTS - 1);
  const at = slot * KV_MAX;
  if (kvObjs[slot] !== undefined && kvLength[slot] === len && buf.compare(kvArena, at, at + len, start, end) === 0) {
    pos = end;
    return kvObjs[slot];
  }
  const kv = message(start, end, spec, depth);
  const v = kv['value'] as Obj | undefined;
  if (v === undefined || !('arrayValue' in v || 'kvlistValue' in v)) {
    buf.copy(kvArena, at, start, end);
    kvLength[slot] = len;
    kvObjs[slot] = kv;
  }
  return kv;
}

// Short ASCII strings (attribute keys and values, metric names) repeat in every request: one
// decoded copy each, direct-mapped by a hash of their bytes, spares a string per attribute.
const INTERN_SLOTS = 4096;
const INTERN_MAX = 48;
const interned: string[] = new Array<string>(INTERN_SLOTS).fill('');

/** Text of a string field; invalid UTF-8 (decoded as U+FFFD) is left to protobufjs, which rejects it. */
function text(start: number, end: number): string {
  const len = end - start;
  if (len <= INTERN_MAX) {
    let h = 0x811c9dc5;
    let high = 0;
    for (let i = start; i < end; i++) {
      const b = buf[i] as number;
      high |= b;
      h = Math.imul(h ^ b, 0x01000193);
    }
    if (high < 0x80) {
      const slot = (h ^ (h >>> 16)) & (INTERN_SLOTS - 1);
      const known = interned[slot] as string;
      if (known.length === len && sameAscii(known, start)) return known;
      return (interned[slot] = buf.latin1Slice(start, end));
    }
  }
  const s = buf.utf8Slice(start, end);
  if (s.indexOf('\uFFFD') >= 0) throw NOT_CLEAN;
  return s;
}

function sameAscii(s: string, start: number): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

/** A varint of at most 4 bytes (tags, lengths, 32-bit fields below 2^28); longer ones are left to protobufjs. */
function varint32(end: number): number {
  let b = buf[pos++] as number;
  if (pos > end) throw NOT_CLEAN;
  if (b < 0x80) return b;
  let v = b & 0x7f;
  for (let shift = 7; shift < 28; shift += 7) {
    b = buf[pos++] as number;
    if (pos > end) throw NOT_CLEAN;
    v |= (b & 0x7f) << shift;
    if (b < 0x80) return v;
  }
  throw NOT_CLEAN;
}

/** A length prefix; the bytes it announces must lie inside the enclosing message. */
function size(end: number): number {
  const n = varint32(end);
  if (pos + n > end) throw NOT_CLEAN;
  return n;
}

let lo64 = 0;
let hi64 = 0;

/** A varint of up to 10 bytes into lo64/hi64; returns whether any value bit is set. */
function varint64(end: number): boolean {
  lo64 = 0;
  hi64 = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw NOT_CLEAN;
    const b = buf[pos++] as number;
    const bits = b & 0x7f;
    if (i < 4) lo64 |= bits << (7 * i);
    else if (i === 4) {
      lo64 |= bits << 28;
      hi64 |= bits >>> 4;
    } else if (i < 9) hi64 |= bits << (7 * i - 32);
    else if (bits > 1) throw NOT_CLEAN; // bits beyond 64: left to protobufjs
    else hi64 |= bits << 31;
    if (b < 0x80) {
      lo64 >>>= 0;
      hi64 >>>= 0;
      return lo64 !== 0 || hi64 !== 0;
    }
  }
  throw NOT_CLEAN;
}

// Recent 64-bit values and their text, direct-mapped: the points of a request share a few times.
const SLOTS = 256;
const memoLo = new Float64Array(SLOTS).fill(-1);
const memoHi = new Float64Array(SLOTS);
const memoText: string[] = new Array<string>(SLOTS).fill('');

/** Decimal text of a 64-bit integer (unsigned, or two's complement when `signed`), as Long#toString gives it. */
export function int64Text(lo: number, hi: number, signed: boolean): string {
  if (signed && hi >= 0x80000000) return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
  const i = (lo ^ (lo >>> 11) ^ (lo >>> 23) ^ hi) & (SLOTS - 1);
  if (memoLo[i] === lo && memoHi[i] === hi) return memoText[i] as string;
  const s = unsignedText(lo, hi);
  memoLo[i] = lo;
  memoHi[i] = hi;
  memoText[i] = s;
  return s;
}

function unsignedText(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * 4294967296 + lo); // < 2^53: exact as a double
  // hi·2^32 + lo = hi·4294·10^6 + (hi·967296 + lo), and hi·967296 + lo < 2^53: exact.
  const x = hi * 967296 + lo;
  const r = x % 1e6;
  return `${hi * 4294 + (x - r) / 1e6}${String(r).padStart(6, '0')}`;
}
