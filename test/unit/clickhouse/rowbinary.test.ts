import assert from 'node:assert/strict';
import { makeSeries, seriesColumns, seriesId, seriesLabelsJson, seriesTail } from '../../../src/domain/series';
import { normalLabels } from '../../../src/domain/text';
import { idLabels } from '../../../src/domain/id-labels';
import type { Sample, SeriesRef } from '../../../src/domain/types';
import { labelsJson } from '../../../src/clickhouse/rows';
import { BodyPool, pointsRowBinary } from '../../../src/clickhouse/rowbinary';

/** A RowBinary reader for the points columns, written from the format's definition (LEB128 lengths, little-endian numbers). */
function readRows(buf: Buffer): { strings: string[]; t: number; tMs: number; v: number }[] {
  const out = [];
  let at = 0;
  const str = (): string => {
    let n = 0;
    for (let shift = 1; ; shift *= 128) {
      const b = buf[at++] as number;
      n += (b & 0x7f) * shift;
      if (b < 0x80) break;
    }
    const s = buf.toString('utf8', at, at + n);
    at += n;
    return s;
  };
  while (at < buf.length) {
    const strings = [str(), str(), str(), str(), str()];
    const t = buf.readUInt32LE(at);
    const tMs = Number(buf.readBigUInt64LE(at + 4));
    const v = buf.readDoubleLE(at + 12);
    at += 20;
    out.push({ strings, t, tMs, v });
  }
  return out;
}

describe('clickhouse RowBinary points body', () => {
  it('encodes the eight columns in table order, strings with multi-byte lengths, numbers exactly', () => {
    const long = 'x'.repeat(300);
    const a = makeSeries('http.client.open_connections', { 'service.name': 'checkout', 'server.address': long }, undefined, '{connection}');
    const b = makeSeries('cpu', { 'service.name': 'ünï 😀', tab: 'a\tb\n' });
    const samples: Sample[] = [
      { series: a, t: 1_700_000_000_123, v: 0.1 + 0.2 },
      { series: b, t: 4_294_967_295_999, v: -1e-300 },
      { series: a, t: 0, v: 2 ** 53 + 2 },
    ];
    const rows = readRows(pointsRowBinary(samples));
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0]?.strings, [a.id, 'checkout', a.metric, labelsJson(a.labels), '{connection}']);
    assert.deepEqual(rows[1]?.strings, [b.id, 'ünï 😀', 'cpu', labelsJson(b.labels), '']);
    assert.deepEqual(rows.map((r) => [r.t, r.tMs, r.v]), [
      [1_700_000_000, 1_700_000_000_123, 0.1 + 0.2],
      [4_294_967_295, 4_294_967_295_999, -1e-300],
      [0, 0, 2 ** 53 + 2],
    ]);
  });

  it('an empty batch is an empty body, and a batch that outgrows its first estimate is complete', () => {
    assert.equal(pointsRowBinary([]).length, 0);
    const small = makeSeries('m', { 'service.name': 's' });
    const big = makeSeries('m', { 'service.name': 's', k: 'y'.repeat(5000) });
    const samples: Sample[] = [{ series: small, t: 1000, v: 1 }, ...Array.from({ length: 50 }, (_, i) => ({ series: big, t: 2000 + i, v: i }))];
    const rows = readRows(pointsRowBinary(samples));
    assert.equal(rows.length, 51);
    assert.deepEqual(rows.at(-1)?.strings[3], labelsJson(big.labels));
    assert.equal(rows.at(-1)?.tMs, 2049);
  });
});

