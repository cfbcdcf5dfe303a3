import type { EpicenterError } from '../errors';

/** Print rejected records to stderr, one per line, naming where each came from. */
export function reportRejected(errors: readonly EpicenterError[], limit = 50): void {
  for (const e of errors.slice(0, limit)) process.stderr.write(`rejected: ${e.describe()}\n`);
  if (errors.length > limit) process.stderr.write(`rejected: … and ${errors.length - limit} more\n`);
}

/** Exit status convention: 0 all input used, 3 some records rejected (the rest was still used). */
export const EXIT_REJECTED = 3;
