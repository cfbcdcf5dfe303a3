import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SharedAuth } from './config';

/**
 * Who sent a webhook, checked before its body is read. GitHub: `X-Hub-Signature-256` through
 * @octokit/webhooks-methods. LaunchDarkly: `X-LD-Signature`, hex HMAC-SHA256 of the raw body with the
 * webhook's secret. Argo CD, PagerDuty-shaped senders and generic JSON: what is configured of a
 * shared-secret HMAC of the raw body (hex, `sha256=` optional) and a bearer token — all of it.
 * Each returns undefined when the sender is proven, else why not.
 */

export type Headers = Readonly<Record<string, string | string[] | undefined>>;
export interface AuthFailure {
  readonly reason: 'unsigned' | 'bad-signature';
  readonly message: string;
  readonly field: string;
}

export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Constant-time equality of two strings (hashed first, so lengths do not leak either). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function hmacHex(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

function missing(field: string, what: string): AuthFailure {
  return { reason: 'unsigned', field, message: `${field} header is missing: ${what}` };
}

function wrong(field: string, what: string): AuthFailure {
  return { reason: 'bad-signature', field, message: `${field} does not match: ${what}` };
}

export async function verifyGithub(secret: string, body: string, headers: Headers): Promise<AuthFailure | undefined> {
  const sig = header(headers, 'x-hub-signature-256');
  if (sig === undefined) return missing('x-hub-signature-256', 'set a secret on the GitHub webhook');
  // ESM-only package: loaded on first use from this CommonJS build.
  const { verify } = await import('@octokit/webhooks-methods');
  const ok = await verify(secret, body, sig).catch(() => false);
  return ok ? undefined : wrong('x-hub-signature-256', 'the body was not signed with the configured secret');
}

export function verifyLaunchDarkly(secret: string, body: string, headers: Headers): AuthFailure | undefined {
  const sig = header(headers, 'x-ld-signature');
  if (sig === undefined) return missing('x-ld-signature', 'tick "Sign this webhook" and configure its secret');
  return sameSecret(sig.trim().toLowerCase(), hmacHex(secret, body)) ? undefined : wrong('x-ld-signature', 'the body was not signed with the configured secret');
}

export function verifyShared(auth: SharedAuth, body: string, headers: Headers): AuthFailure | undefined {
  if (auth.token !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header(headers, 'authorization') ?? '');
    if (m?.[1] === undefined) return missing('authorization', 'expected Authorization: Bearer <token>');
    if (!sameSecret(m[1], auth.token)) return wrong('authorization', 'wrong bearer token');
  }
  if (auth.secret !== undefined) {
    const sig = header(headers, auth.signatureHeader);
    if (sig === undefined) return missing(auth.signatureHeader, 'expected the hex HMAC-SHA256 of the body');
    const hex = sig.trim().toLowerCase().replace(/^sha256=/, '');
    if (!sameSecret(hex, hmacHex(auth.secret, body))) return wrong(auth.signatureHeader, 'the body was not signed with the configured secret');
  }
  return undefined;
}
