import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isObject } from '../../formats/json';
import { predict, proposalFromDoc } from '../../whatif';
import { snapshotFromStore } from '../../whatif/store';
import type { RouteContext } from '../context';
import { parseOr400 } from '../errors';
import { durationParam } from '../params';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const bodySchema = z
  .object({
    /** The proposed change: one CloudEvent with data.settings/replicas/traffic/version/effects. */
    proposal: z.record(z.string(), z.unknown(), { error: 'is required: the proposed change as a CloudEvent' }),
    /** How far ahead to look, "24h" or ms; default 24 h. */
    horizon: durationParam(HOUR, 7 * DAY).optional(),
    /** History to model, "7d" or ms; default 7 days. */
    history: durationParam(HOUR, 30 * DAY).optional(),
  })
  .strict();

/**
 * POST /v1/whatif — {proposal, horizon?, history?}, or the CloudEvent itself as the body →
 * {verdict, breaches, effects, assumptions}, the same shape as `epicenter whatif --json`. The
 * snapshot is built from the store: what was known before the proposal's time (or now).
 */
export function whatifRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/whatif', async (req) => {
    const bare = isObject(req.body) && 'specversion' in req.body;
    const body = parseOr400(bodySchema, bare ? { proposal: req.body } : req.body, 'body');
    const proposal = proposalFromDoc(body.proposal, {}, bare ? '' : 'proposal');
    const until = Math.min(proposal.time, ctx.clock.now());
    const snap = await snapshotFromStore(ctx.deps.store, ctx.deps.topology(), { until, days: (body.history ?? 7 * DAY) / DAY });
    const p = predict(snap, proposal, body.horizon === undefined ? {} : { horizonMs: body.horizon });
    return { verdict: p.verdict, breaches: p.breaches, effects: p.effects, assumptions: p.assumptions };
  });
}
