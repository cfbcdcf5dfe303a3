/**
 * The one audited place where values become ClickHouse SQL text.
 *
 * ClickHouse 18.16 has no query parameters (`{name:Type}` fails with "Unknown setting param_…"),
 * so every literal in every query is escaped here. Use the tagged template:
 *
 *   sql`SELECT * FROM ${ident(db)}.points WHERE service = ${svc} AND t_ms >= ${fromMs}`
 *
 * Each interpolated value is rendered by its type: strings become quoted literals, numbers must
 * be finite, arrays become `[…]`, `Sql` fragments (from `sql`, `ident`, `dateTime`, `inList`) are
 * inserted verbatim. Anything else throws BAD_REQUEST. There is deliberately no `raw()` escape
 * hatch: constant SQL belongs in the template text, where the reviewer sees it.
 */
import { EpicenterError } from '../errors';

/** SQL text that is already safe to splice into a query. Only this module constructs it. */
export class Sql {
  /** @internal use `sql`, `ident`, `dateTime`, `inList` or `joinSql`. */
  private constructor(readonly text: string) {}

  /** @internal */
  static trusted(text: string): Sql {
    return new Sql(text);
  }

  toString(): string {
    return this.text;
  }
}

/** Values the template accepts. */
export type SqlValue = string | number | bigint | boolean | null | Sql | readonly SqlValue[];

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Escape a string as a single-quoted ClickHouse literal: backslash and quote are
 * backslash-escaped; every control character (C0, DEL) becomes `\xHH`, so the literal stays on
 * one line and a NUL cannot truncate anything. Other Unicode passes through (the query is UTF-8).
 */
export function quoteString(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x27) out += "\\'";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += s[i];
  }
  return out + "'";
}

/**
 * A finite number as SQL text. Negative numbers are parenthesised so `a-${-1}` cannot turn into
 * the comment `a--1`. NaN and ±Infinity throw BAD_REQUEST.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new EpicenterError('BAD_REQUEST', `sql: number must be finite, got ${String(n)}`);
  const text = Object.is(n, -0) ? '0' : String(n);
  return n < 0 ? `(${text})` : text;
}

/** Render one value as SQL text, by its type. */
export function literal(v: SqlValue): string {
  if (v instanceof Sql) return v.text;
  if (typeof v === 'string') return quoteString(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'bigint') return v < 0n ? `(${v.toString()})` : v.toString();
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v === null) return 'NULL';
  if (Array.isArray(v)) return `[${(v as readonly SqlValue[]).map(literal).join(', ')}]`;
  throw new EpicenterError('BAD_REQUEST', `sql: cannot render a value of type ${typeof v}`);
}

/** Tagged template: text is kept as written, every `${value}` is escaped by type. */
export function sql(strings: TemplateStringsArray, ...values: readonly SqlValue[]): Sql {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += literal(values[i] as SqlValue) + (strings[i + 1] ?? '');
  }
  return Sql.trusted(out);
}

/**
 * A validated identifier (database, table or column name). Names that do not match
 * /^[A-Za-z_][A-Za-z0-9_]*$/ throw BAD_CONFIG, naming `what` (e.g. 'clickhouse.database').
 * Rendered in backquotes so keyword-like names (`offset`, `partition`) are safe too.
 */
export function ident(name: string, what = 'identifier'): Sql {
  if (!IDENT.test(name)) {
    throw new EpicenterError('BAD_CONFIG', `${what}: '${name}' is not a plain identifier (letters, digits, underscore; not starting with a digit)`, {
      origin: { field: what },
    });
  }
  return Sql.trusted('`' + name + '`');
}

/** True when `name` is a plain identifier. */
export function isIdent(name: string): boolean {
  return IDENT.test(name);
}

/**
 * A DateTime from epoch ms, as `toDateTime(<seconds>)` (floor): independent of the server's
 * time zone, unlike a 'YYYY-MM-DD hh:mm:ss' literal. Range 1970…2106 (DateTime is UInt32 seconds).
 */
export function dateTime(ms: number): Sql {
  if (!Number.isFinite(ms) || ms < 0 || ms >= 4294967296000) {
    throw new EpicenterError('BAD_REQUEST', `sql: time ${String(ms)} ms is outside DateTime's range (1970…2106)`);
  }
  return Sql.trusted(`toDateTime(${Math.floor(ms / 1000)})`);
}

/** A parenthesised list for `x IN ${inList(xs)}`. Throws BAD_REQUEST on an empty list (callers decide what "none" means). */
export function inList(values: readonly SqlValue[]): Sql {
  if (values.length === 0) throw new EpicenterError('BAD_REQUEST', 'sql: IN list must not be empty');
  return Sql.trusted(`(${values.map(literal).join(', ')})`);
}

/** Join fragments with a separator chosen from a fixed set (so no text slips in unescaped). */
export function joinSql(parts: readonly Sql[], sep: ', ' | ' AND ' | ' OR ' | '\n' = ', '): Sql {
  return Sql.trusted(parts.map((p) => p.text).join(sep));
}
