/**
 * Retry timing for calls to Slack. Pure (the random source is a parameter), so tests can pin it.
 */

export interface BackoffOptions {
  /** First retry delay, ms. @default 500 */
  readonly baseDelayMs: number;
  /** Cap of the exponential backoff, ms. @default 30000 */
  readonly maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * `Retry-After` as a delay in ms: delta-seconds ("30"), or an HTTP date relative to `nowMs`.
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const h = header.trim();
  if (/^\d+$/.test(h)) return Number(h) * 1000;
  if (!/[a-z]/i.test(h)) return undefined; // "1.5", "-3": not a valid Retry-After
  const t = Date.parse(h);
  return Number.isFinite(t) ? Math.max(0, t - nowMs) : undefined;
}

/**
 * Delay before retry number `attempt` (0 = first retry): capped exponential backoff with
 * "equal jitter" (half fixed, half random), so many instances do not retry in step.
 *
 *   backoffDelay(0, { baseDelayMs: 500, maxDelayMs: 30000 }, () => 1) === 500
 *   backoffDelay(10, { baseDelayMs: 500, maxDelayMs: 30000 }, () => 1) === 30000
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt));
  return Math.round(exp / 2 + (exp / 2) * Math.min(1, Math.max(0, random())));
}

/** 429 (rate limited) and 5xx are worth retrying; other statuses will fail the same way again. */
export function isRetriableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}
