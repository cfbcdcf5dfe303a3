import assert from 'node:assert/strict';
import { payloadText, DEAD_LETTER_PAYLOAD_MAX, deadLetterRow } from '../../../src/clickhouse/ops-rows';
import { breakpointFromRow, breakpointId, breakpointRow, changeFromRow, changeRow, labelsJson } from '../../../src/clickhouse/rows';
import { pointLine } from '../../../src/clickhouse/tsv';
import { MIGRATIONS, parseServerVersion } from '../../../src/clickhouse/schema';
import { makeSeries } from '../../../src/domain/series';
import type { Breakpoint, ChangeEvent } from '../../../src/domain/types';
import { EpicenterError } from '../../../src/errors';

const series = makeSeries('process.open_file_descriptor.count', { 'service.name': 'a', host: 'h1' }, undefined, '{file}');
const bp: Breakpoint = {
  series,
  time: 1_700_000_001_000,
  detectedAt: 1_700_000_002_000,
  kind: 'level_up',
  before: { level: 1, slope: 0 },
  after: { level: 2, slope: 0.5 },
  magnitude: 3,
  confidence: 0.9,
};

describe('clickhouse rows', () => {
  it('labels JSON has sorted keys, whatever the insertion order', () => {
    assert.equal(labelsJson({ b: '2', a: '1' }), '{"a":"1","b":"2"}');
  });

  it('point rows carry DateTime seconds and exact ms; sub-ms is floored', () => {
    const cols = pointLine({ series, t: 1_700_000_000_123.7, v: 5 }).trimEnd().split('\t');
    assert.deepEqual(cols.slice(4), ['{file}', '1700000000', '1700000000123', '5']);
  });

  for (const [what, s] of [
    ['NaN value', { series, t: 1, v: NaN }],
    ['infinite value', { series, t: 1, v: Infinity }],
    ['negative time', { series, t: -1, v: 1 }],
    ['time past 2106', { series, t: 5e12, v: 1 }],
  ] as const) {
    it(`refuses a point with ${what} as BAD_INPUT naming the series`, () => {
      assert.throws(() => pointLine(s), (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_INPUT' && e.message.includes(series.id));
    });
  }

  it('breakpoint ids are deterministic per series, time and kind', () => {
    assert.equal(breakpointId(bp), breakpointId({ ...bp, confidence: 0.1 }));
    assert.notEqual(breakpointId(bp), breakpointId({ ...bp, kind: 'slope_change' }));
    assert.notEqual(breakpointId(bp), breakpointId({ ...bp, time: bp.time + 1 }));
  });

  it('breakpoints round-trip, with and without exhaustion, through string 64-bit columns', () => {
    for (const b of [bp, { ...bp, exhaustionAt: 1_700_003_600_000, limit: 1024 }]) {
      const r = breakpointRow(b);
      const fromServer = { ...r, t_ms: String(r.t_ms), detected_at_ms: String(r.detected_at_ms), exhaustion_at_ms: r.exhaustion_at_ms === null ? null : String(r.exhaustion_at_ms) };
      assert.deepEqual(breakpointFromRow(fromServer as never), b);
    }
  });

  it('changes round-trip; absent optional fields stay absent', () => {
    const full: ChangeEvent = { id: 'c1', source: 's', type: 'config', rawType: 'x.change.config', service: 'b', team: 'tb', time: 5000, summary: 'more conns', version: 'v2', revertOf: 'c0', keys: ['pool.size'] };
    const bare: ChangeEvent = { id: 'c2', source: 's', type: 'deploy', rawType: 'x.change.deploy', service: 'a', time: 6000 };
    const merged: ChangeEvent = {
      ...full,
      settings: [{ key: 'pool.size', from: '10', to: '80' }, { key: 'retries', to: '' }, { key: 'old.flag', from: 'on' }],
      origins: [{ source: 'github/acme/api', id: 'd-7', kind: 'github.deployment_status', url: 'https://github.com/acme/api' }, { source: 'k8s/prod', id: 'rs-1' }],
    };
    for (const c of [full, bare, merged]) {
      const r = changeRow(c);
      assert.deepEqual(changeFromRow({ ...r, t_ms: String(r.t_ms) }), c);
    }
  });
});

describe('clickhouse dead-letter rows', () => {
  it('keeps valid UTF-8 as text and its size in bytes', () => {
    assert.deepEqual(payloadText('{"a":"ü"}'), { text: '{"a":"ü"}', size: 10 });
  });

  it('stores invalid UTF-8 (protobuf) as base64', () => {
    assert.deepEqual(payloadText(new Uint8Array([0x0a, 0xff, 0xfe])), { text: 'base64:Cv/+', size: 3 });
  });

  it('truncates to 64 KiB without splitting a character', () => {
    const big = 'a'.repeat(DEAD_LETTER_PAYLOAD_MAX - 1) + '€€';
    const r = payloadText(big);
    assert.equal(r.size, DEAD_LETTER_PAYLOAD_MAX - 1 + 6);
    assert.equal(r.text, 'a'.repeat(DEAD_LETTER_PAYLOAD_MAX - 1));
  });

  it('keeps Kafka offsets as decimal strings (exact above 2^53)', () => {
    const r = deadLetterRow({ t: 1000, topic: 'otlp', partition: 3, offset: '9007199254740993', reason: 'bad', code: 'BAD_INPUT', payload: 'x' });
    assert.equal(r['offset'], '9007199254740993');
    assert.equal(r['seq'], 0);
  });
});

describe('clickhouse schema by server version', () => {
  const ddl = (v: string) => MIGRATIONS.flatMap((m) => m.statements({ db: 'e', features: parseServerVersion(v), retentionDays: 7 })).map((s) => s.text).join('\n');

  it('18.16: plain String, no TTL, no DateTime64', () => {
    const text = ddl('18.16.1');
    assert.doesNotMatch(text, /LowCardinality|TTL|DateTime64/);
  });

  it('24.8: LowCardinality and TTL from retentionDays, still no DateTime64', () => {
    const text = ddl('24.8.4.13');
    assert.match(text, /LowCardinality\(String\)/);
    assert.match(text, /TTL t \+ INTERVAL 7 DAY/);
    assert.doesNotMatch(text, /DateTime64/);
  });

  it('regression (found on a current server): series_agg has no plain column outside its ORDER BY key', () => {
    const stmt = MIGRATIONS.flatMap((m) => m.statements({ db: 'e', features: parseServerVersion('24.8.4'), retentionDays: 7 }))
      .map((q) => q.text)
      .find((t) => t.includes('`series_agg` ('))!;
    const key = /ORDER BY \(([^)]*)\)/.exec(stmt)![1]!.split(',').map((c) => c.trim());
    const plain = [...stmt.matchAll(/^ {2}(\w+) (?!AggregateFunction)/gm)].map((m) => m[1]!);
    assert.ok(plain.length >= 5);
    for (const c of plain) assert.ok(key.includes(c), `${c} is neither aggregated nor in the key`);
  });

  it('refuses an unparseable version', () => {
    assert.throws(() => parseServerVersion('banana'), (e: unknown) => e instanceof EpicenterError && e.code === 'STORE_FAILED');
  });
});
