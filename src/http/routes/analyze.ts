import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EpicenterError } from '../../errors';
import type { RouteContext } from '../context';
import { parseOr400 } from '../errors';
import { durationParam, serviceParam, timeParam } from '../params';
import { analysisView } from '../views';

const DAY = 86_400_000;

const bodySchema = z
  .object({
    service: serviceParam,
    /** ISO 8601 or epoch ms. */
    at: timeParam,
    /** Look-back, "6h" or ms; default analysis.windowMs. */
    window: durationParam(60_000, 30 * DAY).optional(),
    /** Look-ahead, "1h" or ms; default analysis.afterMs. */
    after: durationParam(0, 7 * DAY).optional(),
  })
  .strict();

/** POST /v1/analyze {service, at, window?, after?} → the ranked suspect changes. */
export function analyzeRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/analyze', async (req) => {
    const body = parseOr400(bodySchema, req.body, 'body');
    const windowMs = body.window ?? ctx.deps.config.analysis.windowMs;
    const afterMs = body.after ?? ctx.deps.config.analysis.afterMs;
    if (!(await ctx.known(body.service, body.at - windowMs, body.at + afterMs))) {
      throw new EpicenterError('NOT_FOUND', `unknown service "${body.service}": not in the topology and no data around ${new Date(body.at).toISOString()}`, { origin: { field: 'service' } });
    }
    const a = await ctx.deps.analyze({ service: body.service, at: body.at, windowMs, afterMs });
    return analysisView(a, ctx.link(body.service, body.at));
  });
}
