import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { makeSeries } from '../../../src/domain/series';
import { newLabels } from '../../../src/domain/text';
import { createRateState, decodeOtlpRequest } from '../../../src/formats';
import { ns, request, T0 } from './helpers';

/**
 * What a live series costs depends on V8 details that no result shows: these pin the ones that
 * cost hundreds of bytes per series when they regressed (bench/pipeline/memory.ts measures the sum).
 */
setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8 intrinsics parse only in code compiled after the flag is set
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;

describe('series identities are compact on the V8 heap', () => {
  it('series with a unit share one hidden class (a spread copy got one of its own: about 250 bytes per series)', () => {
    // Many label shapes, as a real stream has: the spread's copy then stopped sharing maps.
    const refs = Array.from({ length: 40 }, (_, i) => makeSeries(`m${i}`, { 'service.name': 'a', [`k${i % 7}`]: String(i) }, undefined, 'By'));
    for (const r of refs) assert.ok(haveSameMap(r, refs[0] as object), r.id);
    assert.ok(haveSameMap(makeSeries('m', {}), makeSeries('n', { y: '2' })));
  });

  it('labels are a fast-mode object without a prototype (dictionary mode cost about 280 bytes for four labels)', () => {
    const l = newLabels();
    l['service.name'] = 's';
    l['__proto__'] = 'kept';
    assert.ok(hasFastProperties(l));
    assert.equal(Object.getPrototypeOf(l), null);
    assert.deepEqual(Object.keys(l), ['service.name', '__proto__']);
    const ref = makeSeries('m', l);
    assert.ok(hasFastProperties(ref.labels));
    assert.equal(ref.labels['__proto__'], 'kept');
  });

  it('keeps its series identities with exactly maxSeries live series (they were rebuilt, and kept twice, every round)', () => {
    const rates = createRateState(2);
    const req = (i: number) => request([{ name: 'a', gauge: { dataPoints: [{ timeUnixNano: ns(T0 + i * 1000), asDouble: i }] } }, { name: 'b', gauge: { dataPoints: [{ timeUnixNano: ns(T0 + i * 1000), asDouble: i }] } }]);
    const first = decodeOtlpRequest(req(0), {}, rates).values.map((s) => s.series);
    const again = decodeOtlpRequest(req(1), {}, rates).values.map((s) => s.series);
    assert.equal(first.length, 2);
    assert.ok(first[0] === again[0] && first[1] === again[1], 'the same SeriesRef objects');
  });

  it('still starts afresh once more than maxSeries series were seen', () => {
    const rates = createRateState(1);
    const req = (name: string) => request([{ name, gauge: { dataPoints: [{ timeUnixNano: ns(T0), asDouble: 1 }] } }]);
    const a = decodeOtlpRequest(req('a'), {}, rates).values[0]?.series;
    decodeOtlpRequest(req('b'), {}, rates);
    decodeOtlpRequest(req('c'), {}, rates);
    const a2 = decodeOtlpRequest(req('a'), {}, rates).values[0]?.series;
    assert.ok(a !== undefined && a2 !== undefined && a !== a2 && a.id === a2.id);
  });
});
