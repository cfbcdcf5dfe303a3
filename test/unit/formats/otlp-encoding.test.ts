import assert from 'node:assert/strict';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, AggregationType, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { createRateState, decodeOtlpMessage, otlpEncodingOf } from '../../../src/formats';

const at = { topic: 'otlp_metrics', partition: 0, offset: '7' };
const json = Buffer.from('{"resourceMetrics":[]}');
const proto = Buffer.from([0x0a, 0x00]);

describe('formats/otlp: which encoding a message is in', () => {
  it('the content-type header decides first', () => {
    assert.deepEqual(otlpEncodingOf(json, 'application/x-protobuf', 'otlp_json'), { encoding: 'otlp_proto' });
    assert.deepEqual(otlpEncodingOf(proto, 'application/json; charset=utf-8', 'otlp_proto'), { encoding: 'otlp_json' });
    const r = otlpEncodingOf(json, 'text/plain', 'auto');
    assert.ok('problem' in r && r.field === 'headers.content-type' && /text\/plain/.test(r.problem));
  });

  it('then the topic setting, then the first bytes', () => {
    assert.deepEqual(otlpEncodingOf(json, undefined, 'otlp_proto'), { encoding: 'otlp_proto' });
    assert.deepEqual(otlpEncodingOf(json, undefined, 'auto'), { encoding: 'otlp_json' });
    assert.deepEqual(otlpEncodingOf(proto, undefined, 'auto'), { encoding: 'otlp_proto' });
    assert.deepEqual(otlpEncodingOf(Buffer.from(' \t{"a":1}'), undefined, 'auto'), { encoding: 'otlp_json' });
    assert.deepEqual(otlpEncodingOf(Buffer.from('\n\n{ "resourceMetrics": []}'), undefined, 'auto'), { encoding: 'otlp_json' });
    assert.deepEqual(otlpEncodingOf(Buffer.from('\n{}'), undefined, 'auto'), { encoding: 'otlp_json' });
    // 0x0a, length 0x7b ("{"), then a ResourceMetrics tag: protobuf, though it looks like "\n{"
    assert.deepEqual(otlpEncodingOf(Buffer.from([0x0a, 0x7b, 0x12, 0x00]), undefined, 'auto'), { encoding: 'otlp_proto' });
    const r = otlpEncodingOf(Buffer.from('hello'), undefined, 'auto');
    assert.ok('problem' in r && /first byte is 0x68/.test(r.problem));
  });

  it('a header name in any case counts; the decoder reports a refused content-type with its origin', () => {
    const r = decodeOtlpMessage(json, at, createRateState(), { 'Content-Type': 'text/csv' }, 'auto');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!.describe(), /otlp_metrics\[0\]@7: headers\.content-type: content-type "text\/csv"/);
  });
});

/** Collects whatever the SDK's meters recorded, on demand. */
class Collect extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

describe('formats/otlp: the OpenTelemetry JS SDK\'s own encoders agree with both decoders', () => {
  async function record(temporality: AggregationTemporality): Promise<ResourceMetrics[]> {
    const reader = new Collect({ aggregationTemporalitySelector: () => temporality });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'sdk-svc', 'host.name': 'h1' }),
      readers: [reader],
      views: [{ instrumentName: 'lat.exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    });
    const meter = provider.getMeter('t');
    const requests = meter.createCounter('requests', { unit: '{request}' });
    const inflight = meter.createUpDownCounter('inflight');
    const lat = meter.createHistogram('lat', { unit: 'ms' });
    const latExp = meter.createHistogram('lat.exp', { unit: 'ms' });
    meter.createObservableGauge('fds').addCallback((o) => o.observe(42, { pid: '7' }));
    const out: ResourceMetrics[] = [];
    for (let round = 0; round < 3; round++) {
      requests.add(10 + round, { route: '/a' });
      inflight.add(round - 1);
      for (const v of [1, 5, 20 + round]) {
        lat.record(v);
        latExp.record(v);
      }
      // A delta point must span time: its rate is value / (t − start).
      await new Promise((r) => setTimeout(r, 5));
      out.push((await reader.collect()).resourceMetrics);
    }
    await provider.shutdown();
    return out;
  }

  for (const temporality of [AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA]) {
    it(`${temporality === AggregationTemporality.DELTA ? 'delta' : 'cumulative'}: same samples from otlp_proto and otlp_json`, async () => {
      const rounds = await record(temporality);
      const [pr, jr] = [createRateState(), createRateState()];
      let n = 0;
      const metrics = new Set<string>();
      for (const rm of rounds) {
        const p = decodeOtlpMessage(Buffer.from(ProtobufMetricsSerializer.serializeRequest(rm)!), at, pr, undefined, 'auto');
        const j = decodeOtlpMessage(Buffer.from(JsonMetricsSerializer.serializeRequest(rm)!), at, jr, undefined, 'auto');
        assert.deepEqual(p.errors, []);
        assert.deepEqual(j.errors, []);
        assert.deepEqual(p.values, j.values);
        n += p.values.length;
        for (const v of p.values) metrics.add(v.series.metric);
        assert.ok(p.values.every((v) => v.series.service === 'sdk-svc'));
      }
      assert.ok(n > 10, `only ${n} samples`);
      assert.deepEqual([...metrics].sort(), ['fds', 'inflight', 'lat.count', 'lat.exp.count', 'lat.exp.mean', 'lat.mean', 'requests']);
    });
  }
});
