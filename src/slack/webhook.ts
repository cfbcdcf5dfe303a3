import { EpicenterError } from '../errors';
import { backoffDelay, DEFAULT_BACKOFF, isRetriableStatus, parseRetryAfter } from './backoff';
import type { SlackMessage } from './limits';

/** What the HTTP surfaces need from Slack: post one message. */
export interface SlackClient {
  /**
   * Post `message` to the incoming webhook, or to `opts.url` (a slash command's response_url).
   * Resolves once Slack accepted it; rejects with EpicenterError UPSTREAM_FAILED (`retriable`
   * when the last answer was 429/5xx or a network failure).
   */
  post(message: SlackMessage, opts?: { url?: string }): Promise<void>;
}

export interface RetryInfo {
  readonly attempt: number;
  readonly status?: number;
  readonly delayMs: number;
  readonly reason: string;
}

export interface WebhookClientOptions {
  /** Incoming webhook URL. A secret: it is never logged nor put in error messages. */
  readonly url?: string;
  /** Retries after the first attempt, on 429/5xx/network errors. @default 5 */
  readonly maxRetries?: number;
  /** @default 500 */
  readonly baseDelayMs?: number;
  /** Cap of the exponential backoff, ms. @default 30000 */
  readonly maxDelayMs?: number;
  /** A Retry-After longer than this, ms, fails the post at once (retriable) rather than hold the caller. @default 60000 */
  readonly maxRetryAfterMs?: number;
  /** Per-attempt timeout, ms. @default 10000 */
  readonly timeoutMs?: number;
  /** Called before each wait; for logs and metrics. */
  readonly onRetry?: (info: RetryInfo) => void;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

type Attempt = { ok: true } | { ok: false; retriable: boolean; status?: number; retryAfterMs?: number; reason: string };

async function attemptPost(url: string, body: string, timeoutMs: number, now: () => number): Promise<Attempt> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const name = (e as Error).name;
    return { ok: false, retriable: true, reason: name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error (${(e as Error).message})` };
  }
  // Always read the body: an unread body holds the socket.
  const text = (await res.text().catch(() => '')).slice(0, 200);
  if (res.ok) return { ok: true };
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
  return {
    ok: false,
    retriable: isRetriableStatus(res.status),
    status: res.status,
    reason: `Slack answered ${res.status}${text === '' ? '' : ` "${text.replace(/\s+/g, ' ')}"`}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** An incoming-webhook client with retries on 429/5xx that honour Retry-After, else capped exponential backoff. */
export function createSlackWebhookClient(opts: WebhookClientOptions): SlackClient {
  const maxRetries = opts.maxRetries ?? 5;
  const backoff = { baseDelayMs: opts.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs, maxDelayMs: opts.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs };
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;

  return {
    async post(message, postOpts) {
      const url = postOpts?.url ?? opts.url;
      if (url === undefined) throw new EpicenterError('UPSTREAM_FAILED', 'slack.webhookUrl is not configured', { retriable: false, origin: { field: 'slack.webhookUrl' } });
      const body = JSON.stringify(message);
      for (let attempt = 0; ; attempt++) {
        const r = await attemptPost(url, body, timeoutMs, now);
        if (r.ok) return;
        const tries = `${attempt + 1} attempt${attempt === 0 ? '' : 's'}`;
        if (!r.retriable || attempt >= maxRetries) {
          throw new EpicenterError('UPSTREAM_FAILED', `Slack post failed after ${tries}: ${r.reason}`, { retriable: r.retriable });
        }
        if (r.retryAfterMs !== undefined && r.retryAfterMs > maxRetryAfterMs) {
          throw new EpicenterError('UPSTREAM_FAILED', `Slack post failed after ${tries}: ${r.reason}, Retry-After ${Math.round(r.retryAfterMs / 1000)} s exceeds ${maxRetryAfterMs / 1000} s`, { retriable: true });
        }
        const delayMs = r.retryAfterMs ?? backoffDelay(attempt, backoff, opts.random);
        opts.onRetry?.({ attempt: attempt + 1, delayMs, reason: r.reason, ...(r.status === undefined ? {} : { status: r.status }) });
        await sleep(delayMs);
      }
    },
  };
}
