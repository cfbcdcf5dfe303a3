import assert from 'node:assert/strict';
import { Writer } from 'protobufjs/light';
import { createRateState, decodeOtlpProto, decodeOtlpRequest } from '../../../src/formats';
import { parseOtlpProto, REQUEST_TYPE } from '../../../src/formats/otlp/proto';
import { buildSpec } from '../../../src/formats/otlp/proto-spec';
import { wireRequest } from '../../../src/formats/otlp/proto-wire';
import { fixture, T0 } from './helpers';

/**
 * The wire decoder against protobufjs on the same bytes: random requests of every metric type,
 * value kind and missing field, encoded by protobufjs, must give the identical plain request and
 * samples; mangled bytes must either give protobufjs's request or be handed to protobufjs.
 */

const SPEC = buildSpec(REQUEST_TYPE);
const at = { topic: 'otlp_metrics', partition: 1, offset: '7' };

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

type R = (n: number) => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[r(xs.length)] as T;
const maybe = (r: R, o: object): object => (r(3) === 0 ? {} : o);

function anyValue(r: R, depth: number): object {
  switch (r(depth > 2 ? 6 : 8)) {
    case 0:
      return { stringValue: pick(r, ['', 'peer-1', 'ünïcødé ✓', 'a\tb\nc\\d', '__proto__']) };
    case 1:
      return { boolValue: r(2) === 0 };
    case 2:
      return { intValue: pick(r, ['0', '1', '-1', '9007199254740993', '-9223372036854775808', '18']) };
    case 3:
      return { doubleValue: pick(r, [0, -0, 1.5, -2e300, Number.NaN, Infinity]) };
    case 4:
      return { bytesValue: pick(r, ['', 'AAEC/w==', 'aGVsbG8=']) };
    case 5:
      return {};
    case 6:
      return { arrayValue: { values: Array.from({ length: r(3) }, () => anyValue(r, depth + 1)) } };
    default:
      return { kvlistValue: { values: Array.from({ length: r(3) }, () => ({ key: pick(r, ['k', '', 'x']), ...maybe(r, { value: anyValue(r, depth + 1) }) })) } };
  }
}

const attrs = (r: R, n: number): object[] => Array.from({ length: r(n) }, () => ({ ...maybe(r, { key: pick(r, ['server.address', 'host', '', 'k']) }), ...maybe(r, { value: anyValue(r, 0) }) }));
const nanos = (r: R): string => pick(r, ['0', `${T0 + r(100) * 1000}000000`, `${T0 - 60_000}000000`, '18446744073709551615', '1']);

function point(r: R, kind: string): object {
  const base = { ...maybe(r, { attributes: attrs(r, 3) }), ...maybe(r, { startTimeUnixNano: nanos(r) }), ...maybe(r, { timeUnixNano: nanos(r) }), ...maybe(r, { flags: pick(r, [0, 1, 2]) }) };
  const exemplars = maybe(r, { exemplars: [{ timeUnixNano: nanos(r), asDouble: 1, spanId: 'AAAAAAAAAAE=', filteredAttributes: attrs(r, 2) }] });
  if (kind === 'gauge' || kind === 'sum') return { ...base, ...exemplars, ...(r(2) === 0 ? { asDouble: pick(r, [0, -0, 3.25, 1e-9]) } : { asInt: pick(r, ['0', '5', '-7', '9223372036854775807']) }) };
  const dist = { ...maybe(r, { count: pick(r, ['0', '3', '1000']) }), ...maybe(r, { sum: pick(r, [0, 12.5, -1]) }) };
  if (kind === 'histogram') return { ...base, ...dist, ...exemplars, bucketCounts: ['1', '2'], explicitBounds: [0.5], ...maybe(r, { min: 0, max: 3 }) };
  if (kind === 'exponentialHistogram') return { ...base, ...dist, scale: pick(r, [-2, 0, 5]), zeroCount: '1', positive: { offset: -3, bucketCounts: ['4', '0'] }, ...maybe(r, { negative: { offset: 2 } }), zeroThreshold: 0 };
  return { ...base, ...dist, ...maybe(r, { quantileValues: [{ quantile: 0, value: 1 }, { quantile: 0.99, value: 0 }] }) };
}

