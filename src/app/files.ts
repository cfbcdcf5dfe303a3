import { readFileSync } from 'node:fs';
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

/** A file that gave nothing usable is an error (exit 2) naming it, never an empty input analysed with confidence. */
export function nothingUsable(file: string, text: string, what: string, errors: readonly EpicenterError[]): EpicenterError {
  const why = errors.length > 0 ? `all ${errors.length} records were rejected, the first: ${errors[0]!.describe()}` : text.trim() === '' ? 'the file is empty' : 'none in it';
  return new EpicenterError('BAD_INPUT', `no usable ${what} (${why})`, { origin: { file } });
}

/**
 * Metric files (OTLP/JSON, collectd JSON or CSV, sniffed) → samples plus the rejected records.
 * Throws BAD_INPUT naming the file when one gives no point at all (empty, a change file, binary…).
 */
export function loadMetricFiles(files: readonly string[], csv: CsvOptions = {}): { samples: Sample[]; rejected: EpicenterError[] } {
  const rates = createRateState();
  const samples: Sample[] = [];
  const rejected: EpicenterError[] = [];
  for (const file of files) {
    const text = readText(file);
    const d = decodeMetricsFile(text, { file }, rates, csv);
    if (d.values.length === 0) throw nothingUsable(file, text, 'metric points', d.errors);
    // Loops, not push(...x): a simulated incident holds ~200k points, beyond the call-argument limit.
    for (const s of d.values) samples.push(s);
    for (const e of d.errors) rejected.push(e);
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
