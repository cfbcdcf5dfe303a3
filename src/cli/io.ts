import { consolidateChanges } from '../changes/merge';
import { existsSync, readFileSync } from 'node:fs';
import type { ChangeEvent, Sample, Topology } from '../domain/types';
import { EpicenterError } from '../errors';
import { createRateState, decodeCloudEvents, decodeMetricsFile, decodeTopology, type CsvOptions } from '../formats';

/** Print rejected records to stderr, one per line, naming where each came from. */
export function reportRejected(errors: readonly EpicenterError[], limit = 50): void {
  for (const e of errors.slice(0, limit)) process.stderr.write(`rejected: ${e.describe()}\n`);
  if (errors.length > limit) process.stderr.write(`rejected: … and ${errors.length - limit} more\n`);
}

/** Exit status convention: 0 all input used, 3 some records rejected (the rest was still used). */
export const EXIT_REJECTED = 3;

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new EpicenterError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`, { origin: { file } });
  }
}

/** A file that gave nothing usable is an error (exit 2) naming it, never an empty input analysed with confidence. */
function nothingUsable(file: string, text: string, what: string, errors: readonly EpicenterError[]): EpicenterError {
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

/**
 * The topology for `--source clickhouse`: a --topology given must be readable; the configured default
 * (`topologyFile`, relative to the working directory) may be missing, as `epicenter run` allows, with a warning.
 */
export function loadServiceTopology(given: string | undefined, configured: string): { topology: Topology; rejected: EpicenterError[] } {
  if (given === undefined && !existsSync(configured)) {
    process.stderr.write(`warning: topology file ${configured} (config topologyFile) not found; going on without a service graph (no limits, no cross-service paths); --topology FILE names one\n`);
    return { topology: { services: [] }, rejected: [] };
  }
  return loadTopologyFile(given ?? configured);
}
