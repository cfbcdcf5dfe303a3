import assert from 'node:assert/strict';
import { EpicenterError } from '../../../src/errors';
import { dateTime, formatNumber, ident, inList, joinSql, literal, quoteString, sql } from '../../../src/clickhouse/sql';

/** Decode a ClickHouse single-quoted literal the way the server's lexer does (backslash escapes, \xHH). */
function unquote(lit: string): string {
  assert.ok(lit.startsWith("'") && lit.endsWith("'"), `not quoted: ${lit}`);
  const body = lit.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "'") assert.fail(`unescaped quote at ${i} in ${lit}`);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    if (n === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n === '\\' || n === "'") out += n;
    else assert.fail(`unexpected escape \\${String(n)} in ${lit}`);
  }
  return out;
}

const NASTY = [
  '',
  "O'Brien",
  "''",
  "\\'",
  'back\\slash',
  'trailing backslash\\',
  'line1\nline2\r\n',
  'tab\there',
  'nul\u0000byte',
  '\u0001\u001f\u007f',
  'ünïcödé — 日本語 😀',
  "x' OR 1=1 --",
  "'; DROP TABLE points; --",
  "\\'; DROP DATABASE epicenter; --",
  '{name:String}',
  '/* comment */ -- tail',
  '`backtick`',
  '"double"',
  '$1 ? %s',
];

describe('clickhouse sql: quoteString', () => {
  for (const s of NASTY) {
    it(`round-trips ${JSON.stringify(s)}`, () => {
      const q = quoteString(s);
      assert.equal(unquote(q), s);
      // No raw control characters survive: the literal is one line.
      assert.ok(![...q].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), `control character in ${q}`);
    });
  }

  it('escapes a quote as \\\' and a backslash as \\\\', () => {
    assert.equal(quoteString("a'b\\c"), "'a\\'b\\\\c'");
  });

  it('renders NUL as \\x00', () => {
    assert.equal(quoteString('\u0000'), "'\\x00'");
  });

  it('an injection attempt stays inside one literal', () => {
    const q = sql`SELECT * FROM t WHERE service = ${"x' OR '1'='1"}`;
    assert.equal(q.text, "SELECT * FROM t WHERE service = 'x\\' OR \\'1\\'=\\'1'");
  });
});

describe('clickhouse sql: numbers and other values', () => {
  it('renders finite numbers', () => {
    assert.equal(formatNumber(0), '0');
    assert.equal(formatNumber(42), '42');
    assert.equal(formatNumber(1.5), '1.5');
    assert.equal(formatNumber(1e21), '1e+21');
    assert.equal(formatNumber(-0), '0');
  });

  it('parenthesises negatives so a-${-1} is not the comment a--1', () => {
    assert.equal(sql`SELECT 5-${-1}`.text, 'SELECT 5-(-1)');
    assert.equal(literal(-7n), '(-7)');
  });

  for (const bad of [NaN, Infinity, -Infinity]) {
    it(`refuses ${String(bad)} with BAD_REQUEST`, () => {
      assert.throws(() => sql`SELECT ${bad}`, (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_REQUEST');
    });
  }

  it('renders booleans, null, bigint and nested arrays', () => {
    assert.equal(literal(true), '1');
    assert.equal(literal(false), '0');
    assert.equal(literal(null), 'NULL');
    assert.equal(literal(18446744073709551615n), '18446744073709551615');
    assert.equal(literal(['a', 1, ["b'"]]), "['a', 1, ['b\\'']]");
    assert.equal(literal([]), '[]');
  });

  it('refuses values of other types', () => {
    assert.throws(() => literal({} as never), (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_REQUEST');
    assert.throws(() => literal(undefined as never), (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_REQUEST');
  });

  it('inserts Sql fragments verbatim and escapes values inside them', () => {
    const cond = sql`service = ${"a'"}`;
    assert.equal(sql`SELECT 1 WHERE ${cond} AND x = ${1}`.text, "SELECT 1 WHERE service = 'a\\'' AND x = 1");
    assert.equal(joinSql([sql`a = ${1}`, sql`b = ${'x'}`], ' AND ').text, "a = 1 AND b = 'x'");
  });

  it('inList renders a tuple and refuses an empty list', () => {
    assert.equal(inList(['a', "b'"]).text, "('a', 'b\\'')");
    assert.throws(() => inList([]), (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_REQUEST');
  });
});

describe('clickhouse sql: identifiers and times', () => {
  it('accepts plain identifiers and backquotes them', () => {
    assert.equal(ident('epicenter_test_1').text, '`epicenter_test_1`');
    assert.equal(ident('_x').text, '`_x`');
  });

  for (const bad of ['', '1abc', 'a-b', 'a.b', 'a b', 'a`b', "a'b", 'a;DROP', 'ä', 'a\u0000']) {
    it(`refuses identifier ${JSON.stringify(bad)} with BAD_CONFIG naming the key`, () => {
      assert.throws(
        () => ident(bad, 'clickhouse.database'),
        (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_CONFIG' && e.message.startsWith('clickhouse.database:'),
      );
    });
  }

  it('renders DateTime from epoch ms as toDateTime(seconds), floored', () => {
    assert.equal(dateTime(1_700_000_000_999).text, 'toDateTime(1700000000)');
    assert.equal(dateTime(0).text, 'toDateTime(0)');
  });

  for (const bad of [-1, NaN, Infinity, 4294967296000]) {
    it(`refuses DateTime ${String(bad)} ms`, () => {
      assert.throws(() => dateTime(bad), (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_REQUEST');
    });
  }
});
