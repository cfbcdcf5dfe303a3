import assert from 'node:assert/strict';
import { checkedPoint, pointLine, tsvEscape } from '../../../src/clickhouse/tsv';
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
