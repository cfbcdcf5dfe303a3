import type { FastifyInstance } from 'fastify';
import { SourceCounters } from '../../changes/counters';
import { SOURCE_KINDS } from '../../changes/config';
import { receiveWebhook, type RefusalReason } from '../../changes/source';
import { EpicenterError, type ErrorCode } from '../../errors';
import type { RouteContext } from '../context';
import { errorBody } from '../errors';

const REFUSAL: Readonly<Record<RefusalReason, { code: ErrorCode; status: number }>> = {
  'unknown-source': { code: 'NOT_FOUND', status: 404 },
  unsigned: { code: 'UNAUTHORIZED', status: 401 },
  'bad-signature': { code: 'UNAUTHORIZED', status: 401 },
  malformed: { code: 'BAD_INPUT', status: 400 },
};

/**
 * POST /v1/changes/<github|argocd|launchdarkly|pagerduty|generic>/<name> — webhooks from where changes
 * happen, each authenticated by its own signature or token (not http.token: GitHub cannot send one),
 * normalised in src/changes and published like POST /v1/changes. 200 with the change ids; 202 when
 * the delivery is fine but not a change (a ping, a pending deployment); 401/400/404 refused with the
 * reason. GET /v1/changes/sources — accepted/ignored/refused counts per source kind.
 */
export function changeSourceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const counters = ctx.deps.sourceCounters ?? new SourceCounters();
  app.get('/v1/changes/sources', () => ({ sources: counters.snapshot() }));

  void app.register((scope, _opts, done) => {
    // Signatures cover the exact bytes sent: keep the body as text, whatever the content type says.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, next) => next(null, body));
    scope.post<{ Params: { kind: string; name: string } }>('/v1/changes/:kind/:name', async (req, reply) => {
      const { kind, name } = req.params;
      const counted = (SOURCE_KINDS as readonly string[]).includes(kind) ? kind : 'unknown';
      const body = typeof req.body === 'string' ? req.body : '';
      const r = await receiveWebhook(ctx.deps.config.changeSources, kind, name, { headers: req.headers, body, now: ctx.clock.now() });
      if ('refused' in r) {
        counters.refused(counted, r.refused);
        req.log.warn({ kind: counted, name, reason: r.refused, field: r.field }, 'change webhook refused');
        const { code, status } = REFUSAL[r.refused];
        const e = new EpicenterError(code, r.message, { origin: r.field === undefined ? {} : { field: r.field } });
        return reply.code(status).send({ ...errorBody(e), refused: r.refused });
      }
      if ('ignored' in r) {
        counters.ignored(counted);
        return reply.code(202).send({ accepted: 0, ignored: r.ignored });
      }
      await ctx.deps.changes.publishChanges(r.changes);
      counters.accepted(counted, r.changes.length);
      req.log.info({ kind: counted, name, changes: r.changes.length }, 'change webhook accepted');
      return reply.code(200).send({ accepted: r.changes.length, ids: r.changes.map((c) => c.id) });
    });
    done();
  });
}
