import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EpicenterError } from '../../errors';
import type { RouteContext } from '../context';
import { parseOr400 } from '../errors';
import { serviceParam, timeParam } from '../params';
import { breakpointView } from '../views';
import { rangeOf } from './range';

const querySchema = z
  .object({
    service: serviceParam.optional(),
    from: timeParam.optional(),
    to: timeParam.optional(),
    /** @default 1000 */
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .strict();

/** GET /v1/breakpoints?service=&from=&to=&limit= — trend breakpoints, oldest first. */
export function breakpointsRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/v1/breakpoints', async (req) => {
    const q = parseOr400(querySchema, req.query, 'query');
    const { from, to } = rangeOf(q, ctx);
    const all = await ctx.deps.store.queryBreakpoints({ from, to, ...(q.service === undefined ? {} : { service: q.service }) });
    if (all.length === 0 && q.service !== undefined && !(await ctx.known(q.service, from, to))) {
      throw new EpicenterError('NOT_FOUND', `unknown service "${q.service}": not in the topology and no data in the range`, { origin: { field: 'service' } });
    }
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), truncated: all.length > q.limit, breakpoints: all.slice(0, q.limit).map(breakpointView) };
  });
}
