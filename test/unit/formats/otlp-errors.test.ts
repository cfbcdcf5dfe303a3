import assert from 'node:assert/strict';
import { createRateState, decodeOtlpMetrics, decodeOtlpRequest, type Origin } from '../../../src/formats';
import { ns, pointsOf, request, T0 } from './helpers';

const M = 'resourceMetrics[0].scopeMetrics[0].metrics';
const gauge = (dataPoints: unknown[]) => request([{ name: 'g', gauge: { dataPoints } }]);
const ok = (i: number, v = i) => ({ timeUnixNano: ns(T0 + i * 1000), asDouble: v });

/** Decodes `bad` placed between two good points and returns the one error, checking the siblings survived. */
function onlyError(bad: unknown, origin: Origin = { file: 'm.ndjson' }) {
  const r = decodeOtlpMetrics(JSON.stringify(gauge([ok(0), bad, ok(2)])), origin);
  assert.deepEqual(pointsOf(r.values, 'g'), [[T0, 0], [T0 + 2000, 2]], 'the good siblings are still decoded');
  assert.equal(r.errors.length, 1, r.errors.map((e) => e.describe()).join('\n'));
  const e = r.errors[0]!;
  assert.equal(e.code, 'BAD_INPUT');
  assert.equal(e.retriable, false);
  return e;
}

describe('formats/otlp: bad records name the line and the field, the rest is still decoded', () => {
  it('asDouble "NaN" (a legal protobuf JSON string) is rejected', () => {
    const e = onlyError({ timeUnixNano: ns(T0 + 1000), asDouble: 'NaN' });
    assert.deepEqual(e.origin, { file: 'm.ndjson', line: 1, field: `${M}[0].gauge.dataPoints[1].asDouble` });
    assert.match(e.message, /NaN/);
  });

  it('asDouble "Infinity" is rejected', () => {
    assert.match(onlyError({ timeUnixNano: ns(T0 + 1000), asDouble: '-Infinity' }).message, /infinite/);
  });

  it('asInt that is not an integer is rejected', () => {
    const e = onlyError({ timeUnixNano: ns(T0 + 1000), asInt: '12x' });
    assert.equal(e.origin.field, `${M}[0].gauge.dataPoints[1].asInt`);
  });

  it('an absurd magnitude (|v| > 1e15) is rejected', () => {
    assert.match(onlyError({ timeUnixNano: ns(T0 + 1000), asDouble: 3e17 }).message, /1e15/);
  });

  it('a point with no value is rejected naming the point', () => {
    assert.equal(onlyError({ timeUnixNano: ns(T0 + 1000) }).origin.field, `${M}[0].gauge.dataPoints[1]`);
  });

  it('a timestamp before 2000 (seconds written as nanoseconds) is rejected', () => {
    const e = onlyError({ timeUnixNano: String(T0 / 1000), asDouble: 1 });
    assert.equal(e.origin.field, `${M}[0].gauge.dataPoints[1].timeUnixNano`);
    assert.match(e.message, /before 2000/);
  });

  it('a non-numeric timeUnixNano is rejected', () => {
    assert.equal(onlyError({ timeUnixNano: '2024-05-01', asDouble: 1 }).origin.field, `${M}[0].gauge.dataPoints[1].timeUnixNano`);
  });

  it('more than 1 day after Origin.now is rejected; without now there is no future check', () => {
    const future = { timeUnixNano: ns(T0 + 2 * 86_400_000), asDouble: 1 };
    const e = onlyError(future, { file: 'm.ndjson', now: T0 });
    assert.match(e.message, /future/);
    assert.deepEqual(decodeOtlpRequest(gauge([future]), {}).errors, []);
  });

  it('a malformed attribute names the attribute', () => {
    const e = onlyError({ timeUnixNano: ns(T0 + 1000), asDouble: 1, attributes: [{ key: 'a', value: { stringValue: 'x' } }, { value: { stringValue: 'y' } }] });
    assert.equal(e.origin.field, `${M}[0].gauge.dataPoints[1].attributes[1].key`);
  });

  it('an empty metric name loses that metric only', () => {
    const doc = request([{ name: 'a', gauge: { dataPoints: [ok(0)] } }, { name: '  ', gauge: { dataPoints: [ok(0)] } }, { name: 'c', gauge: { dataPoints: [ok(0)] } }]);
    const r = decodeOtlpRequest(doc, { topic: 'otlp_metrics', partition: 3, offset: '1234' });
    assert.deepEqual(r.values.map((s) => s.series.metric), ['a', 'c']);
    assert.equal(r.errors.length, 1);
    assert.deepEqual(r.errors[0]!.origin, { topic: 'otlp_metrics', partition: 3, offset: '1234', field: `${M}[1].name` });
    assert.equal(r.errors[0]!.describe(), `otlp_metrics[3]@1234: ${M}[1].name: metric name is empty`);
  });

  it('dataPoints that is not a list is named by zod', () => {
    const r = decodeOtlpRequest(request([{ name: 'g', gauge: { dataPoints: {} } }]), {});
    assert.equal(r.errors[0]!.origin.field, `${M}[0].gauge.dataPoints`);
  });

  it('an unknown aggregationTemporality is rejected naming it', () => {
    const r = decodeOtlpRequest(request([{ name: 's', sum: { aggregationTemporality: 7, isMonotonic: true, dataPoints: [ok(0)] } }]), {});
    assert.equal(r.errors[0]!.origin.field, `${M}[0].sum.aggregationTemporality`);
    assert.match(r.errors[0]!.message, /delta|cumulative/);
  });

  it('a monotonic sum without temporality cannot become a rate', () => {
    const r = decodeOtlpRequest(request([{ name: 's', sum: { isMonotonic: true, dataPoints: [ok(0)] } }]), {});
    assert.equal(r.errors[0]!.origin.field, `${M}[0].sum.aggregationTemporality`);
  });

  it('a delta sum point without a start time is rejected naming startTimeUnixNano', () => {
    const r = decodeOtlpRequest(request([{ name: 's', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [ok(0)] } }]), {});
    assert.equal(r.errors[0]!.origin.field, `${M}[0].sum.dataPoints[0].startTimeUnixNano`);
  });

  it('a metric with no data is reported', () => {
    const r = decodeOtlpRequest(request([{ name: 'empty', unit: '1' }]), {});
    assert.equal(r.errors[0]!.origin.field, `${M}[0]`);
  });

  it('a histogram count that is not an unsigned integer is rejected naming count', () => {
    const r = decodeOtlpRequest(request([{ name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: ns(T0), count: '-1', sum: 1 }] } }]), {});
    assert.equal(r.errors[0]!.origin.field, `${M}[0].histogram.dataPoints[0].count`);
  });

  it('resourceMetrics that is not a list, or a request that is not an object, is one error', () => {
    assert.equal(decodeOtlpRequest({ resourceMetrics: 5 }, {}).errors[0]!.origin.field, 'resourceMetrics');
    assert.equal(decodeOtlpRequest([1, 2], {}).errors.length, 1);
    assert.deepEqual(decodeOtlpRequest({}, {}), { values: [], errors: [], held: 0 });
  });

  it('NDJSON: a line that is not JSON is reported by line number; blank lines are skipped; other lines decode', () => {
    const good = JSON.stringify(gauge([ok(0)]));
    const text = `${good}\n\n{"resourceMetrics": [\n${good}\n`;
    const r = decodeOtlpMetrics(text, { file: 'm.ndjson', line: 10 });
    assert.equal(r.values.length, 2);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.origin.line, 12);
    assert.match(r.errors[0]!.describe(), /^m\.ndjson:12: invalid JSON/);
  });

  it('NDJSON whose first line is corrupt still decodes the other lines (regression: was taken for one broken document)', () => {
    const good = JSON.stringify(gauge([ok(0)]));
    const r = decodeOtlpMetrics(`{"resourceMetrics":[{\n${good}\n${good}\n`, { file: 'm.ndjson' });
    assert.equal(r.values.length, 2);
    assert.deepEqual(r.errors.map((e) => e.origin.line), [1]);
  });

  it('a pretty-printed document with a syntax error names the line of the error', () => {
    const text = '{\n  "resourceMetrics": [\n    {,}\n  ]\n}\n';
    const r = decodeOtlpMetrics(text, { file: 'p.json' });
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.origin.line, 3);
  });
});

