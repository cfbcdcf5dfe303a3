/**
 * Map whatever @clickhouse/client throws to EpicenterError, so retry logic upstream reads
 * `code`/`retriable` and never parses messages.
 *
 * - transport failures (refused, reset, DNS, socket timeouts, the client's "Timeout error.") and
 *   HTTP 5xx without a ClickHouse exception (proxies) → STORE_UNAVAILABLE, retriable;
 * - ClickHouse exceptions whose code means "try later" (TOO_MANY_PARTS, memory, timeouts,
 *   too many queries, read-only table, network between replicas) → STORE_UNAVAILABLE, retriable;
 * - every other ClickHouse exception (syntax, unknown table, bad data) → STORE_FAILED.
 *
 * 18.16 reports every exception as HTTP 500 with `Code: NN, e.displayText() = DB::Exception: …`
 * and no `(TYPE)` suffix, so the client gives a plain Error: the numeric code is read from the text.
 */
import { EpicenterError } from '../errors';

/** Server error codes that mean "the server is busy or in transition: retry later". */
const RETRIABLE_SERVER_CODES: ReadonlySet<number> = new Set([
  159, // TIMEOUT_EXCEEDED
  164, // READONLY (server restarting with readonly profile)
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  203, // NO_FREE_CONNECTION
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  241, // MEMORY_LIMIT_EXCEEDED
  242, // TABLE_IS_READ_ONLY
  252, // TOO_MANY_PARTS
  279, // ALL_CONNECTION_TRIES_FAILED
  285, // TOO_FEW_LIVE_REPLICAS
  319, // UNKNOWN_STATUS_OF_INSERT
  425, // SYSTEM_ERROR
  999, // KEEPER_EXCEPTION
]);

const TRANSPORT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** The ClickHouse exception code in an error, if it carries one (new servers: `.code`; 18.16: `Code: NN` in the text). */
export function serverErrorCode(e: unknown): number | undefined {
  if (!(e instanceof Error)) return undefined;
  const own = (e as { code?: unknown }).code;
  if (typeof own === 'string' && /^\d+$/.test(own)) return Number(own);
  const m = /(?:^|\s)Code: (\d+)[.,]/.exec(e.message);
  return m === null ? undefined : Number(m[1]);
}

function transportFailure(e: Error): boolean {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && TRANSPORT_CODES.has(code)) return true;
  if (/^Timeout error\.?$|socket hang up|ECONNREFUSED|ECONNRESET/i.test(e.message)) return true;
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error && cause !== e && transportFailure(cause);
}

/** First line of the server's message, without the 18.16 `e.what()` noise. */
function shortMessage(e: Error): string {
  const first = e.message.split('\n')[0] ?? e.message;
  return first.replace(/, e\.what\(\) = DB::Exception$/, '').slice(0, 500);
}

/**
 * Convert any thrown value to EpicenterError. `what` names the operation, e.g.
 * `insert into epicenter.points` — it leads the message so people see where it failed.
 */
export function toStoreError(e: unknown, what: string): EpicenterError {
  if (e instanceof EpicenterError) return e;
  if (!(e instanceof Error)) return new EpicenterError('STORE_FAILED', `clickhouse: ${what}: ${String(e)}`, { cause: e });
  const code = serverErrorCode(e);
  if (code !== undefined) {
    const retriable = RETRIABLE_SERVER_CODES.has(code);
    return new EpicenterError(retriable ? 'STORE_UNAVAILABLE' : 'STORE_FAILED', `clickhouse: ${what}: ${shortMessage(e)}`, { cause: e, retriable });
  }
  if (transportFailure(e)) {
    return new EpicenterError('STORE_UNAVAILABLE', `clickhouse: ${what}: server unreachable (${shortMessage(e)})`, { cause: e });
  }
  // A non-ClickHouse HTTP error page (proxy 502/503/504) has no `Code:`; the client only gives text.
  if (/\b50[0234]\b|Bad Gateway|Service Unavailable|Gateway Time-?out/i.test(e.message)) {
    return new EpicenterError('STORE_UNAVAILABLE', `clickhouse: ${what}: ${shortMessage(e)}`, { cause: e });
  }
  return new EpicenterError('STORE_FAILED', `clickhouse: ${what}: ${shortMessage(e)}`, { cause: e });
}
