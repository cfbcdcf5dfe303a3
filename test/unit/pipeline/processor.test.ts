import assert from 'node:assert/strict';
import { createProcessor } from '../../../src/pipeline/processor';
import type { BusBatch, BusMessage, MessageKind } from '../../../src/pipeline/types';
import { cloudEvent, kv, otlpGauges } from './otlp';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);

function msg(value: string | null, offset: number, extra: Partial<BusMessage> = {}): BusMessage {
  return { offset: String(offset), key: null, value: value === null ? null : Buffer.from(value), timestamp: NOW, ...extra };
}

function batch(kind: MessageKind, messages: BusMessage[]): BusBatch {
  return { kind, topic: 'metrics', partition: 3, messages };
}

describe('pipeline processor', () => {
  it('stores every good point and dead-letters nothing', () => {
    const p = createProcessor({ now: () => NOW });
    const rows = p.process(batch('otlp', [msg(otlpGauges('a', [{ metric: 'fds', t: NOW - 2000, v: 10 }, { metric: 'conns', t: NOW - 2000, v: 3 }]), 0), msg(otlpGauges('a', [{ metric: 'fds', t: NOW - 1000, v: 11 }]), 1)]));
    assert.equal(rows.samples.length, 3);
    assert.equal(rows.deadLetters.length, 0);
    assert.equal(p.stats().liveSeries, 2);
  });

  it('shares one SeriesRef per series across messages (memory of buffered rows)', () => {
    const p = createProcessor({ now: () => NOW });
    const rows = p.process(batch('otlp', [msg(otlpGauges('a', [{ metric: 'fds', t: NOW - 2000, v: 10 }]), 0), msg(otlpGauges('a', [{ metric: 'fds', t: NOW - 1000, v: 11 }]), 1)]));
    assert.equal(rows.samples[0]?.series, rows.samples[1]?.series);
  });

  it('dead-letters bad JSON with the original bytes and the origin', () => {
    const p = createProcessor({ now: () => NOW });
    const rows = p.process(batch('otlp', [msg('{"resourceMetrics": [', 7)]));
    assert.equal(rows.samples.length, 0);
    const d = rows.deadLetters[0];
    assert.ok(d !== undefined);
    assert.equal(d.code, 'BAD_INPUT');
    assert.equal(d.offset, '7');
    assert.equal(d.partition, 3);
    assert.equal(d.value.toString(), '{"resourceMetrics": [');
    assert.match(d.reason, /metrics\[3\]@7/);
  });

  it('keeps the good points of a partly bad message and dead-letters it once with the count', () => {
    const p = createProcessor({ now: () => NOW });
    const text = otlpGauges('a', [{ metric: 'fds', t: NOW - 1000, v: 10 }, { metric: 'old', t: NOW - 40 * 86_400_000, v: 1 }, { metric: 'older', t: NOW - 41 * 86_400_000, v: 1 }]);
    const rows = p.process(batch('otlp', [msg(text, 0)]));
    assert.equal(rows.samples.length, 1);
    assert.equal(rows.deadLetters.length, 1);
    assert.equal(rows.deadLetters[0]?.rejected, 2);
    assert.equal(rows.deadLetters[0]?.accepted, 1);
    assert.match(rows.deadLetters[0]?.reason ?? '', /older than the retention.*\+1 more/);
  });

  it('dead-letters oversized, empty and record-less messages without decoding them', () => {
    const p = createProcessor({ now: () => NOW, maxMessageBytes: 2048 });
    const big = otlpGauges('a', Array.from({ length: 50 }, (_, i) => ({ metric: `m${i}`, t: NOW - 1000, v: i })));
    const rows = p.process(batch('otlp', [msg(big, 0), msg(null, 1), msg('{"resourceMetrics":[]}', 2)]));
    assert.equal(rows.samples.length, 0);
    assert.deepEqual(rows.deadLetters.map((d) => d.offset), ['0', '1', '2']);
    assert.match(rows.deadLetters[0]?.reason ?? '', /exceeds kafka.maxMessageBytes/);
    assert.match(rows.deadLetters[1]?.reason ?? '', /empty message/);
    assert.match(rows.deadLetters[2]?.reason ?? '', /no records/);
  });

  it("regression: a message holding only cumulative counters' first readings is no bad input (was: dead-lettered 'holds no records', as every span-metrics Collector's first export)", () => {
    const p = createProcessor({ now: () => NOW });
    // Counters running for an hour before this consumer first reads them: the first reading is only a reference.
    const START = String(BigInt(NOW - 3_600_000) * 1_000_000n);
    const calls = (t: number, v: number): string => JSON.stringify({
      resourceMetrics: [{
        resource: { attributes: [kv('service.name', 'api')] },
        scopeMetrics: [{ metrics: [
          { name: 'traces.span.metrics.calls', sum: { isMonotonic: true, aggregationTemporality: 2, dataPoints: [{ startTimeUnixNano: START, timeUnixNano: String(BigInt(t) * 1_000_000n), asInt: String(v) }] } },
          { name: 'traces.span.metrics.duration', unit: 'ms', histogram: { aggregationTemporality: 2, dataPoints: [{ startTimeUnixNano: START, timeUnixNano: String(BigInt(t) * 1_000_000n), count: String(v), sum: 50 * v }] } },
        ] }],
      }],
    });
    const first = p.process(batch('otlp', [msg(calls(NOW - 2000, 10), 0)]));
    assert.deepEqual([first.samples.length, first.deadLetters.length], [0, 0]);
    const next = p.process(batch('otlp', [msg(calls(NOW - 1000, 30), 1)]));
    assert.deepEqual(next.samples.map((x) => [x.series.metric, x.v]), [['traces.span.metrics.calls', 20], ['traces.span.metrics.duration.count', 20], ['traces.span.metrics.duration.mean', 50]]);
    assert.equal(next.deadLetters.length, 0);
  });

  it('stores duplicate points again (idempotent downstream) but feeds the detector once', () => {
    const p = createProcessor({ now: () => NOW });
    const m = otlpGauges('a', [{ metric: 'fds', t: NOW - 1000, v: 10 }]);
    const rows = p.process(batch('otlp', [msg(m, 0), msg(m, 1)]));
    assert.equal(rows.samples.length, 2);
    assert.equal(rows.deadLetters.length, 0);
  });

  it('decodes change events, structured and binary mode, and dead-letters unknown types', () => {
    const p = createProcessor({ now: () => NOW });
    const good = cloudEvent('c1', 'b', 'config', NOW - 60_000);
    const unknown = cloudEvent('c2', 'b', 'weather', NOW - 60_000);
    const headers = { ce_specversion: '1.0', ce_id: 'c3', ce_source: 'test', ce_type: 'com.acme.change.deploy', ce_subject: 'a', ce_time: new Date(NOW - 1000).toISOString() };
    const rows = p.process(batch('changes', [msg(good, 0), msg(unknown, 1), msg(JSON.stringify({ team: 'a', summary: 'deploy' }), 2, { headers })]));
    assert.deepEqual(rows.changes.map((c) => c.id).sort(), ['c1', 'c3']);
    assert.equal(rows.deadLetters.length, 1);
    assert.equal(rows.deadLetters[0]?.offset, '1');
  });

  it('finds a level shift in a stream and attaches the topology limit', () => {
    const topology = { services: [{ name: 'a', team: 't', dependsOn: [], limits: { fds: 1024 } }] };
    const p = createProcessor({ now: () => NOW, topology });
    const found = [];
    for (let i = 0; i < 200; i++) {
      const v = (i < 100 ? 100 : 600) + (i % 5);
      const rows = p.process(batch('otlp', [msg(otlpGauges('a', [{ metric: 'fds', t: NOW - (200 - i) * 10_000, v }]), i)]));
      found.push(...rows.breakpoints);
    }
    assert.ok(found.length >= 1, 'a breakpoint');
    const b = found[0]!;
    assert.equal(b.kind, 'level_up');
    assert.equal(b.limit, 1024);
    assert.ok(Math.abs(b.time - (NOW - 100 * 10_000)) <= 30_000, `time ${b.time}`);
  });

  it('finds the same breakpoints when every message is delivered twice and late points arrive (the detector is fed each time once)', () => {
    const run = (redeliver: boolean) => {
      const p = createProcessor({ now: () => NOW });
      const found = [];
      for (let i = 0; i < 200; i++) {
        const t = NOW - (200 - i) * 10_000;
        const m = msg(otlpGauges('a', [{ metric: 'fds', t, v: (i < 100 ? 100 : 600) + (i % 5) * (i % 3) }]), i);
        const late = msg(otlpGauges('a', [{ metric: 'fds', t: t - 25_000, v: 5_000 }]), i);
        found.push(...p.process(batch('otlp', redeliver && i > 2 ? [m, m, late] : [m])).breakpoints);
      }
      return found.map((b) => [b.kind, b.time, b.detectedAt]);
    };
    const once = run(false);
    assert.ok(once.length >= 1);
    assert.deepEqual(run(true), once);
  });

  it('evicts the least recently seen series beyond maxSeries', () => {
    const p = createProcessor({ now: () => NOW, maxSeries: 2 });
    p.process(batch('otlp', [msg(otlpGauges('a', [{ metric: 'x', t: NOW - 1, v: 1 }, { metric: 'y', t: NOW - 1, v: 1 }, { metric: 'z', t: NOW - 1, v: 1 }]), 0)]));
    assert.equal(p.stats().liveSeries, 2);
    assert.equal(p.stats().evictedSeries, 1);
  });
});