describe('formats/otlp: RateState', () => {
  it('is bounded: the first-remembered counter is forgotten first', () => {
    const rates = createRateState(2);
    const pt = (name: string, i: number) => request([{ name, sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ timeUnixNano: ns(T0 + i * 1000), asInt: String(i) }] } }]);
    for (const n of ['a', 'b', 'c']) decodeOtlpRequest(pt(n, 0), {}, rates);
    assert.equal(rates.size, 2);
    // 'a' was forgotten: its next point is a first point again; 'c' still has its previous point
    assert.deepEqual(decodeOtlpRequest(pt('a', 1), {}, rates).values, []);
    assert.equal(decodeOtlpRequest(pt('c', 1), {}, rates).values.length, 1);
  });

  it('rejects a non-positive bound', () => {
    assert.throws(() => createRateState(0), RangeError);
  });

  it('ignores a duplicate or older point of a counter instead of emitting a negative or infinite rate', () => {
    const pts = [0, 2, 1, 2, 3].map((i) => ({ timeUnixNano: ns(T0 + i * 1000), asInt: String(10 * i) }));
    const r = decodeOtlpRequest(request([{ name: 'c', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: pts } }]), {});
    assert.deepEqual(pointsOf(r.values, 'c'), [[T0 + 2000, 10], [T0 + 3000, 10]]);
  });
});
