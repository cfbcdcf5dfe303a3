import assert from 'node:assert/strict';
import { createRateState, decodeOtlpMetrics, decodeOtlpRequest } from '../../../src/formats';
import { fixture, ns, pointsOf, request, str, T0 } from './helpers';

const MIN = 60_000;
const file = { file: 'm.ndjson' };

describe('formats/otlp: the Collector otlp_json fixture', () => {
  const { values, errors } = decodeOtlpMetrics(fixture('otlp-collector.ndjson'), { file: 'otlp-collector.ndjson' });

  it('decodes without errors', () => assert.deepEqual(errors, []));

  it('non-monotonic sum (string int64) → level, labelled with the resource attributes', () => {
    assert.deepEqual(pointsOf(values, 'process.open_file_descriptors'), [[T0, 200], [T0 + MIN, 500], [T0 + 2 * MIN, 800]]);
    const s = values.find((x) => x.series.metric === 'process.open_file_descriptors')!.series;
    assert.equal(s.service, 'jobs-a');
    assert.equal(s.unit, '{count}');
    assert.deepEqual({ ...s.labels }, { 'service.name': 'jobs-a', 'service.instance.id': 'jobs-a-7f9c', 'host.name': 'node-3', 'process.pid': '4242' });
    assert.equal(s.id, 'process.open_file_descriptors{host.name="node-3",process.pid="4242",service.instance.id="jobs-a-7f9c",service.name="jobs-a"}');
  });

  it('monotonic cumulative sum → per-second rate from the second point, one series per point attribute set', () => {
    assert.deepEqual(pointsOf(values, 'process.cpu.time', ['state', 'user']), [[T0 + MIN, 0.5], [T0 + 2 * MIN, 0.5]]);
    assert.deepEqual(pointsOf(values, 'process.cpu.time', ['state', 'system']), [[T0 + MIN, 0.1], [T0 + 2 * MIN, 0.1]]);
    assert.equal(values.find((x) => x.series.metric === 'process.cpu.time')!.series.unit, 's/s');
  });

  it('gauge with point attributes (server.address) merged into the labels', () => {
    assert.deepEqual(pointsOf(values, 'http.client.open_connections'), [[T0, 10], [T0 + MIN, 50], [T0 + 2 * MIN, 90]]);
    const s = values.find((x) => x.series.metric === 'http.client.open_connections')!.series;
    assert.equal(s.service, 'client-b');
    assert.equal(s.labels['server.address'], 'jobs-a');
    assert.equal(s.labels['service.version'], '2.4.1');
  });

  it('cumulative histogram → <name>.count rate and <name>.mean over each interval', () => {
    assert.deepEqual(pointsOf(values, 'http.client.request.duration.count'), [[T0 + MIN, 100 / 60], [T0 + 2 * MIN, 100 / 60]]);
    assert.deepEqual(pointsOf(values, 'http.client.request.duration.mean'), [[T0 + MIN, 0.2], [T0 + 2 * MIN, 0.2]]);
    assert.equal(values.find((x) => x.series.metric === 'http.client.request.duration.mean')!.series.unit, 's');
  });

  it('a pretty-printed single document decodes like its NDJSON line', () => {
    const one = decodeOtlpMetrics(fixture('otlp-pretty.json'), { file: 'otlp-pretty.json' });
    const firstLine = decodeOtlpMetrics(fixture('otlp-collector.ndjson').split('\n')[0]!, {});
    assert.deepEqual(one.errors, []);
    assert.deepEqual(one.values, firstLine.values);
    assert.equal(one.values.length, 2);
  });

  it('a RateState shared across calls carries counters from one message to the next', () => {
    const rates = createRateState();
    const lines = fixture('otlp-collector.ndjson').trim().split('\n');
    const first = decodeOtlpMetrics(lines[0]!, { topic: 'otlp_metrics' }, rates);
    const second = decodeOtlpMetrics(lines[1]!, { topic: 'otlp_metrics' }, rates);
    assert.deepEqual(pointsOf(first.values, 'process.cpu.time'), []);
    assert.deepEqual(pointsOf(second.values, 'process.cpu.time', ['state', 'user']), [[T0 + MIN, 0.5]]);
  });
});

