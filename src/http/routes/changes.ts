import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ChangeEvent } from '../../domain/types';
import { EpicenterError, isEpicenterError } from '../../errors';
import { decodeCloudEvent } from '../../formats';
import type { RouteContext } from '../context';
import { errorBody, parseOr400 } from '../errors';
import { serviceParam, timeParam } from '../params';
import { changeView } from '../views';
import { rangeOf } from './range';

/** Most events one POST may carry (http.bodyLimit bounds it too). */
export const MAX_EVENTS_PER_POST = 10_000;

const listSchema = z
  .object({
    service: serviceParam.optional(),
    team: z.string().trim().min(1).max(200).optional(),
    from: timeParam.optional(),
    to: timeParam.optional(),
    /** @default 1000 */
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .strict();

export interface RejectedEvent {
  readonly index: number;
  readonly code: string;
  readonly field?: string;
  readonly message: string;
}

/**
 * GET /v1/changes?service=&team=&from=&to=&limit= — change events, oldest first.
 * POST /v1/changes — one CloudEvent or an array; 200 all accepted, 207 some rejected
 * (body lists them by index and field), 400 none accepted.
 */
export function changesRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/v1/changes', async (req) => {
    const q = parseOr400(listSchema, req.query, 'query');
    const { from, to } = rangeOf(q, ctx);
    const all = await ctx.deps.store.queryChanges({ from, to, ...(q.service === undefined ? {} : { service: q.service }), ...(q.team === undefined ? {} : { team: q.team }) });
    if (all.length === 0 && q.service !== undefined && !(await ctx.known(q.service, from, to))) {
      throw new EpicenterError('NOT_FOUND', `unknown service "${q.service}": not in the topology and no data in the range`, { origin: { field: 'service' } });
    }
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), truncated: all.length > q.limit, changes: all.slice(0, q.limit).map(changeView) };
  });

  app.post('/v1/changes', async (req, reply) => {
    const body: unknown = req.body;
    const docs = Array.isArray(body) ? body : [body];
    const single = !Array.isArray(body);
    if (body === undefined || body === null) throw new EpicenterError('BAD_REQUEST', 'body is required: one CloudEvent or an array of them', { origin: { field: 'body' } });
    if (docs.length === 0) throw new EpicenterError('BAD_REQUEST', 'body is an empty array', { origin: { field: 'body' } });
    if (docs.length > MAX_EVENTS_PER_POST) throw new EpicenterError('BAD_REQUEST', `body holds ${docs.length} events; at most ${MAX_EVENTS_PER_POST} per request`, { origin: { field: 'body' } });
    const accepted: ChangeEvent[] = [];
    const rejected: RejectedEvent[] = [];
    const now = ctx.clock.now();
    docs.forEach((doc, index) => {
      try {
        accepted.push(decodeCloudEvent(doc, { now }, single ? '' : `[${index}]`));
      } catch (e) {
        if (!isEpicenterError(e)) throw e;
        rejected.push({ index, code: e.code, message: e.message, ...(e.origin.field === undefined ? {} : { field: e.origin.field }) });
      }
    });
    if (accepted.length === 0) {
      const first = rejected[0];
      const e = new EpicenterError('BAD_INPUT', `${rejected.length === 1 ? 'the event was' : `all ${rejected.length} events were`} rejected${first === undefined ? '' : `; first: ${first.field ?? ''} ${first.message}`}`, {
        origin: first?.field === undefined ? {} : { field: first.field },
      });
      return reply.code(400).send({ ...errorBody(e), accepted: 0, rejected });
    }
    await ctx.deps.changes.publishChanges(accepted);
    req.log.info({ accepted: accepted.length, rejected: rejected.length }, 'changes received');
    return reply.code(rejected.length === 0 ? 200 : 207).send({ accepted: accepted.length, rejected, ids: accepted.map((c) => c.id) });
  });
}
