import type { z } from 'zod';
import type { EpicenterError } from '../errors';
import { bad, fieldPath, type Origin } from './origin';

/**
 * A zod failure as one BAD_INPUT error naming the first offending field below `base`
 * (e.g. `resourceMetrics[0].scopeMetrics[0].metrics[2].name`).
 */
export function zodError(error: z.ZodError, origin: Origin, line: number | undefined, base: string): EpicenterError {
  const issue = error.issues[0];
  if (issue === undefined) return bad(origin, line, base, 'invalid record');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : '';
  return bad(origin, line, fieldPath(base, issue.path), `${describeIssue(issue)}${more}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // zod's default for a missing key is "expected string, received undefined": say it plainly.
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return `is required (${issue.expected})`;
  return issue.message;
}
