/**
 * One error type for all of epicenter, with a stable machine-readable code and a `retriable`
 * flag, so retry and dead-letter logic never parse messages.
 */
export const ERROR_CODES = [
  'BAD_INPUT', // a record that cannot be decoded or fails validation
  'BAD_CONFIG', // configuration rejected at load time
  'BAD_REQUEST', // an HTTP/API request rejected
  'NOT_FOUND',
  'UNAUTHORIZED',
  'STORE_UNAVAILABLE', // ClickHouse (or the embedded store) cannot be reached — retry
  'STORE_FAILED', // the store refused the operation — do not retry blindly
  'BUS_UNAVAILABLE', // Kafka cannot be reached — retry
  'UPSTREAM_FAILED', // Slack or another HTTP peer refused
  'TIMEOUT',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where a bad record came from: a file and line, a topic/partition/offset, an HTTP body… */
export interface ErrorOrigin {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: string;
}

const DEFAULT_RETRIABLE: Readonly<Record<ErrorCode, boolean>> = {
  BAD_INPUT: false,
  BAD_CONFIG: false,
  BAD_REQUEST: false,
  NOT_FOUND: false,
  UNAUTHORIZED: false,
  STORE_UNAVAILABLE: true,
  STORE_FAILED: false,
  BUS_UNAVAILABLE: true,
  UPSTREAM_FAILED: true,
  TIMEOUT: true,
  INTERNAL: false,
};

export class EpicenterError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly origin: ErrorOrigin;

  constructor(code: ErrorCode, message: string, opts: { retriable?: boolean; origin?: ErrorOrigin; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'EpicenterError';
    this.code = code;
    this.retriable = opts.retriable ?? DEFAULT_RETRIABLE[code];
    this.origin = opts.origin ?? {};
  }

  /** `file:line: field: message` — the form printed to people. */
  describe(): string {
    const o = this.origin;
    const where = [o.file, o.line === undefined ? undefined : String(o.line)].filter((x) => x !== undefined).join(':');
    const loc = o.topic === undefined ? where : `${o.topic}[${o.partition ?? '?'}]@${o.offset ?? '?'}`;
    const field = o.field === undefined ? '' : `${o.field}: `;
    return `${loc === '' ? '' : `${loc}: `}${field}${this.message}`;
  }
}

export function badInput(message: string, origin: ErrorOrigin = {}): EpicenterError {
  return new EpicenterError('BAD_INPUT', message, { origin });
}

export function isEpicenterError(e: unknown): e is EpicenterError {
  return e instanceof EpicenterError;
}

/** Result of decoding: values plus the rejected records, so one bad line never loses the rest. */
export interface Decoded<T> {
  readonly values: T[];
  readonly errors: EpicenterError[];
  /**
   * Cumulative counters' readings kept as the base of their rates, which make no value yet: a
   * Collector's first export after a start holds nothing else, and is not a bad message.
   */
  readonly held?: number;
}
