import { existsSync, readFileSync } from 'node:fs';
import type { Topology } from '../domain/types';
import { decodeTopology } from '../formats';
import type { Logger } from './logger';

/** The topology file, or an empty topology (with a warning) when it is missing; bad entries are logged and skipped. */
export function loadTopologyFile(file: string, log: Logger): Topology {
  if (!existsSync(file)) {
    log.warn({ file }, 'topology file not found; running without a service graph (no limits, no cross-service paths)');
    return { services: [] };
  }
  const { topology, errors } = decodeTopology(readFileSync(file, 'utf8'), { file });
  for (const e of errors) log.warn({ code: e.code }, `topology: ${e.describe()}`);
  log.info({ file, services: topology.services.length }, 'topology loaded');
  return topology;
}
