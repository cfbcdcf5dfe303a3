import type { SettingChange } from '../domain/types';

/**
 * Config changes named in free text: the summary of a change ("set http.client.pool.min_idle 28 → 224",
 * "pool.size: 10 -> 80", "raise max_connections from 100 to 400") or a unified diff of a YAML or
 * properties file. What cannot be read is left out rather than guessed: no value is ever invented.
 */

export interface ReadSettings {
  readonly keys: string[];
  readonly settings: SettingChange[];
}

/** A config key: dotted/underscored/slashed identifiers (`http.client.pool.min_idle`, `spring.datasource.hikari.maximum-pool-size`). */
const KEY = String.raw`[A-Za-z_][\w\-]*(?:[./][\w\-]+)*`;
const VALUE = String.raw`"[^"]*"|'[^']*'|[^\s,;]+`;
const ARROW = String.raw`(?:→|->|=>|⇒|⟶)`;

/** `set KEY A → B`, `KEY: A -> B`, `KEY = A => B`, `KEY A → B` (the key must look like one: a dot or underscore in it). */
const ARROW_RE = new RegExp(String.raw`(?:\b(set|change[sd]?|raise[sd]?|lower(?:s|ed)?|bump(?:s|ed)?)\s+)?(${KEY})\s*([:=])?\s*(?:from\s+)?(${VALUE})\s*${ARROW}\s*(${VALUE})`, 'gi');
/** `set KEY from A to B`, `KEY from A to B` with a key that looks like one. */
const FROM_TO_RE = new RegExp(String.raw`(?:\b(set|change[sd]?|raise[sd]?|lower(?:s|ed)?|bump(?:s|ed)?)\s+)?(${KEY})\s+from\s+(${VALUE})\s+to\s+(${VALUE})`, 'gi');
/** An instance count in words: `replicas 3 → 5`, `minReplicas: 2 -> 4`, `3 → 5 replicas`, `from 3 to 5 instances`. */
const KEYED_COUNT_RE = new RegExp(String.raw`\b((?:min_?)?replicas)\s*:?\s*(?:from\s+)?(\d+)\s*(?:${ARROW}|to)\s*(\d+)\b`, 'gi');
const COUNTED_RE = new RegExp(String.raw`(?:\bfrom\s+)?\b(\d+)\s*(?:${ARROW}|to)\s*(\d+)\s+(?:replicas|instances|pods)\b`, 'gi');
/** `set KEY to B` / `set KEY=B` (only the new value is known). */
const SET_TO_RE = new RegExp(String.raw`\bset\s+(${KEY})\s*(?:=|\s+to\s+)\s*(${VALUE})`, 'gi');

function looksLikeKey(key: string, explicit: boolean): boolean {
  if (/^\d/.test(key)) return false;
  return explicit || /[._/]/.test(key);
}

function clean(v: string): string {
  const unquoted = /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
  return unquoted.replace(/[.)]+$/, (m, off: number) => (off === 0 ? m : ''));
}

/** Settings named in a summary or commit message; a unified diff in the text is read too. */
export function settingsFromText(text: string): ReadSettings {
  const found = new Map<string, SettingChange>();
  const put = (s: SettingChange) => {
    if (!found.has(s.key) && (s.from === undefined || s.from !== s.to)) found.set(s.key, s);
  };
  if (/^@@ .* @@/m.test(text) || /^[-+][^-+\s]/m.test(text)) for (const s of settingsFromDiff(text)) put(s);
  for (const line of text.split('\n')) {
    if (/^[-+@]/.test(line)) continue;
    for (const m of line.matchAll(ARROW_RE)) {
      const [, verb, key = '', sep, from = '', to = ''] = m;
      if (looksLikeKey(key, verb !== undefined || sep !== undefined)) put({ key, from: clean(from), to: clean(to) });
    }
    for (const m of line.matchAll(FROM_TO_RE)) {
      const [, verb, key = '', from = '', to = ''] = m;
      if (looksLikeKey(key, verb !== undefined)) put({ key, from: clean(from), to: clean(to) });
    }
    for (const m of line.matchAll(KEYED_COUNT_RE)) put({ key: m[1] ?? 'replicas', from: m[2] ?? '', to: m[3] ?? '' });
    for (const m of line.matchAll(COUNTED_RE)) put({ key: 'replicas', from: m[1] ?? '', to: m[2] ?? '' });
    for (const m of line.matchAll(SET_TO_RE)) {
      const [, key = '', to = ''] = m;
      if (looksLikeKey(key, true)) put({ key, to: clean(to) });
    }
  }
  const settings = [...found.values()];
  return { keys: settings.map((s) => s.key), settings };
}

/** `  key: value` (YAML) or `key=value` / `key: value` (properties), with its indentation. */
const ENTRY_RE = /^(\s*)(?:- )?([\w.\-/]+)\s*[:=]\s*(.*?)\s*(?:#.*)?$/;

interface Side {
  stack: { indent: number; key: string }[];
  values: Map<string, string>;
}

/** A line on one side: a key without a value opens a parent; a leaf is recorded only on changed (`-`/`+`) lines. */
function enter(side: Side, indent: number, key: string, value: string, record: boolean): void {
  while (side.stack.length > 0 && (side.stack[side.stack.length - 1]?.indent ?? -1) >= indent) side.stack.pop();
  if (value === '' || value === '|' || value === '>') side.stack.push({ indent, key });
  else if (record) side.values.set([...side.stack.map((e) => e.key), key].join('.'), clean(value));
}

/**
 * Settings changed by a unified diff of YAML or properties files: nesting is followed through
 * context lines, so `pool:\n-  size: 10\n+  size: 80` gives `pool.size 10 → 80`. Keys whose parents
 * are outside the hunk are named from the deepest parent seen.
 */
export function settingsFromDiff(diff: string): SettingChange[] {
  const before: Side = { stack: [], values: new Map() };
  const after: Side = { stack: [], values: new Map() };
  for (const raw of diff.split('\n')) {
    if (raw.startsWith('+++') || raw.startsWith('---') || raw.startsWith('diff ') || raw.startsWith('index ')) continue;
    if (raw.startsWith('@@')) {
      before.stack = [];
      after.stack = [];
      continue;
    }
    const mark = raw[0];
    const m = ENTRY_RE.exec(raw.slice(1));
    if (m === null || (mark !== ' ' && mark !== '-' && mark !== '+')) continue;
    const [, ws = '', key = '', value = ''] = m;
    if (mark !== '+') enter(before, ws.length, key, value, mark === '-');
    if (mark !== '-') enter(after, ws.length, key, value, mark === '+');
  }
  const out: SettingChange[] = [];
  for (const key of new Set([...before.values.keys(), ...after.values.keys()])) {
    const from = before.values.get(key);
    const to = after.values.get(key);
    if (from !== to) out.push({ key, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
  }
  return out;
}
