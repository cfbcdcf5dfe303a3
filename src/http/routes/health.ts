import type { FastifyInstance } from 'fastify';
import { EpicenterError, isEpicenterError } from '../../errors';
import type { RouteContext } from '../context';
import { sendError } from '../errors';

/** How long /readyz waits for the store and the readiness hook, ms. */
const READY_TIMEOUT_MS = 3000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EpicenterError('TIMEOUT', `${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** GET /healthz — the process serves (liveness). GET /readyz — the store answers and the readiness hook passes. */
export function healthRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/healthz', () => ({ status: 'ok' }));

  app.get('/readyz', async (req, reply) => {
    try {
      await withTimeout(ctx.deps.store.ping(), READY_TIMEOUT_MS, 'the store');
      if (ctx.deps.readiness !== undefined) await withTimeout(ctx.deps.readiness(), READY_TIMEOUT_MS, 'the readiness check');
      return { status: 'ready' };
    } catch (e) {
      const err = isEpicenterError(e) ? e : new EpicenterError('STORE_UNAVAILABLE', `not ready: ${(e as Error).message}`);
      req.log.warn({ code: err.code, reason: err.message }, 'not ready');
      return sendError(reply, err, 503);
    }
  });
}
