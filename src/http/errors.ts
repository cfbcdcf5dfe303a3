import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import { EpicenterError, isEpicenterError, type ErrorCode } from '../errors';

/**
 * The one error shape of the API: `{ "error": { "code", "message", "field"? } }`, with codes from
 * EpicenterError, so clients branch on `code` and people read `message`.
 */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly field?: string };
}

const STATUS: Readonly<Record<ErrorCode, number>> = {
  BAD_INPUT: 400,
  BAD_REQUEST: 400,
  BAD_CONFIG: 500,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  STORE_UNAVAILABLE: 503,
  STORE_FAILED: 500,
  BUS_UNAVAILABLE: 503,
  UPSTREAM_FAILED: 502,
  TIMEOUT: 504,
  INTERNAL: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export function errorBody(e: EpicenterError): ErrorBody {
  return { error: { code: e.code, message: e.message, ...(e.origin.field === undefined ? {} : { field: e.origin.field }) } };
}

export function sendError(reply: FastifyReply, e: EpicenterError, status = statusOf(e.code)): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(e));
}

/** A zod failure as a 400 naming the first bad field (`where` when the whole body/query is wrong). */
export function fromZod(error: z.ZodError, where: 'body' | 'query' | 'form', value: unknown): EpicenterError {
  const issue = error.issues[0];
  const segs = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))) ?? [];
  let message = issue?.message ?? 'invalid';
  if (issue?.code === 'unrecognized_keys') {
    segs.push(issue.keys[0] ?? '');
    message = 'is not a known field';
  } else if (valueAt(value, issue?.path ?? []) === undefined) {
    message = 'is required';
  }
  const path = segs.join('.').replace(/\.\[/g, '[');
  const field = path === '' ? where : path;
  const lead = field === where ? where : `${where} field ${field}`;
  return new EpicenterError('BAD_REQUEST', `${lead} ${message}`, { origin: { field } });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Parse `value` with `schema`, or throw the 400 for its first issue. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'form'): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, where, value);
  return r.data;
}

/** Fastify's own errors (body too large, bad JSON, wrong content type) in our shape. */
function fromFastify(err: FastifyError, bodyLimit: number): { status: number; e: EpicenterError } {
  const status = err.statusCode ?? 500;
  if (status === 413) return { status, e: new EpicenterError('BAD_REQUEST', `request body is larger than http.bodyLimit (${bodyLimit} bytes)`, { origin: { field: 'body' } }) };
  if (status === 415) return { status, e: new EpicenterError('BAD_REQUEST', `unsupported content type: ${err.message}`, { origin: { field: 'content-type' } }) };
  if (status >= 400 && status < 500) {
    const json = err instanceof SyntaxError || /JSON/i.test(err.message) || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY';
    const message = json ? 'body is not valid JSON' : err.message;
    return { status, e: new EpicenterError(status === 401 ? 'UNAUTHORIZED' : 'BAD_REQUEST', message, { origin: { field: 'body' } }) };
  }
  return { status: 500, e: new EpicenterError('INTERNAL', 'internal error (see the server log)') };
}

/** Every thrown error ends here: ours keep their code; anything else is logged and hidden behind INTERNAL. */
export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isEpicenterError(err)) {
      const status = statusOf(err.code);
      if (status >= 500) req.log.error({ code: err.code, err: err.message }, 'request failed');
      return sendError(reply, err, status);
    }
    const { status, e } = fromFastify(err, bodyLimit);
    if (status >= 500) req.log.error({ err }, 'unexpected error');
    else req.log.info({ code: err.code, status }, 'request refused');
    return sendError(reply, e, status);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, new EpicenterError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0] ?? ''}`)));
}
