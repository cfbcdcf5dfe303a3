import { isObject } from '../formats/json';
import { bad, type Origin } from '../formats/origin';
import { SNAPSHOT_VERSION, type Snapshot } from './types';

const ARRAYS = ['services', 'series', 'couplings', 'impacts'] as const;

/**
 * A snapshot file → Snapshot. Checks the kind, the version and the shape of the top level (a full
 * schema walk over 100 000 series would cost more than the what-if itself); BAD_INPUT names the field.
 */
export function decodeSnapshot(text: string, origin: Origin): Snapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw bad(origin, undefined, undefined, `not JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw bad(origin, 1, undefined, 'must be a JSON object (an epicenter snapshot)');
  if (doc['kind'] !== 'epicenter.snapshot') throw bad(origin, 1, 'kind', `must be "epicenter.snapshot", got ${JSON.stringify(doc['kind'])}`);
  if (doc['version'] !== SNAPSHOT_VERSION) throw bad(origin, 1, 'version', `unsupported snapshot version ${JSON.stringify(doc['version'])}; this epicenter reads version ${SNAPSHOT_VERSION} (build the snapshot again)`);
  for (const f of ['from', 'to', 'stepMs'] as const) if (typeof doc[f] !== 'number') throw bad(origin, 1, f, 'must be a number (epoch ms)');
  for (const f of ARRAYS) if (!Array.isArray(doc[f])) throw bad(origin, 1, f, 'must be a list');
  const load = doc['load'];
  if (load !== null && !(Array.isArray(load) && load.length === 24)) throw bad(origin, 1, 'load', 'must be null or 24 numbers');
  return doc as unknown as Snapshot;
}

export function encodeSnapshot(s: Snapshot): string {
  return `${JSON.stringify(s)}\n`;
}
