import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EpicenterError } from '../../errors';
import { safeEqual, timelineSig } from '../auth';
import type { RouteContext } from '../context';
import { parseOr400 } from '../errors';
import { serviceParam, timeParam } from '../params';

const querySchema = z
  .object({
    service: serviceParam,
    at: timeParam,
    /** @default html */
    format: z.enum(['html', 'md', 'markdown']).default('html'),
    /** Link signature (see links.ts); stands in for the bearer token. */
    sig: z.string().max(100).optional(),
  })
  .strict();

/** GET /v1/timeline?service=&at=&format=html|md — the postmortem timeline of a service around a time. */
export function timelineRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/v1/timeline', async (req, reply) => {
    const q = parseOr400(querySchema, req.query, 'query');
    const token = ctx.deps.config.http.token;
    // The auth hook let a request with `sig` through: the signature must hold (a bearer token alone passed the hook otherwise).
    if (token !== undefined && q.sig !== undefined && !safeEqual(q.sig, timelineSig(token, q.service, q.at))) {
      throw new EpicenterError('UNAUTHORIZED', 'link signature does not match this service and time', { origin: { field: 'sig' } });
    }
    const { windowMs, afterMs } = ctx.deps.config.analysis;
    if (!(await ctx.known(q.service, q.at - windowMs, q.at + afterMs))) {
      throw new EpicenterError('NOT_FOUND', `unknown service "${q.service}": not in the topology and no data around ${new Date(q.at).toISOString()}`, { origin: { field: 'service' } });
    }
    if (ctx.deps.timeline === undefined) throw new EpicenterError('NOT_FOUND', 'timelines are not available: this server runs without a timeline renderer');
    const t = await ctx.deps.timeline({ service: q.service, at: q.at });
    reply.header('x-content-type-options', 'nosniff');
    if (q.format === 'html') return reply.type('text/html; charset=utf-8').send(t.html);
    return reply.type('text/markdown; charset=utf-8').send(t.markdown);
  });
}
