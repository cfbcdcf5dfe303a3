import type { EpicenterError } from '../errors';
import { bad, lineOf, type Origin } from './origin';

/** One parsed JSON document and the absolute line it starts on. */
export interface JsonDoc {
  readonly doc: unknown;
  readonly line: number;
}

/**
 * Splits text into JSON documents: NDJSON (one per line; blank lines skipped) or one document
 * that may span lines (pretty-printed). NDJSON is assumed when the first non-blank line parses
 * on its own, or, when the text does not parse whole either, when most lines do (a corrupt first
 * line must not lose the others). A line that does not parse is reported by its line number.
 */
export function parseJsonDocs(input: string, origin: Origin): { docs: JsonDoc[]; errors: EpicenterError[] } {
  // Editors on Windows save a byte-order mark, which JSON.parse refuses.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return { docs: [], errors: [] };
  let firstDoc: unknown;
  try {
    firstDoc = JSON.parse(lines[first] ?? '');
  } catch {
    try {
      return { docs: [{ doc: JSON.parse(text), line: lineOf(origin, first) }], errors: [] };
    } catch (e) {
      const byLine = parseLines(lines, first, origin);
      if (byLine.docs.length > byLine.errors.length) return byLine;
      // One broken pretty-printed document: say where it broke.
      return { docs: [], errors: [bad(origin, lineOf(origin, errorLine(text, e)), undefined, `invalid JSON: ${messageOf(e)}`)] };
    }
  }
  const rest = parseLines(lines, first + 1, origin);
  rest.docs.unshift({ doc: firstDoc, line: lineOf(origin, first) });
  return rest;
}

/** Each non-blank line from `from` on as its own JSON document; lines that do not parse are errors. */
function parseLines(lines: readonly string[], from: number, origin: Origin): { docs: JsonDoc[]; errors: EpicenterError[] } {
  const docs: JsonDoc[] = [];
  const errors: EpicenterError[] = [];
  for (let i = from; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (l.trim() === '') continue;
    try {
      docs.push({ doc: JSON.parse(l), line: lineOf(origin, i) });
    } catch (e) {
      errors.push(bad(origin, lineOf(origin, i), undefined, `invalid JSON: ${messageOf(e)}`));
    }
  }
  return { docs, errors };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** 0-based line index of a JSON.parse error, from the "position N" V8 puts in the message. */
function errorLine(text: string, e: unknown): number {
  const m = /position (\d+)/.exec(messageOf(e));
  if (m === null) return 0;
  const pos = Number(m[1]);
  let n = 0;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Sorts errors by line, in place (stable), so reports read in file order. */
export function inLineOrder<T extends { readonly origin: { readonly line?: number } }>(errors: T[]): T[] {
  return errors.sort((a, b) => (a.origin.line ?? 0) - (b.origin.line ?? 0));
}