function metric(r: R): object {
  const kind = pick(r, ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary']);
  const data: Record<string, unknown> = { dataPoints: Array.from({ length: r(4) }, () => point(r, kind)) };
  if (kind === 'sum' || kind === 'histogram' || kind === 'exponentialHistogram') Object.assign(data, maybe(r, { aggregationTemporality: pick(r, [0, 1, 2]) }));
  if (kind === 'sum') Object.assign(data, maybe(r, { isMonotonic: r(2) === 0 }));
  return { ...maybe(r, { name: pick(r, ['m', 'http.server.duration', '']) }), ...maybe(r, { unit: pick(r, ['', 'ms', '{request}']) }), ...maybe(r, { description: 'd' }), [kind]: data };
}

function randomRequest(seed: number): Uint8Array {
  const r = rng(seed);
  const doc = {
    resourceMetrics: Array.from({ length: 1 + r(2) }, () => ({
      ...maybe(r, { resource: { attributes: attrs(r, 4), ...maybe(r, { droppedAttributesCount: 2 }) } }),
      scopeMetrics: Array.from({ length: r(3) }, () => ({ ...maybe(r, { scope: { name: 's', version: '1', attributes: attrs(r, 2) } }), metrics: Array.from({ length: r(5) }, () => metric(r)), ...maybe(r, { schemaUrl: 'u' }) })),
    })),
  };
  return REQUEST_TYPE.encode(REQUEST_TYPE.fromObject(doc)).finish();
}

function libraryDoc(bytes: Buffer): Record<string, unknown> | undefined {
  const p = parseOtlpProto(bytes);
  return 'doc' in p ? p.doc : undefined;
}

describe('formats/otlp/proto-wire: the same requests as protobufjs', () => {
  it('random requests of every metric type and value kind give the identical plain request and samples', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const bytes = Buffer.from(randomRequest(seed));
      const wire = wireRequest(bytes, SPEC);
      assert.notEqual(wire, undefined, `seed ${seed}: a request protobufjs encoded is in the clean subset`);
      assert.deepStrictEqual(wire, libraryDoc(bytes), `seed ${seed}`);
      const lib = decodeOtlpRequest(libraryDoc(bytes), at, createRateState());
      assert.deepStrictEqual(decodeOtlpProto(bytes, at, createRateState()), lib, `seed ${seed}: samples and errors`);
    }
  });

  it('every request of the Collector otlp_json fixture, as protobuf, takes the wire route to the same request', () => {
    for (const line of fixture('otlp-collector.ndjson').trim().split('\n')) {
      const bytes = Buffer.from(REQUEST_TYPE.encode(REQUEST_TYPE.fromObject(JSON.parse(line) as object)).finish());
      const wire = wireRequest(bytes, SPEC);
      assert.notEqual(wire, undefined);
      assert.deepStrictEqual(wire, libraryDoc(bytes));
    }
  });

  it('two requests back to back (protobuf concatenation merges them) decode as protobufjs does', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const bytes = Buffer.concat([randomRequest(seed), randomRequest(seed + 1000)]);
      assert.deepStrictEqual(wireRequest(bytes, SPEC), libraryDoc(bytes), `seed ${seed}`);
    }
  });

  it('mangled bytes: whatever the wire decoder accepts, protobufjs reads the same; the rest is left to protobufjs', () => {
    let accepted = 0;
    let refused = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed * 7919);
      const good = Buffer.from(randomRequest(seed));
      for (let k = 0; k < 8; k++) {
        const b = Buffer.from(good);
        const how = r(3);
        let bytes: Buffer = b;
        if (how === 0 && b.length > 0) b[r(b.length)] = r(256);
        else if (how === 1) bytes = b.subarray(0, r(b.length + 1));
        else bytes = Buffer.concat([b.subarray(0, r(b.length + 1)), Buffer.from([r(256), r(256), r(256)]), b.subarray(r(b.length + 1))]);
        const wire = wireRequest(bytes, SPEC);
        if (wire === undefined) refused++;
        else {
          accepted++;
          assert.deepStrictEqual(wire, libraryDoc(bytes), `seed ${seed} mutation ${k}`);
        }
      }
    }
    assert.ok(accepted > 100 && refused > 100, `both routes exercised: ${accepted} accepted, ${refused} refused`);
  });

  it('malformed protobuf goes to protobufjs and is dead-lettered with its reason', () => {
    const good = Buffer.from(randomRequest(3));
    const metric = new Writer().uint32((1 << 3) | 2).string('g').uint32((5 << 3) | 0).uint32(7).finish();
    const wrongType = new Writer().uint32(10).bytes(new Writer().uint32(18).bytes(new Writer().uint32(18).bytes(metric).finish()).finish()).finish();
    let deep = new Writer().uint32((1 << 3) | 2).string('x').finish();
    for (let i = 0; i < 200; i++) {
      const kv = new Writer().uint32((1 << 3) | 2).string('k').uint32((2 << 3) | 2).bytes(deep).finish();
      deep = new Writer().uint32((6 << 3) | 2).bytes(new Writer().uint32((1 << 3) | 2).bytes(kv).finish()).finish();
    }
    const deepReq = new Writer().uint32(10).bytes(new Writer().uint32(10).bytes(new Writer().uint32(10).bytes(new Writer().uint32(10).string('deep').uint32(18).bytes(deep).finish()).finish()).finish()).finish();
    const cases: [string, Uint8Array, RegExp][] = [
      ['truncated', good.subarray(0, good.length - 3), /index out of range/],
      ['huge length', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x7f, 0x0a, 0x00]), /index out of range/],
      ['wrong wire type', wrongType, /gauge: wire type 0 \(varint\)/],
      ['invalid wire type', Buffer.from([0x0a, 0x02, 0x0f, 0x01]), /invalid wire type 7/],
      ['deep nesting', deepReq, /max depth exceeded/],
      ['invalid UTF-8', new Writer().uint32(10).bytes(new Writer().uint32(18).bytes(new Writer().uint32(18).bytes(new Writer().uint32(10).bytes(Buffer.from([0x67, 0xff])).finish()).finish()).finish()).finish(), /malformed OTLP protobuf/],
    ];
    for (const [name, bytes, reason] of cases) {
      assert.equal(wireRequest(Buffer.from(bytes), SPEC), undefined, name);
      const r = decodeOtlpProto(bytes, at);
      assert.equal(r.values.length, 0, name);
      assert.equal(r.errors.length, 1, name);
      assert.equal(r.errors[0]!.code, 'BAD_INPUT', name);
      assert.match(r.errors[0]!.describe(), reason, name);
    }
  });

  it('a scalar attribute seen before is shared, a nested one (array/kvlist) is decoded again, both equal to protobufjs', () => {
    const point = (attrs: object[]) => ({ timeUnixNano: String(T0 * 1_000_000), asDouble: 1, attributes: attrs });
    const nested = { key: 'k', value: { kvlistValue: { values: [{ key: 'a', value: { stringValue: 'b' } }] } } };
    const scalar = { key: 'server.address', value: { stringValue: 'peer-3' } };
    const req = { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'm', gauge: { dataPoints: [point([scalar, nested]), point([scalar, nested])] } }] }] }] };
    const bytes = Buffer.from(REQUEST_TYPE.encode(REQUEST_TYPE.fromObject(req)).finish());
    const got = wireRequest(bytes, SPEC) as { resourceMetrics: { scopeMetrics: { metrics: { gauge: { dataPoints: { attributes: object[] }[] } }[] }[] }[] };
    const pts = got.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.gauge.dataPoints;
    assert.equal(pts[0]!.attributes[0], pts[1]!.attributes[0], 'the scalar KeyValue is one object');
    assert.notEqual(pts[0]!.attributes[1], pts[1]!.attributes[1], 'the kvlist KeyValue is decoded each time');
    assert.deepStrictEqual(got, libraryDoc(bytes));
  });
});
