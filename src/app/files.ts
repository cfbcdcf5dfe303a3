import { constants } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { consolidateChanges } from '../changes/merge';
import type { ChangeEvent, Sample, Topology } from '../domain/types';
import { EpicenterError } from '../errors';
import { createRateState, decodeCloudEvents, decodeMetricsFile, decodeTopology, type CsvOptions } from '../formats';

/**
 * Input files for every command (CLI and the what-if's loaders): read, decode, and refuse a file
 * that gave nothing usable (BAD_INPUT naming it, exit 2) rather than analyse an empty input.
 */

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new EpicenterError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`, { origin: { file } });
  }
}

/** How metric files are read: whole up to `oneText` bytes, else in line-aligned pieces of `piece` bytes. */
export interface ReadLimits {
  readonly oneText: number;
  readonly piece: number;
}

/** V8 cannot hold a string much past 512 MiB (a UTF-8 byte is at most one character). */
const READ_LIMITS: ReadLimits = { oneText: constants.MAX_STRING_LENGTH, piece: 1 << 26 };

function openForReading(file: string): number {
  try {
    return openSync(file, 'r');
  } catch (e) {
    throw new EpicenterError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`, { origin: { file } });
  }
}

function newlines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1 && i < end; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/**
 * A file too long for one string, as pieces that end at a line end, each with the line it starts at,
 * so records are decoded line by line as from one text and errors still name the file's own lines.
 */
function* linePieces(file: string, pieceBytes: number): Generator<{ text: string; line: number }> {
  const fd = openForReading(file);
  try {
    const buf = Buffer.alloc(pieceBytes);
    let held = 0; // the start of a line the last piece did not end
    let line = 1;
    for (;;) {
      const end = held + readSync(fd, buf, held, pieceBytes - held, null);
      if (end === 0) return;
      const cut = end < pieceBytes ? end : buf.lastIndexOf(0x0a, end - 1) + 1;
      if (cut === 0) throw new EpicenterError('BAD_INPUT', `line ${line} is longer than ${pieceBytes} bytes`, { origin: { file, line } });
      yield { text: buf.toString('utf8', 0, cut), line };
      line += newlines(buf, cut);
      held = buf.copy(buf, 0, cut, end);
    }
  } finally {
    closeSync(fd);
  }
}

/** A metric file's text: whole, or in line-aligned pieces when it is longer than one string can be. */
export function* metricTexts(file: string, limits: ReadLimits = READ_LIMITS): Generator<{ text: string; line: number }> {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // readText names the file and the reason
  }
  if (size <= limits.oneText) yield { text: readText(file), line: 1 };
  else yield* linePieces(file, limits.piece);
}

/** A file that gave nothing usable is an error (exit 2) naming it, never an empty input analysed with confidence. */
export function nothingUsable(file: string, text: string, what: string, errors: readonly EpicenterError[]): EpicenterError {
  const why = errors.length > 0 ? `all ${errors.length} records were rejected, the first: ${errors[0]!.describe()}` : text.trim() === '' ? 'the file is empty' : 'none in it';
  return new EpicenterError('BAD_INPUT', `no usable ${what} (${why})`, { origin: { file } });
}

/**
 * Metric files (OTLP/JSON, collectd JSON or CSV, sniffed) → samples plus the rejected records.
 * Throws BAD_INPUT naming the file when one gives no point at all (empty, a change file, binary…).
 */
export function loadMetricFiles(files: readonly string[], csv: CsvOptions = {}, limits: ReadLimits = READ_LIMITS): { samples: Sample[]; rejected: EpicenterError[] } {
  const rates = createRateState();
  const samples: Sample[] = [];
  const rejected: EpicenterError[] = [];
  for (const file of files) {
    const before = samples.length;
    const errors: EpicenterError[] = [];
    let last = '';
    for (const { text, line } of metricTexts(file, limits)) {
      const d = decodeMetricsFile(text, line === 1 ? { file } : { file, line }, rates, csv);
      // Loops, not push(...x): a simulated incident holds ~200k points, beyond the call-argument limit.
      for (const s of d.values) samples.push(s);
      for (const e of d.errors) errors.push(e);
      last = text;
    }
    if (samples.length === before) throw nothingUsable(file, last, 'metric points', errors);
    for (const e of errors) rejected.push(e);
  }
  return { samples, rejected };
}

/**
 * CloudEvents change files → changes, one per (source, id) as CloudEvents identify them (the last
 * copy wins, as in the stores), plus the rejected records. A file whose every record was rejected
 * is an error naming it; an empty file is no changes. One change reported by several sources (a
 * deploy webhook and the rollout it caused) is then merged into one candidate with both origins.
 */
export function loadChangeFiles(files: readonly string[]): { changes: ChangeEvent[]; rejected: EpicenterError[] } {
  const byKey = new Map<string, ChangeEvent>();
  const rejected: EpicenterError[] = [];
  for (const file of files) {
    const text = readText(file);
    const d = decodeCloudEvents(text, { file });
    if (d.values.length === 0 && d.errors.length > 0) throw nothingUsable(file, text, 'change events', d.errors);
    for (const c of d.values) byKey.set(`${c.source}\u0000${c.id}`, c);
    for (const e of d.errors) rejected.push(e);
  }
  return { changes: consolidateChanges([...byKey.values()]), rejected };
}

export function loadTopologyFile(file: string): { topology: Topology; rejected: EpicenterError[] } {
  const t = decodeTopology(readText(file), { file });
  return { topology: t.topology, rejected: [...t.errors] };
}