describe('formats/otlp: values and temporality', () => {
  const sum = (dataPoints: unknown[], extra: object = { aggregationTemporality: 2, isMonotonic: true }) =>
    JSON.stringify(request([{ name: 'c', unit: '{request}', sum: { ...extra, dataPoints } }]));

  it('int64 written as JSON numbers (time, start, asInt) is accepted', () => {
    const doc = request([{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: T0 * 1e6, asInt: 42 }] } }]);
    const r = decodeOtlpRequest(doc, {});
    assert.deepEqual(r.errors, []);
    assert.deepEqual(pointsOf(r.values, 'g'), [[T0, 42]]);
  });

  it('cumulative counter reset (a decrease) restarts from the new value and never goes negative', () => {
    const pts = [100, 160, 20, 80].map((v, i) => ({ timeUnixNano: ns(T0 + i * MIN), asInt: String(v) }));
    const r = decodeOtlpMetrics(sum(pts), file);
    assert.deepEqual(pointsOf(r.values, 'c'), [[T0 + MIN, 1], [T0 + 3 * MIN, 1]]);
  });

  it('a changed startTimeUnixNano is a reset: rate since the new start (and the first point, a minute after its start, a rate since then)', () => {
    const pts = [
      { startTimeUnixNano: ns(T0 - MIN), timeUnixNano: ns(T0), asInt: '500' },
      { startTimeUnixNano: ns(T0 - MIN), timeUnixNano: ns(T0 + MIN), asInt: '560' },
      // restarted 30 s before this point; 900 > 560 so only the start time reveals the reset
      { startTimeUnixNano: ns(T0 + 90_000), timeUnixNano: ns(T0 + 2 * MIN), asInt: '900' },
    ];
    const r = decodeOtlpMetrics(sum(pts), file);
    assert.deepEqual(pointsOf(r.values, 'c'), [[T0, 500 / 60], [T0 + MIN, 1], [T0 + 2 * MIN, 30]]);
  });

  it('a cumulative counter that started minutes before its first point (a new pod) gives a rate since its start; one started long before only sets the reference', () => {
    // A new pod exporting every 5 min: its first point is all there is of its first minutes.
    const young = decodeOtlpMetrics(sum([{ startTimeUnixNano: ns(T0 - 5 * MIN), timeUnixNano: ns(T0), asInt: '600' }, { startTimeUnixNano: ns(T0 - 5 * MIN), timeUnixNano: ns(T0 + 5 * MIN), asInt: '1200' }]), file);
    assert.deepEqual(pointsOf(young.values, 'c'), [[T0, 2], [T0 + 5 * MIN, 2]]);
    // First seen three hours after it started: its lifetime average is no reading of these minutes.
    const old = decodeOtlpMetrics(sum([{ startTimeUnixNano: ns(T0 - 180 * MIN), timeUnixNano: ns(T0), asInt: '600' }, { startTimeUnixNano: ns(T0 - 180 * MIN), timeUnixNano: ns(T0 + MIN), asInt: '720' }]), file);
    assert.deepEqual(pointsOf(old.values, 'c'), [[T0 + MIN, 2]]);
    // Started at the very time of its first point (as some receivers stamp a first sight): nothing to divide by.
    const same = decodeOtlpMetrics(sum([{ startTimeUnixNano: ns(T0), timeUnixNano: ns(T0), asInt: '600' }]), file);
    assert.deepEqual(pointsOf(same.values, 'c'), []);
  });

  describe('an attribute set first seen long after its counter started (errors by status code, on the first failure)', () => {
    const LONG_AGO = ns(T0 - 180 * MIN);
    /** One export per entry at T0 + i × step: [ok count, error count or absent]. */
    const exports = (rows: [number, number | undefined][], step = 5 * MIN, at = (i: number) => T0 + i * step) =>
      rows.map(([ok, err], i) => {
        const point = (code: string, v: number) => ({ startTimeUnixNano: LONG_AGO, timeUnixNano: ns(at(i)), asInt: String(v), attributes: [str('status', code)] });
        const dataPoints = err === undefined ? [point('200', ok)] : [point('200', ok), point('500', err)];
        return JSON.stringify(request([{ name: 'c', unit: '{request}', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints } }]));
      });
    const decodeAll = (lines: string[], rates = createRateState()) => lines.flatMap((l) => decodeOtlpMetrics(l, file, rates).values);

    it('counts from the export before: it was zero then, or the SDK would have sent it', () => {
      const values = decodeAll(exports([[1000, undefined], [1600, undefined], [2200, undefined], [2800, 900], [3400, 1800]]));
      // 900 errors in the 5 minutes before their first point: 3 per second, not nothing.
      assert.deepEqual(pointsOf(values, 'c', ['status', '500']), [[T0 + 15 * MIN, 3], [T0 + 20 * MIN, 3]]);
      assert.deepEqual(pointsOf(values, 'c', ['status', '200']).map(([, v]) => v), [2, 2, 2, 2]);
    });

    it('not before two steps of the resource agree (its first exports, or two pipelines at other moments)', () => {
      // Second export: only one step seen.
      assert.deepEqual(pointsOf(decodeAll(exports([[1000, undefined], [1600, 900], [2200, 1800]])), 'c', ['status', '500']), [[T0 + 10 * MIN, 3]]);
      // Exports 10 s after the others' (another pipeline's points on the same resource): steps of 10 s and 4 min 50 s.
      const uneven = exports([[1000, undefined], [1010, undefined], [1600, undefined], [1610, 900]], 5 * MIN, (i) => T0 + Math.floor(i / 2) * 5 * MIN + (i % 2) * 10_000);
      assert.deepEqual(pointsOf(decodeAll(uneven), 'c', ['status', '500']), []);
    });

    it('not once the rate state is full: a forgotten counter back again would give its lifetime count as one step', () => {
      const values = decodeAll(exports([[1000, undefined], [1600, undefined], [2200, undefined], [2800, 900]]), createRateState(1));
      assert.deepEqual(pointsOf(values, 'c', ['status', '500']), []);
    });

    it('a start stamped at the point itself (the Prometheus receiver\'s first sight of a series) is no start: it counts from the export before too', () => {
      const lines = exports([[1000, undefined], [1600, undefined], [2200, undefined]]);
      const sight = request([{ name: 'c', unit: '{request}', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ startTimeUnixNano: ns(T0 + 15 * MIN), timeUnixNano: ns(T0 + 15 * MIN), asInt: '900', attributes: [str('status', '500')] }] } }]);
      assert.deepEqual(pointsOf(decodeAll([...lines, JSON.stringify(sight)]), 'c', ['status', '500']), [[T0 + 15 * MIN, 3]]);
    });

    it('a counter that started after the export before counts from its start', () => {
      const lines = exports([[1000, undefined], [1600, undefined], [2200, undefined]]);
      const late = request([{ name: 'c', unit: '{request}', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ startTimeUnixNano: ns(T0 + 14 * MIN), timeUnixNano: ns(T0 + 15 * MIN), asInt: '60', attributes: [str('status', '500')] }] } }]);
      assert.deepEqual(pointsOf(decodeAll([...lines, JSON.stringify(late)]), 'c', ['status', '500']), [[T0 + 15 * MIN, 1]]);
    });
  });

  it('the enum name AGGREGATION_TEMPORALITY_CUMULATIVE is accepted', () => {
    const pts = [0, 1].map((i) => ({ timeUnixNano: ns(T0 + i * MIN), asDouble: 60 * i }));
    const r = decodeOtlpMetrics(sum(pts, { aggregationTemporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE', isMonotonic: true }), file);
    assert.deepEqual(pointsOf(r.values, 'c'), [[T0 + MIN, 1]]);
  });

  it('delta monotonic sum → value / (t − start) per second', () => {
    const r = decodeOtlpMetrics(sum([{ startTimeUnixNano: ns(T0 - MIN), timeUnixNano: ns(T0), asInt: '120' }], { aggregationTemporality: 1, isMonotonic: true }), file);
    assert.deepEqual(pointsOf(r.values, 'c'), [[T0, 2]]);
    assert.equal(r.values[0]!.series.unit, '{request}/s');
  });

  it('non-monotonic sum → level, whatever its temporality', () => {
    const r = decodeOtlpMetrics(sum([{ timeUnixNano: ns(T0), asInt: '-7' }], { aggregationTemporality: 2 }), file);
    assert.deepEqual(pointsOf(r.values, 'c'), [[T0, -7]]);
    assert.equal(r.values[0]!.series.unit, '{request}');
  });

  it('delta histogram → count / interval and sum / count', () => {
    const doc = request([{ name: 'h', unit: 'ms', histogram: { aggregationTemporality: 1, dataPoints: [{ startTimeUnixNano: ns(T0 - 10_000), timeUnixNano: ns(T0), count: '50', sum: 250 }] } }]);
    const r = decodeOtlpRequest(doc, {});
    assert.deepEqual(pointsOf(r.values, 'h.count'), [[T0, 5]]);
    assert.deepEqual(pointsOf(r.values, 'h.mean'), [[T0, 5]]);
  });

  it('exponential histogram and summary are decoded like histograms', () => {
    const p = (i: number) => ({ startTimeUnixNano: ns(T0 - MIN), timeUnixNano: ns(T0 + i * MIN), count: String(10 + 60 * i), sum: 10 + 120 * i });
    const doc = request([
      { name: 'e', exponentialHistogram: { aggregationTemporality: 2, dataPoints: [p(0), p(1)] } },
      { name: 's', summary: { dataPoints: [p(0), p(1)] } },
    ]);
    const r = decodeOtlpRequest(doc, {});
    assert.deepEqual(r.errors, []);
    assert.deepEqual(pointsOf(r.values, 'e.count'), [[T0, 10 / 60], [T0 + MIN, 1]]);
    assert.deepEqual(pointsOf(r.values, 's.mean'), [[T0, 1], [T0 + MIN, 2]]);
  });

  it('point attributes win over resource attributes on a clash; AnyValue kinds are stringified', () => {
    const attrs = [
      str('host.name', 'from-point'),
      { key: 'ok', value: { boolValue: true } },
      { key: 'ratio', value: { doubleValue: 0.5 } },
      { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'x', value: { stringValue: 'y' } }] } } },
      { key: 'raw', value: { bytesValue: 'AQI=' } },
    ];
    const doc = request([{ name: 'g', gauge: { dataPoints: [{ attributes: attrs, timeUnixNano: ns(T0), asDouble: 1 }] } }], [str('service.name', 'svc'), str('host.name', 'from-resource')]);
    const labels = decodeOtlpRequest(doc, {}).values[0]!.series.labels;
    assert.deepEqual({ ...labels }, { 'service.name': 'svc', 'host.name': 'from-point', ok: 'true', ratio: '0.5', tags: '["a",2]', kv: '{"x":"y"}', raw: 'AQI=' });
  });

  it('a resource without service.name belongs to service "unknown"', () => {
    const doc = request([{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: ns(T0), asDouble: 1 }] } }], []);
    assert.equal(decodeOtlpRequest(doc, {}).values[0]!.series.service, 'unknown');
  });

  it('without service.name (or with an SDK\'s default), the Kubernetes workload names the service, as kubeletstats reports pods', () => {
    const serviceOf = (attrs: ReturnType<typeof str>[]) => decodeOtlpRequest(request([{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: ns(T0), asDouble: 1 }] } }], attrs), {}).values[0]!.series.service;
    const pod = [str('k8s.namespace.name', 'shop'), str('k8s.pod.name', 'checkout-7d9f8c6b5-x2x4q')];
    assert.equal(serviceOf([...pod, str('k8s.deployment.name', 'checkout'), str('k8s.replicaset.name', 'checkout-7d9f8c6b5')]), 'checkout');
    // A ReplicaSet alone: its pod-template hash (a new one each release) is not part of the service.
    assert.equal(serviceOf([...pod, str('k8s.replicaset.name', 'checkout-7d9f8c6b5')]), 'checkout');
    assert.equal(serviceOf([str('k8s.replicaset.name', 'frontend-canary')]), 'frontend-canary', 'no hash to drop');
    assert.equal(serviceOf([str('k8s.statefulset.name', 'orders-db'), str('k8s.pod.name', 'orders-db-0')]), 'orders-db');
    assert.equal(serviceOf([str('service.name', 'unknown_service:java'), str('k8s.deployment.name', 'payments')]), 'payments');
    assert.equal(serviceOf([str('service.name', 'payments-api'), str('k8s.deployment.name', 'payments')]), 'payments-api', 'service.name wins');
    assert.equal(serviceOf([str('service.name', 'unknown_service')]), 'unknown_service');
    assert.equal(serviceOf(pod), 'unknown', 'not one service per pod');
  });

  it('a point flagged FLAG_NO_RECORDED_VALUE is skipped without an error', () => {
    const doc = request([{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: ns(T0), flags: 1 }, { timeUnixNano: ns(T0 + MIN), asDouble: 3 }] } }]);
    const r = decodeOtlpRequest(doc, {});
    assert.deepEqual(r.errors, []);
    assert.deepEqual(pointsOf(r.values, 'g'), [[T0 + MIN, 3]]);
  });
});
