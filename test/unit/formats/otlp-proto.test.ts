import assert from 'node:assert/strict';
import Long from 'long';
import { Writer } from 'protobufjs/light';
import { createRateState, decodeOtlpMetrics, decodeOtlpProto, decodeOtlpRequest } from '../../../src/formats';
import { REQUEST_TYPE } from '../../../src/formats/otlp/proto';
import { longText } from '../../../src/formats/otlp/proto-plain';
import { quantileName } from '../../../src/formats/otlp/quantiles';
import { fixture, ns, pointsOf, request, str, T0 } from './helpers';

const MIN = 60_000;
const at = { topic: 'otlp_metrics', partition: 2, offset: '41' };

/** protobufjs's own encoder (from the same official definitions) for crafted requests. */
function encode(doc: object): Buffer {
  return Buffer.from(REQUEST_TYPE.encode(REQUEST_TYPE.fromObject(doc)).finish());
}

function onlyError(bytes: Uint8Array): string {
  const r = decodeOtlpProto(bytes, at);
  assert.equal(r.values.length, 0);
  assert.equal(r.errors.length, 1, r.errors.map((e) => e.describe()).join('\n'));
  const e = r.errors[0]!;
  assert.equal(e.code, 'BAD_INPUT');
  assert.equal(e.origin.topic, 'otlp_metrics');
  assert.equal(e.origin.partition, 2);
  assert.equal(e.origin.offset, '41');
  return e.describe();
}

describe('formats/otlp/proto: the same samples as OTLP/JSON', () => {
  it('every line of the Collector otlp_json fixture, re-encoded as protobuf, decodes to the same samples', () => {
    const lines = fixture('otlp-collector.ndjson').trim().split('\n');
    const [jsonRates, protoRates] = [createRateState(), createRateState()];
    for (const line of lines) {
      const json = decodeOtlpMetrics(line, at, jsonRates);
      const proto = decodeOtlpProto(encode(JSON.parse(line) as object), at, protoRates);
      assert.deepEqual(proto.errors, []);
      assert.deepEqual(proto.values, json.values);
    }
  });

  it('delta sum, delta histogram, exponential histogram and summary with quantiles', () => {
    const p = (i: number) => ({ startTimeUnixNano: ns(T0 - MIN), timeUnixNano: ns(T0 + i * MIN), count: String(10 + 60 * i), sum: 10 + 120 * i });
    const q = (i: number) => ({ ...p(i), quantileValues: [{ quantile: 0, value: 1 }, { quantile: 0.5, value: 2 + i }, { quantile: 0.999, value: 9 }, { quantile: 1, value: 10 }] });
    const delta = { startTimeUnixNano: ns(T0 - MIN), timeUnixNano: ns(T0), asInt: '120' };
    const doc = request([
      { name: 'c', unit: '{request}', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [delta] } },
      { name: 'h', unit: 'ms', histogram: { aggregationTemporality: 1, dataPoints: [{ ...p(0), bucketCounts: ['4', '6'], explicitBounds: [5] }] } },
      { name: 'e', unit: 's', exponentialHistogram: { aggregationTemporality: 2, dataPoints: [{ ...p(0), scale: 3, zeroCount: '1', positive: { offset: -2, bucketCounts: ['9'] } }, p(1)] } },
      { name: 'lat', unit: 'ms', summary: { dataPoints: [q(0), q(1)] } },
    ]);
    const json = decodeOtlpRequest(doc, at);
    const proto = decodeOtlpProto(encode(doc), at);
    assert.deepEqual(json.errors, []);
    assert.deepEqual(proto.errors, []);
    assert.deepEqual(proto.values, json.values);
    assert.deepEqual(pointsOf(proto.values, 'c'), [[T0, 2]]);
    assert.deepEqual(pointsOf(proto.values, 'h.count'), [[T0, 10 / 60]]);
    // Cumulative since a start a minute before the first point: that point is a rate since then.
    assert.deepEqual(pointsOf(proto.values, 'e.count'), [[T0, 10 / 60], [T0 + MIN, 1]]);
    assert.deepEqual(pointsOf(proto.values, 'e.mean'), [[T0, 1], [T0 + MIN, 2]]);
    assert.deepEqual(pointsOf(proto.values, 'lat.mean'), [[T0, 1], [T0 + MIN, 2]]);
    assert.deepEqual(pointsOf(proto.values, 'lat.p50'), [[T0, 2], [T0 + MIN, 3]]);
    assert.deepEqual(pointsOf(proto.values, 'lat.p0'), [[T0, 1], [T0 + MIN, 1]]);
    assert.deepEqual(pointsOf(proto.values, 'lat.p99.9'), [[T0, 9], [T0 + MIN, 9]]);
    assert.deepEqual(pointsOf(proto.values, 'lat.p100'), [[T0, 10], [T0 + MIN, 10]]);
    assert.equal(proto.values.find((x) => x.series.metric === 'lat.p50')!.series.unit, 'ms');
  });

  it('zeros that protobuf leaves out (asDouble 0, quantile 0, bool attribute false) come back', () => {
    const attrs = [str('service.name', 'svc'), { key: 'up', value: { boolValue: false } }, { key: 'n', value: { intValue: '0' } }];
    const doc = request([{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: ns(T0), asDouble: 0 }] } }], attrs);
    const proto = decodeOtlpProto(encode(doc), at);
    assert.deepEqual(proto.errors, []);
    assert.deepEqual(pointsOf(proto.values, 'g'), [[T0, 0]]);
    assert.deepEqual({ ...proto.values[0]!.series.labels }, { 'service.name': 'svc', up: 'false', n: '0' });
  });

  it('validation errors name the same field as in OTLP/JSON', () => {
    const doc = request([{ name: 'ok', gauge: { dataPoints: [{ timeUnixNano: ns(T0), asDouble: 1 }] } }, { name: 'c', sum: { isMonotonic: true, dataPoints: [] } }]);
    const json = decodeOtlpRequest(doc, at);
    const proto = decodeOtlpProto(encode(doc), at);
    assert.equal(proto.values.length, 1);
    assert.deepEqual(proto.errors.map((e) => e.describe()), json.errors.map((e) => e.describe()));
    assert.match(proto.errors[0]!.describe(), /otlp_metrics\[2\]@41.*metrics\[1\]\.sum\.aggregationTemporality/);
  });

  it('quantile names', () => {
    assert.deepEqual([0, 0.5, 0.9, 0.99, 0.999, 0.9999, 1].map(quantileName), ['p0', 'p50', 'p90', 'p99', 'p99.9', 'p99.99', 'p100']);
  });
});

