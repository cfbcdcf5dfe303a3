import { EpicenterError } from '../../errors';
import type { RouteContext } from '../context';

/** Longest range a list query may span, ms (90 days). */
export const MAX_RANGE_MS = 90 * 86_400_000;

/** [from, to) of a list query: `to` defaults to now, `from` to `to` minus analysis.windowMs. */
export function rangeOf(q: { from?: number | undefined; to?: number | undefined }, ctx: RouteContext): { from: number; to: number } {
  const to = q.to ?? ctx.clock.now();
  const from = q.from ?? to - ctx.deps.config.analysis.windowMs;
  if (from >= to) throw new EpicenterError('BAD_REQUEST', `from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`, { origin: { field: 'from' } });
  if (to - from > MAX_RANGE_MS) throw new EpicenterError('BAD_REQUEST', 'range is longer than 90 days', { origin: { field: 'from' } });
  return { from, to };
}
