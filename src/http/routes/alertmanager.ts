import type { FastifyInstance } from 'fastify';
import { EpicenterError } from '../../errors';
import { decodeAlertmanagerWebhook } from '../../formats/alertmanager';
import { enrichAlerts } from '../../slack/enrich';
import type { RouteContext } from '../context';
import { errorBody, sendError } from '../errors';

/**
 * POST /v1/alerts/alertmanager — Alertmanager's webhook receiver. Answers 200 with one outcome per
 * alert; 503 when an alert failed for a reason that may pass (Slack or the store unavailable), so
 * Alertmanager retries the notification — alerts already posted are not posted again.
 */
export function alertmanagerRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/alerts/alertmanager', async (req, reply) => {
    const r = decodeAlertmanagerWebhook(req.body, { field: 'body' });
    if (!r.ok) return sendError(reply, new EpicenterError('BAD_REQUEST', `not an Alertmanager webhook (version 4): ${r.error.origin.field ?? ''} ${r.error.message}`, { origin: r.error.origin }));
    const rejected = r.errors.map((e) => ({ field: e.origin.field, message: e.message }));
    if (r.webhook.alerts.length === 0 && rejected.length > 0) {
      return reply.code(400).send({ ...errorBody(new EpicenterError('BAD_REQUEST', `every alert was rejected; first: ${rejected[0]?.field ?? ''} ${rejected[0]?.message ?? ''}`, { origin: { field: rejected[0]?.field ?? 'alerts' } })), rejected });
    }
    const { windowMs, afterMs } = ctx.deps.config.analysis;
    const results = await enrichAlerts(r.webhook, {
      analyze: ctx.deps.analyze,
      serviceKnown: (service, at) => ctx.known(service, at - windowMs, at + afterMs),
      dedupe: ctx.dedupe,
      serviceLabels: ctx.deps.config.slack.serviceLabels,
      windowMs,
      afterMs,
      timelineUrl: ctx.link,
      now: () => ctx.clock.now(),
      ...(ctx.slack === undefined ? {} : { slack: ctx.slack }),
    });
    for (const o of results) {
      const level = o.action === 'failed' ? 'warn' : 'info';
      req.log[level]({ alertname: o.alertname, status: o.status, service: o.service, fingerprint: o.fingerprint, action: o.action, reason: o.reason, top: o.topSuspect }, 'alert handled');
    }
    const retry = results.filter((o) => o.action === 'failed' && o.retriable === true);
    if (retry.length > 0) {
      const e = new EpicenterError('UPSTREAM_FAILED', `${retry.length} of ${results.length} alerts could not be handled yet (${retry[0]?.reason ?? ''}); retry the notification`);
      return reply.code(503).send({ ...errorBody(e), results, rejected });
    }
    return { results, rejected };
  });
}
