import assert from 'node:assert/strict';
import { checkedPoint, pointLine, pointsTsv, tsvEscape } from '../../../src/clickhouse/tsv';
import { makeSeries } from '../../../src/domain/series';
import { EpicenterError } from '../../../src/errors';

/** Decode one TabSeparated field the way ClickHouse's reader does for these escapes. */
function unescape(f: string): string {
  return f.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '0': '\u0000', '\\': '\\' })[c] ?? assert.fail(`escape \\${c}`));
}

describe('clickhouse TabSeparated points', () => {
  for (const s of ['plain', 'tab\there', 'new\nline', 'cr\r', 'nul\u0000', 'back\\slash\\', "quote ' \"", 'ünï 😀', '\\t literal']) {
    it(`escapes and round-trips ${JSON.stringify(s)}`, () => {
      const e = tsvEscape(s);
      assert.ok(!/[\t\n\r]/.test(e) && !e.includes('\u0000'), e);
      assert.equal(unescape(e), s);
    });
  }

  it('a line has the eight columns in order and ends with a newline', () => {
    const series = makeSeries('m', { 'service.name': 'a\tb', k: 'v\n' }, undefined, 'By');
    const line = pointLine({ series, t: 1_700_000_000_123, v: 2.5 });
    assert.ok(line.endsWith('\n'));
    const cols = line.slice(0, -1).split('\t').map(unescape);
    assert.deepEqual(cols, [series.id, 'a\tb', 'm', '{"k":"v\\n","service.name":"a\\tb"}', 'By', '1700000000', '1700000000123', '2.5']);
  });

  it('refuses non-finite values and out-of-range times like the JSON rows do', () => {
    const series = makeSeries('m', {});
    assert.throws(() => pointLine({ series, t: 1, v: NaN }), (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_INPUT');
    assert.throws(() => pointLine({ series, t: -5, v: 1 }), (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_INPUT');
  });

  it('one body for many points is byte for byte the joined lines (values, times, escapes, long labels)', () => {
    const values = [0, -0, 1, -1, 2.5, -3.75, 1e-7, 123456789012345, 9007199254740991, 2 ** 53, -(2 ** 53) - 2, 1e21, -1.5e300, 0.1 + 0.2, 7 / 3];
    const series = [
      makeSeries('m', { 'service.name': 'a\tb', k: 'ünï 😀' }, undefined, 'By'),
      makeSeries('long', { 'service.name': 's', blob: 'x\n'.repeat(400) }),
      makeSeries('plain', {}),
    ];
    const samples = [];
    for (let i = 0; i < 300; i++) samples.push(checkedPoint({ series: series[i % 3]!, t: [0, 999, 1_700_000_000_123, 4_294_967_294_000][i % 4]! + i, v: values[i % values.length]! }));
    assert.equal(pointsTsv(samples).toString('utf8'), samples.map(pointLine).join(''));
    assert.equal(pointsTsv([]).length, 0);
  });

  it('checkedPoint keeps a whole-millisecond point as is, floors a fractional time, refuses what pointLine refuses', () => {
    const series = makeSeries('m', {});
    const p = { series, t: 1_700_000_000_123, v: 1 };
    assert.equal(checkedPoint(p), p);
    assert.deepEqual(checkedPoint({ series, t: 1_700_000_000_123.7, v: 1 }), p);
    for (const bad of [{ series, t: 1, v: NaN }, { series, t: -5, v: 1 }, { series, t: 1, v: Infinity }]) {
      assert.throws(() => checkedPoint(bad), (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_INPUT' && e.message.includes(series.id));
    }
  });
});
