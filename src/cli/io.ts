import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { loadTopologyFile } from '../app/files';
import type { Topology } from '../domain/types';
import type { EpicenterError } from '../errors';

/** Print rejected records to stderr, one per line, naming where each came from. */
export function reportRejected(errors: readonly EpicenterError[], limit = 50): void {
  for (const e of errors.slice(0, limit)) process.stderr.write(`rejected: ${e.describe()}\n`);
  if (errors.length > limit) process.stderr.write(`rejected: … and ${errors.length - limit} more\n`);
}

/** Exit status convention: 0 all input used, 3 some records rejected (the rest was still used). */
export const EXIT_REJECTED = 3;

export { loadChangeFiles, loadMetricFiles, loadTopologyFile, readText } from '../app/files';

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

/**
 * Write lines to a file, each followed by a newline, in pieces of about `pieceChars` characters:
 * never the whole text as one string, which V8 cannot hold past ~512 MiB (`simulate --services 1000`
 * died with "RangeError: Invalid string length").
 */
export function writeLinesFile(file: string, lines: Iterable<string>, pieceChars = 1 << 24): void {
  const fd = openSync(file, 'w');
  try {
    let piece: string[] = [];
    let size = 0;
    for (const line of lines) {
      piece.push(line);
      size += line.length + 1;
      if (size < pieceChars) continue;
      writeSync(fd, `${piece.join('\n')}\n`);
      piece = [];
      size = 0;
    }
    if (piece.length > 0) writeSync(fd, `${piece.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}
