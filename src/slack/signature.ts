import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack request signing, v0: `X-Slack-Signature: v0=<hex HMAC-SHA256("v0:{ts}:{raw body}", secret)>`
 * with `X-Slack-Request-Timestamp: {ts}` in epoch seconds. The body must be the raw bytes Slack
 * sent: re-encoding the parsed form would change it.
 */

/** Refuse requests signed more than this far from our clock, ms (replay window). @default 5 min */
export const SLACK_SIGNATURE_TOLERANCE_MS = 5 * 60_000;

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'not_configured' | 'missing' | 'malformed' | 'stale' | 'mismatch' };

/** `v0=<hex>` for a body; what Slack sends, and what tests and docs use to sign requests. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string | Buffer): string {
  const h = createHmac('sha256', signingSecret);
  h.update(`v0:${timestamp}:`);
  h.update(rawBody);
  return `v0=${h.digest('hex')}`;
}

/**
 * Check one request. `nowMs` is our clock (epoch ms). Never throws; the reason says why a request
 * was refused (log it, never the secret or the signature).
 */
export function verifySlackSignature(p: {
  signingSecret: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string | Buffer;
  nowMs: number;
  toleranceMs?: number;
}): SignatureCheck {
  if (p.signingSecret === undefined || p.signingSecret === '') return { ok: false, reason: 'not_configured' };
  if (p.timestamp === undefined || p.signature === undefined || p.timestamp === '' || p.signature === '') return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(p.timestamp) || !/^v0=[0-9a-f]{64}$/i.test(p.signature)) return { ok: false, reason: 'malformed' };
  const skew = Math.abs(p.nowMs - Number(p.timestamp) * 1000);
  if (skew > (p.toleranceMs ?? SLACK_SIGNATURE_TOLERANCE_MS)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(slackSignature(p.signingSecret, p.timestamp, p.rawBody), 'utf8');
  const given = Buffer.from(p.signature.toLowerCase(), 'utf8');
  // Same length by the format check above, so timingSafeEqual cannot throw.
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