describe('clickhouse RowBinary body pool', () => {
  it('reuses a given-back body for the next INSERT and the bytes are those of a fresh one', () => {
    const pool = new BodyPool(2);
    const s = makeSeries('m', { 'service.name': 's' });
    const a: Sample[] = Array.from({ length: 100 }, (_, i) => ({ series: s, t: 1000 + i, v: i }));
    const b: Sample[] = Array.from({ length: 80 }, (_, i) => ({ series: s, t: 5000 + i, v: -i }));
    const first = pointsRowBinary(a, pool);
    const fresh = Buffer.from(pointsRowBinary(b));
    pool.give(first);
    const second = pointsRowBinary(b, pool);
    assert.equal(second.buffer, first.buffer, 'the same memory');
    assert.deepEqual(Buffer.from(second), fresh);
  });

  it('keeps at most `keep` idle bodies', () => {
    const pool = new BodyPool(1);
    const x = pool.take(10);
    const y = pool.take(10);
    pool.give(x);
    pool.give(y);
    assert.equal(pool.take(10).buffer, x.buffer);
    assert.notEqual(pool.take(10).buffer, y.buffer);
  });

  it('the small body of a partial batch does not crowd out the large ones (every new body is as large as the largest taken)', () => {
    const pool = new BodyPool(1);
    const small = pool.take(10);
    const big = pool.take(100);
    pool.give(small);
    assert.equal(pool.take(50).length, 100, 'the small body was not kept; a new one is as large as the largest');
    pool.give(big);
    assert.equal(pool.take(100).buffer, big.buffer);
  });
});

/** The prefix encoder as it was before series carried their packed columns (commit 29d3c71), kept to compare bytes with. */
function oldPrefix(s: SeriesRef): Buffer {
  const parts = [s.id, s.service, s.metric, labelsJson(s.labels), s.unit ?? ''].map((x) => Buffer.from(x, 'utf8'));
  const out: Buffer[] = [];
  for (const b of parts) {
    const len: number[] = [];
    let x = b.length;
    while (x >= 0x80) {
      len.push((x & 0x7f) | 0x80);
      x = Math.floor(x / 128);
    }
    len.push(x);
    out.push(Buffer.from(len), b);
  }
  return Buffer.concat(out);
}

