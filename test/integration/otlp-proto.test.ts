import assert from 'node:assert/strict';
import { Writer } from 'protobufjs/light';
import { REQUEST_TYPE } from '../../src/formats/otlp/proto';
import { isolatedDeployment } from './helpers/deployment';
import { otlpStream } from './helpers/otlp';
import { deploymentEnv, RunProcess } from './helpers/runner';
import { waitFor } from './helpers/services';

/**
 * OTLP protobuf through the real service: protobuf and JSON messages on one topic (each
 * recognised by its first bytes), malformed protobuf among them. Every good point is stored,
 * every malformed message is dead-lettered once with its reason, and the consumer keeps going
 * (good messages after the bad ones are stored too).
 */
describe('pipeline (real Kafka + ClickHouse): OTLP protobuf next to OTLP/JSON, malformed protobuf dead-lettered', function () {
  this.timeout(240_000);
  let run: RunProcess | undefined;
  // Registered first: mocha runs after-hooks in order, and the service stops before its database goes.
  after(async () => {
    await run?.stop();
  });
  const dep = isolatedDeployment('e2proto', 2);
  const d = dep.d;

  it('stores both encodings row for row and dead-letters each malformed protobuf message with a reason', async () => {
    const [bus, db] = [dep.bus(), dep.db()];
    const now = Date.now();
    const good = otlpStream({ services: 2, instances: 2, metricsPerInstance: 3, timesPerMessage: 4, messages: 40, start: now - 1_800_000, stepMs: 1000, prefix: 'pb' });
    const asProto = (json: string) => Buffer.from(REQUEST_TYPE.encode(REQUEST_TYPE.fromObject(JSON.parse(json) as object)).finish());
    const encoded = good.map((m, i) => ({ key: m.key, value: i % 2 === 0 ? asProto(m.value) : Buffer.from(m.value) }));
    const sample = asProto(good[0]!.value);
    const metricAsVarint = new Writer().uint32(10).bytes(new Writer().uint32(18).bytes(new Writer().uint32(18).bytes(
      new Writer().uint32(10).string('g').uint32(5 << 3).uint32(1).finish()).finish()).finish()).finish();
    const bad: { key: string; value: Buffer; reason: RegExp }[] = [
      { key: 'bad-truncated', value: sample.subarray(0, sample.length - 5), reason: /malformed OTLP protobuf near byte \d+ of \d+: index out of range/ },
      { key: 'bad-huge-length', value: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x7f, 0x0a]), reason: /malformed OTLP protobuf.*index out of range/ },
      { key: 'bad-wire-type', value: Buffer.from(metricAsVarint), reason: /resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[0\]\.gauge: wire type 0 \(varint\)/ },
      { key: 'bad-not-otlp', value: Buffer.from([0x08, 0x01]), reason: /neither OTLP\/JSON .* nor OTLP protobuf .*: first byte is 0x08/ },
    ];

    run = new RunProcess(deploymentEnv(d), 'otlp-proto');
    await run.ready();
    const half = encoded.length / 2;
    await bus.produce(d.metrics, encoded.slice(0, half));
    await bus.produce(d.metrics, bad);
    await bus.produce(d.metrics, encoded.slice(half));

    const expected = good.flatMap((m) => rowsOf(m.value)).sort();
    const letters = await bus.readAll(d.deadLetter, bad.length, 90_000);
    await waitFor('good points stored', () => db.points(), (n) => n >= expected.length, 90_000);
    const stored = await db.rows(`SELECT service, metric, t_ms, value FROM ${d.database}.points FINAL ORDER BY service, metric, t_ms`);
    assert.deepEqual(stored.map((r) => [r['service'], r['metric'], r['t_ms'], r['value']].map(String).join('|')).sort(), expected);

    assert.equal(letters.length, bad.length);
    const byKey = new Map(letters.map((l) => [l.headers['epicenter.source.key'], l]));
    for (const b of bad) {
      const l = byKey.get(b.key);
      assert.ok(l !== undefined, `dead letter for ${b.key}`);
      assert.equal(l.headers['epicenter.code'], 'BAD_INPUT');
      assert.match(l.headers['epicenter.reason'] ?? '', b.reason, `${b.key}: ${l.headers['epicenter.reason']}`);
      assert.match(l.headers['epicenter.reason'] ?? '', new RegExp(`^${d.metrics.replace(/\./g, '\\.')}\\[\\d\\]@\\d+: `));
      assert.deepEqual(l.value, b.value, `${b.key}: original bytes`);
    }
    await waitFor('offsets committed to the end', () => bus.committed(d.groupId, d.metrics), (n) => n === encoded.length + bad.length, 30_000);
    assert.equal(await run.stop(), 0);
  });
});

/** `service|metric|t_ms|value` of every gauge point of an OTLP/JSON request (the expected rows). */
function rowsOf(json: string): string[] {
  type Doc = { resourceMetrics: { resource: { attributes: { key: string; value: { stringValue: string } }[] }; scopeMetrics: { metrics: { name: string; gauge: { dataPoints: { timeUnixNano: string; asDouble: number }[] } }[] }[] }[] };
  const doc = JSON.parse(json) as Doc;
  return doc.resourceMetrics.flatMap((rm) => {
    const service = rm.resource.attributes.find((a) => a.key === 'service.name')!.value.stringValue;
    return rm.scopeMetrics.flatMap((sm) => sm.metrics.flatMap((m) => m.gauge.dataPoints.map((p) => `${service}|${m.name}|${p.timeUnixNano.slice(0, -6)}|${p.asDouble}`)));
  });
}
