import { EpicenterError } from '../../../src/errors';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/config/load';
import { REQUEST_TYPE } from '../../../src/formats/otlp/proto';
import { createProcessor } from '../../../src/pipeline/processor';
import type { BusMessage } from '../../../src/pipeline/types';
import { otlpGauges } from './otlp';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);

const asProto = (json: string): Buffer => Buffer.from(REQUEST_TYPE.encode(REQUEST_TYPE.fromObject(JSON.parse(json) as object)).finish());

function msg(value: Buffer, offset: number, headers?: Record<string, string>): BusMessage {
  return { offset: String(offset), key: null, value, timestamp: NOW, ...(headers === undefined ? {} : { headers }) };
}

describe('pipeline processor: OTLP protobuf next to OTLP/JSON', () => {
  it('stores protobuf and JSON messages of one partition; a malformed one is dead-lettered and the rest go on', () => {
    const p = createProcessor({ now: () => NOW });
    const good = asProto(otlpGauges('a', [{ metric: 'fds', t: NOW - 3000, v: 10 }]));
    const rows = p.process({
      kind: 'otlp', topic: 'otlp_metrics', partition: 1,
      messages: [
        msg(good, 0),
        msg(good.subarray(0, good.length - 3), 1),
        msg(Buffer.from(otlpGauges('a', [{ metric: 'fds', t: NOW - 2000, v: 11 }])), 2),
        msg(asProto(otlpGauges('a', [{ metric: 'fds', t: NOW - 1000, v: 12 }])), 3),
      ],
    });
    assert.deepEqual(rows.samples.map((s) => s.v), [10, 11, 12]);
    assert.equal(rows.deadLetters.length, 1);
    const d = rows.deadLetters[0]!;
    assert.equal(d.offset, '1');
    assert.equal(d.code, 'BAD_INPUT');
    assert.match(d.reason, /^otlp_metrics\[1\]@1: malformed OTLP protobuf near byte \d+ of \d+: index out of range/);
    assert.deepEqual(d.value, good.subarray(0, good.length - 3));
  });

  it('kafka.metricsEncoding otlp_json refuses protobuf bytes as bad JSON; a content-type header overrides it', () => {
    const p = createProcessor({ now: () => NOW, metricsEncoding: 'otlp_json' });
    const bytes = asProto(otlpGauges('a', [{ metric: 'fds', t: NOW - 1000, v: 1 }]));
    const rows = p.process({ kind: 'otlp', topic: 't', partition: 0, messages: [msg(bytes, 0), msg(bytes, 1, { 'content-type': 'application/x-protobuf' })] });
    assert.equal(rows.deadLetters.length, 1);
    assert.equal(rows.deadLetters[0]!.offset, '0');
    assert.equal(rows.samples.length, 1);
  });

  it('kafka.metricsEncoding: auto by default, EPICENTER_KAFKA_METRICS_ENCODING sets it, anything else is refused', () => {
    assert.equal(loadConfig([], {}).kafka.metricsEncoding, 'auto');
    assert.equal(loadConfig(['config/default.yaml'], {}).kafka.metricsEncoding, 'auto');
    assert.equal(loadConfig([], { EPICENTER_KAFKA_METRICS_ENCODING: 'otlp_proto' }).kafka.metricsEncoding, 'otlp_proto');
    assert.throws(() => loadConfig([], { EPICENTER_KAFKA_METRICS_ENCODING: 'protobuf' }), (e: unknown) => e instanceof EpicenterError && /EPICENTER_KAFKA_METRICS_ENCODING: kafka\.metricsEncoding/.test(e.describe()));
  });
});
