import { badInput, type EpicenterError, type ErrorOrigin } from '../errors';

/**
 * Where the text or document being decoded came from, plus decoding options that depend on the
 * caller. Decoders copy these into every error they report.
 */
export interface Origin {
  /** File name, for errors and (CSV) the default metric name. */
  file?: string;
  /** Line number of the first line of the text (1-based). Default 1. */
  line?: number;
  topic?: string;
  partition?: number;
  /** Kafka offset as a decimal string. */
  offset?: string;
  /**
   * "Now", epoch ms. When set, samples and changes more than 1 day after it are rejected
   * (streaming callers pass the clock). Default: no future check (file mode replays the past).
   */
  now?: number;
}

/** The error origin for a record at `line` (absolute, already offset) and `field`. */
export function errorOrigin(origin: Origin, line: number | undefined, field: string | undefined): ErrorOrigin {
  const o: { -readonly [K in keyof ErrorOrigin]: ErrorOrigin[K] } = {};
  if (origin.file !== undefined) o.file = origin.file;
  if (origin.topic !== undefined) o.topic = origin.topic;
  if (origin.partition !== undefined) o.partition = origin.partition;
  if (origin.offset !== undefined) o.offset = origin.offset;
  if (line !== undefined) o.line = line;
  else if (origin.line !== undefined) o.line = origin.line;
  if (field !== undefined && field !== '') o.field = field;
  return o;
}

/** A BAD_INPUT error at `line`/`field` of `origin`. */
export function bad(origin: Origin, line: number | undefined, field: string | undefined, message: string): EpicenterError {
  return badInput(message, errorOrigin(origin, line, field));
}

/** Absolute line number of the `index`-th (0-based) line of the text. */
export function lineOf(origin: Origin, index: number): number {
  return (origin.line ?? 1) + index;
}

/**
 * A field path such as `resourceMetrics[0].scopeMetrics[1].name` from a base and path segments
 * (numbers become `[i]`, keys that are not identifiers become `["a.b"]`).
 */
export function fieldPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}