describe('series identities packed for RowBinary', () => {
  const series = [
    makeSeries('bench.metric_94', { 'service.name': 'svc-1', 'service.instance.id': 'svc-1-i0', 'server.address': 'peer-14' }, undefined, '{connection}'),
    makeSeries('cpu', { 'service.name': 'ünï 😀', host: 'hôte', tab: 'a\tb\n"q"' }, undefined, 'µs'),
    makeSeries('m', { 'service.name': 's', k: 'y'.repeat(200) }),
    makeSeries('x', {}),
    makeSeries('lone', JSON.parse('{"__proto__":"p","service.name":"a\\ud800b"}') as Record<string, string>),
    // labels written from the id where that is exact, packed where it is not (see idLabels)
    makeSeries('q', { 'service.name': 's', v: 'a"b\\c\u0001=,}{"', '': '', 'x,y': '=' }, undefined, '{connection}'),
    makeSeries('m{x="y"}', { 'service.name': 's', k: 'v' }),
    makeSeries('eq', { 'service.name': 's', 'a=b': 'c', a: 'b="c' }),
    makeSeries('esc', { 'service.name': 's', 'k"q': 'v', 'b\\s': 'w', 'ctl\n': 'x' }),
    makeSeries('uni', { 'service.name': 's', 'clé': 'v', k: 'é' }, undefined, 'µs'),
    makeSeries('svc', { 'service.name': 'x'.repeat(50), k: 'v' }, 's'.repeat(43), 'u'.repeat(200)),
    makeSeries('n', { 'service.name': 's', k: 'y'.repeat(120) }),
  ];

  it('a row of a decoder-made series is byte-identical to the old encoder, ASCII or not', () => {
    for (const s of series) {
      const body = pointsRowBinary([{ series: s, t: 1_700_000_000_123, v: 1.5 }]);
      assert.deepEqual(body.subarray(0, body.length - 20), oldPrefix(s), s.id);
    }
  });

  it('a series keeps its id as the metric and a tail shared by the series of a decoder\'s cache with the same attributes', () => {
    const tails = new Map<string, string>();
    const intern = (x: string): string => tails.get(x) ?? (tails.set(x, x), x);
    const a = makeSeries('a.m', { 'service.name': 's', k: 'v' }, undefined, undefined, intern);
    const b = makeSeries('b.m', { k: 'v', 'service.name': 's' }, undefined, undefined, intern);
    assert.equal(seriesTail(a), '{k="v",service.name="s"}');
    assert.equal(a.id, `a.m${seriesTail(a) as string}`);
    assert.equal(b.id, seriesId('b.m', b.labels));
    assert.equal(tails.size, 1, 'one tail for both');
    assert.equal(seriesTail(makeSeries('x', {})), '');
    assert.equal(seriesTail(series[1] as SeriesRef), undefined, 'packed: no tail');
  });

  it('keeps the five columns packed only where the labels cannot be written from the id', () => {
    const packed = series.filter((s) => typeof seriesColumns(s) === 'string').map((s) => s.metric);
    assert.deepEqual(packed, ['cpu', 'lone', 'eq', 'esc', 'uni']);
  });

  it('idLabels respells an id\'s labels as their JSON, and refuses text of another shape (no overrun)', () => {
    const run = (text: string): string | number => {
      const dst = new Uint8Array(64);
      const end = idLabels(Buffer.from(text, 'latin1'), 0, text.length, dst, 0);
      return end < 0 ? end : Buffer.from(dst.subarray(0, end)).toString('latin1');
    };
    assert.equal(run(''), '{}');
    assert.equal(run('a="x\\"y",b=""}'), '{"a":"x\\"y","b":""}');
    for (const bad of ['k', 'k=', 'k=v}', 'k="v', 'k="v"', 'k="v"x', 'k="v\\', 'k="v"}x', 'k="v",']) assert.equal(run(bad), -1, bad);
  });

  it('runs of a series and series in turn give the rows each gives alone', () => {
    const samples: Sample[] = [];
    for (let i = 0; i < 40; i++) samples.push({ series: series[(i >> 2) % series.length] as SeriesRef, t: 1000 + i, v: i });
    const alone = Buffer.concat(samples.map((x) => pointsRowBinary([x])));
    assert.deepEqual(pointsRowBinary(samples), alone);
  });

  it('a series not made by makeSeries (read back from the store) encodes to the same bytes', () => {
    for (const s of series) {
      const plain: SeriesRef = { ...s };
      assert.deepEqual(pointsRowBinary([{ series: plain, t: 5, v: 2 }]), pointsRowBinary([{ series: s, t: 5, v: 2 }]), s.id);
    }
  });

  it('the packed columns are invisible: keys, JSON and deep equality are those of the plain SeriesRef', () => {
    const s = series[0] as SeriesRef;
    assert.deepEqual(Object.keys(s), ['id', 'service', 'metric', 'labels', 'unit']);
    assert.deepEqual(s, { ...s });
    assert.equal(JSON.stringify(s), JSON.stringify({ ...s }));
    assert.equal(s.id, seriesId(s.metric, s.labels));
  });

  it('labels read back from the packed text are the labels given (keys sorted), one object per series, and the labels column is their JSON', () => {
    const given = JSON.parse('{"tab":"a\\tb\\n\\"q\\"","__proto__":"p","service.name":"ünï 😀","k":"a\\ud800b"}') as Record<string, string>;
    const s = makeSeries('cpu', given);
    assert.equal(Object.getPrototypeOf(s.labels), null);
    assert.deepEqual(Object.entries(s.labels), [['__proto__', 'p'], ['k', 'a\ufffdb'], ['service.name', 'ünï 😀'], ['tab', 'a\tb\n"q"']]);
    assert.equal(s.labels, s.labels);
    assert.equal(seriesLabelsJson(s), labelsJson(s.labels));
    assert.equal(seriesLabelsJson({ ...s }), labelsJson(s.labels));
    for (const x of series) assert.equal(seriesLabelsJson(x), labelsJson(normalLabels(x.labels)), x.id);
  });
});