describe('formats/otlp/proto: malformed protobuf is one BAD_INPUT with a reason, never a throw', () => {
  const good = encode(request([{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: ns(T0), asDouble: 1 }] } }]));

  it('truncated at every length', () => {
    for (let n = 1; n < good.length; n++) assert.match(onlyError(good.subarray(0, n)), /malformed OTLP protobuf near byte \d+ of \d+: index out of range/);
  });

  it('a length prefix far beyond the message', () => {
    assert.match(onlyError(Buffer.from([0x0a, 0xe8, 0x07, 0x0a, 0x00])), /malformed OTLP protobuf near byte 3 of 5: index out of range \(a length or value runs past the end of its message: truncated or corrupt\)/);
    assert.match(onlyError(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a, 0x00])), /malformed OTLP protobuf.*invalid length encoding/);
  });

  it('an invalid wire type (7)', () => {
    assert.match(onlyError(Buffer.from([0x0f, 0x01])), /invalid wire type 7/);
  });

  it('a known field with the wrong wire type is named with its path', () => {
    // metrics[0].gauge (field 5 of Metric) sent as a varint instead of a message
    const metric = new Writer().uint32((1 << 3) | 2).string('g').uint32((5 << 3) | 0).uint32(7).finish();
    const scope = new Writer().uint32((2 << 3) | 2).bytes(metric).finish();
    const rm = new Writer().uint32((2 << 3) | 2).bytes(scope).finish();
    const req = new Writer().uint32((1 << 3) | 2).bytes(rm).finish();
    const reason = onlyError(req);
    assert.match(reason, /resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[0\]\.gauge: wire type 0 \(varint\) for a field declared Gauge, which needs length-delimited/);
  });

  it('a fixed64 time sent as a varint', () => {
    const point = new Writer().uint32((3 << 3) | 0).uint64(1).uint32((4 << 3) | 1).double(1).finish();
    const gauge = new Writer().uint32((1 << 3) | 2).bytes(point).finish();
    const metric = new Writer().uint32((1 << 3) | 2).string('g').uint32((5 << 3) | 2).bytes(gauge).finish();
    const req = new Writer().uint32(10).bytes(new Writer().uint32(18).bytes(new Writer().uint32(18).bytes(metric).finish()).finish()).finish();
    assert.match(onlyError(req), /metrics\[0\]\.gauge\.dataPoints\[0\]\.timeUnixNano: wire type 0 \(varint\) for a field declared fixed64, which needs fixed64/);
  });

  it('AnyValue nested 200 deep', () => {
    // protobufjs's fromObject refuses this depth too: AnyValue{kvlist_value: {values: [{key, value: …}]}} by hand
    let v = new Writer().uint32((1 << 3) | 2).string('x').finish();
    for (let i = 0; i < 200; i++) {
      const kv = new Writer().uint32((1 << 3) | 2).string('k').uint32((2 << 3) | 2).bytes(v).finish();
      const list = new Writer().uint32((1 << 3) | 2).bytes(kv).finish();
      v = new Writer().uint32((6 << 3) | 2).bytes(list).finish();
    }
    const attr = new Writer().uint32((1 << 3) | 2).string('deep').uint32((2 << 3) | 2).bytes(v).finish();
    const resource = new Writer().uint32((1 << 3) | 2).bytes(attr).finish();
    const req = new Writer().uint32(10).bytes(new Writer().uint32(10).bytes(resource).finish()).finish();
    assert.match(onlyError(req), /malformed OTLP protobuf.*max depth exceeded/);
  });

  it('invalid UTF-8 in a string', () => {
    const metric = new Writer().uint32((1 << 3) | 2).bytes(Buffer.from([0x67, 0xff, 0xfe])).finish();
    const req = new Writer().uint32(10).bytes(new Writer().uint32(18).bytes(new Writer().uint32(18).bytes(metric).finish()).finish()).finish();
    assert.match(onlyError(req), /malformed OTLP protobuf/);
  });

  it('random bytes after a 0x0a never throw', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
    for (let k = 0; k < 2000; k++) {
      const b = Buffer.alloc(1 + (k % 64));
      b[0] = 0x0a;
      for (let i = 1; i < b.length; i++) b[i] = rnd();
      const r = decodeOtlpProto(b, at);
      for (const e of r.errors) assert.equal(e.code, 'BAD_INPUT');
    }
  });

  it('unknown fields (a newer opentelemetry-proto) are skipped', () => {
    const extra = new Writer().uint32((99 << 3) | 2).string('future').finish();
    const r = decodeOtlpProto(Buffer.concat([good, extra]), at);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(pointsOf(r.values, 'g'), [[T0, 1]]);
  });
});

describe('formats/otlp/proto-plain: 64-bit integers as decimal text', () => {
  it('matches Long#toString for unsigned and signed values across the range', () => {
    let seed = 11;
    const rnd32 = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) | 0) >>> 0);
    const cases: Long[] = [Long.UZERO, Long.MAX_UNSIGNED_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.NEG_ONE, Long.fromString('1714564800000000000', true), Long.fromNumber(2 ** 53, true), Long.fromNumber(2 ** 53 - 1, true)];
    for (let i = 0; i < 5000; i++) cases.push(Long.fromBits(rnd32(), rnd32() >>> (i % 32), i % 3 !== 0));
    for (const l of cases) assert.equal(longText(l), l.toString(), `${l.high}:${l.low}:${l.unsigned}`);
    assert.equal(longText(42), '42');
  });
});
