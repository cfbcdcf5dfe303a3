import { existsSync } from 'node:fs';
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
