import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EpicenterError } from '../errors';
import { sendError } from './errors';

/**
 * Bearer-token auth for /v1 (when http.token is set), and signed timeline links so a link in
 * Slack opens in a browser without handing out the token.
 */

/** Constant-time string equality: both sides are hashed first, so neither length nor content leaks through timing. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerOf(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/** Signature of a timeline link for (service, at): 128 bits of HMAC-SHA256 keyed by http.token, base64url. */
export function timelineSig(token: string, service: string, at: number): string {
  return createHmac('sha256', token).update(`timeline\n${service}\n${at}`).digest('base64url').slice(0, 22);
}

/** Routes that authenticate otherwise: Slack signs its requests; change webhooks carry their source's signature or token. */
const SELF_AUTHENTICATED = new Set(['/v1/slack/command', '/v1/changes/:kind/:name']);

/**
 * onRequest hook: refuses /v1 requests without the configured bearer token (401, with
 * WWW-Authenticate). GET /v1/timeline also accepts a valid `sig` (checked by the route itself).
 */
export function bearerAuth(token: string | undefined) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (token === undefined) return undefined;
    // The matched route's pattern, not the raw URL: no spelling of a path can dodge the check.
    const path = req.routeOptions.url ?? '';
    if (!path.startsWith('/v1/') || SELF_AUTHENTICATED.has(path)) return undefined;
    if (path === '/v1/timeline' && /[?&]sig=/.test(req.url)) return undefined; // the route verifies the signature
    const given = bearerOf(req.headers.authorization);
    if (given !== undefined && safeEqual(given, token)) return undefined;
    req.log.warn({ path, reason: given === undefined ? 'no bearer token' : 'wrong bearer token' }, 'request refused');
    return sendError(reply.header('www-authenticate', 'Bearer realm="epicenter"'), new EpicenterError('UNAUTHORIZED', given === undefined ? 'missing Authorization: Bearer <http.token>' : 'wrong bearer token', { origin: { field: 'authorization' } }));
  };
}
