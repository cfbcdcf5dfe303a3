/**
 * JSONPath-like field paths for the generic mapping: `$.a.b`, `a.b[0].c`, `a["x.y"]`, and `[*]`
 * (every element). Only what a mapping needs; filters and recursive descent are not supported and
 * are refused when the configuration is read, not silently ignored.
 */

/** A key, an index, or null for `[*]` (every element). */
export type Segment = string | number | null;

const SEG_RE = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\*\]|\[("(?:[^"\\]|\\.)*"|'[^']*')\]/y;

/** Parses a path; throws an Error naming the offending position. */
export function parsePath(path: string): Segment[] {
  let s = path.trim();
  if (s.startsWith('$')) s = s.slice(1);
  if (s !== '' && !s.startsWith('.') && !s.startsWith('[')) s = `.${s}`;
  const out: Segment[] = [];
  SEG_RE.lastIndex = 0;
  while (SEG_RE.lastIndex < s.length) {
    const at = SEG_RE.lastIndex;
    const m = SEG_RE.exec(s);
    if (m === null) throw new Error(`unsupported path syntax at ${JSON.stringify(s.slice(at))} in ${JSON.stringify(path)}`);
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(m[3].startsWith('"') ? (JSON.parse(m[3]) as string) : m[3].slice(1, -1));
    else out.push(null);
  }
  return out;
}

/** Every value the path reaches (one for plain paths; any number through `[*]`). */
export function select(doc: unknown, path: readonly Segment[]): unknown[] {
  let cur: unknown[] = [doc];
  for (const seg of path) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (seg === null) {
        if (Array.isArray(v)) for (const x of v as unknown[]) next.push(x);
        else if (v !== null && typeof v === 'object') next.push(...Object.values(v as Record<string, unknown>));
      } else if (typeof seg === 'number') {
        if (Array.isArray(v) && seg < v.length) next.push(v[seg]);
      } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, seg)) {
        next.push((v as Record<string, unknown>)[seg]);
      }
    }
    cur = next;
  }
  return cur.filter((v) => v !== undefined && v !== null);
}
