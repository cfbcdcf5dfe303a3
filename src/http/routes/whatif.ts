import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isObject } from '../../formats/json';
import { predict, proposalFromDoc } from '../../whatif';
import { SnapshotCache } from '../../whatif/cache';
import { snapshotFromStore, storedVerdict } from '../../whatif/store';
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
 * snapshot is built from the store: what was known before the proposal's time (or now), reused
 * for up to 5 minutes of newer requests (see SnapshotCache). With a verdict store (ClickHouse) the
 * verdict is kept for dashboards; failing to keep it is logged, the answer still given.
 */
export function whatifRoute(app: FastifyInstance, ctx: RouteContext): void {
  const cache = new SnapshotCache();
  app.post('/v1/whatif', async (req) => {
    const bare = isObject(req.body) && 'specversion' in req.body;
    const body = parseOr400(bodySchema, bare ? { proposal: req.body } : req.body, 'body');
    const proposal = proposalFromDoc(body.proposal, {}, bare ? '' : 'proposal');
    const now = ctx.clock.now();
    const until = Math.min(proposal.time, now);
    const days = (body.history ?? 7 * DAY) / DAY;
    const snap = await cache.get(until, days, () => snapshotFromStore(ctx.deps.store, ctx.deps.topology(), { until, days }));
    const p = predict(snap, proposal, body.horizon === undefined ? {} : { horizonMs: body.horizon });
    try {
      await ctx.deps.verdicts?.insertWhatIfVerdicts([storedVerdict(proposal, p, now, 'http')]);
    } catch (e) {
      req.log.warn({ err: e, proposal: proposal.id }, 'whatif: could not store the verdict');
    }
    return { verdict: p.verdict, breaches: p.breaches, effects: p.effects, blind: p.blind, assumptions: p.assumptions };
  });
}
