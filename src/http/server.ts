import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { systemClock } from '../ports';
import { AlertDedupe } from '../slack/dedupe';
import type { PostedAlert } from '../slack/enrich';
import { createSlackWebhookClient } from '../slack/webhook';
import { bearerAuth } from './auth';
import type { RouteContext } from './context';
import type { HttpDeps } from './deps';
import { installErrorHandlers } from './errors';
import { timelineUrl } from './links';
import { alertmanagerRoute } from './routes/alertmanager';
import { analyzeRoute } from './routes/analyze';
import { breakpointsRoute } from './routes/breakpoints';
import { changeSourceRoutes } from './routes/change-sources';
import { changesRoutes } from './routes/changes';
import { healthRoutes } from './routes/health';
import { slackCommandRoute } from './routes/slack-command';
import { timelineRoute } from './routes/timeline';
import { whatifRoute } from './routes/whatif';
import { serviceKnown } from './services';

export type { HttpDeps, AnalyzeRequest } from './deps';

/** Alert occurrences remembered for dedupe, per server. */
const DEDUPE_ENTRIES = 10_000;

/** Drop query strings from logged URLs: timeline links carry a signature. */
function pathOnly(url: string): string {
  return url.split('?', 1)[0] ?? url;
}

/**
 * The HTTP API (routes in ./routes, one concept per file). Not listening yet: call
 * `app.listen({ host: config.http.host, port: config.http.port })`, and `app.close()` on shutdown.
 */
export function createHttpServer(deps: HttpDeps): FastifyInstance {
  const { config } = deps;
  const app = Fastify({
    bodyLimit: config.http.bodyLimit,
    // We log requests ourselves (below) without query strings or headers.
    logController: new LogController({ disableRequestLogging: true }),
    ...(deps.logger === undefined ? { logger: { level: config.log.level } } : { loggerInstance: deps.logger }),
  }) as unknown as FastifyInstance;

  const clock = deps.clock ?? systemClock;
  const slack = deps.slack ?? (config.slack.webhookUrl === undefined ? undefined : createSlackWebhookClient({ url: config.slack.webhookUrl, maxRetries: config.slack.maxRetries }));
  const ctx: RouteContext = {
    deps,
    clock,
    ...(slack === undefined ? {} : { slack }),
    responder: deps.slack ?? createSlackWebhookClient({ maxRetries: config.slack.maxRetries }),
    dedupe: new AlertDedupe<PostedAlert>(DEDUPE_ENTRIES),
    known: (service, from, to) => serviceKnown(deps.store, deps.topology(), service, from, to),
    link: (service, at) => timelineUrl(config.http.publicUrl, config.http.token, service, at),
  };

  installErrorHandlers(app, config.http.bodyLimit);
  // CloudEvents' own media types carry JSON (structured and batch mode).
  app.addContentTypeParser(['application/cloudevents+json', 'application/cloudevents-batch+json'], { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  void app.register(formbody, { bodyLimit: config.http.bodyLimit });
  app.addHook('onRequest', bearerAuth(config.http.token));
  app.addHook('onResponse', (req, reply, done) => {
    const status = reply.statusCode;
    const fields = { method: req.method, path: pathOnly(req.url), status, ms: Math.round(reply.elapsedTime) };
    if (status >= 500) req.log.warn(fields, 'request completed');
    else req.log.info(fields, 'request completed');
    done();
  });

  healthRoutes(app, ctx);
  analyzeRoute(app, ctx);
  changesRoutes(app, ctx);
  changeSourceRoutes(app, ctx);
  breakpointsRoute(app, ctx);
  timelineRoute(app, ctx);
  alertmanagerRoute(app, ctx);
  slackCommandRoute(app, ctx);
  whatifRoute(app, ctx);
  return app;
}
