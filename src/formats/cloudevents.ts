import { z } from 'zod';
import { wellFormedChange } from '../domain/text';
import { CHANGE_TYPES, type ChangeEvent, type ChangeType } from '../domain/types';
import { isEpicenterError, type Decoded } from '../errors';
import { timeProblem } from './checks';
import { inLineOrder, isObject, parseJsonDocs } from './json';
import { bad, type Origin } from './origin';
import { parseRfc3339 } from './time';
import { zodError } from './zod';

/**
 * Change events as CloudEvents 1.0 in structured mode (JSON). The CloudEvent `type` must end with
 * `change.<kind>` (e.g. `com.acme.change.config`); `subject` names the changed service.
 */

const TYPE_RE = new RegExp(`(?:^|\\.)change\\.(${CHANGE_TYPES.join('|')})$`);

const optionalText = z.union([z.string(), z.number()]).transform(String).optional();

/** The `data` member we read; other members are ignored. */
const dataSchema = z.object({
  service: z.string().min(1).optional(),
  team: z.string().optional(),
  summary: z.string().optional(),
  version: optionalText,
  revertOf: optionalText,
  keys: z.array(z.string()).optional(),
  settings: z.array(z.object({ key: z.string().min(1), from: optionalText, to: optionalText })).optional(),
  origins: z.array(z.object({ source: z.string().min(1), id: z.string().min(1), kind: z.string().optional(), url: z.string().optional() })).optional(),
});

export const cloudEventSchema = z.object({
  specversion: z.literal('1.0', { error: 'must be "1.0"' }),
  id: z.string().min(1, 'is empty'),
  source: z.string().min(1, 'is empty'),
  type: z.string().regex(TYPE_RE, `must end with change.<${CHANGE_TYPES.join('|')}>`),
  time: z.string({ error: (i) => (i.input === undefined ? 'is required: a change without a time cannot be correlated' : 'must be an RFC 3339 string') }),
  subject: z.string().min(1, 'is empty').optional(),
  datacontenttype: z.string().optional(),
  // Structured mode allows any data; some producers send JSON as a string. Only an object is read.
  data: z.preprocess((d) => {
    const parsed = typeof d === 'string' && d.trimStart().startsWith('{') ? tryJson(d) : d;
    return isObject(parsed) ? parsed : undefined;
  }, dataSchema.optional()),
});

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/**
 * One CloudEvent object → ChangeEvent. Throws EpicenterError BAD_INPUT naming the field
 * (prefixed by `fieldPrefix`, e.g. `[3]` for array elements).
 */
export function decodeCloudEvent(doc: unknown, origin: Origin, fieldPrefix = ''): ChangeEvent {
  const r = cloudEventSchema.safeParse(doc);
  if (!r.success) throw zodError(r.error, origin, undefined, fieldPrefix);
  const e = r.data;
  const at = (f: string) => (fieldPrefix === '' ? f : `${fieldPrefix}.${f}`);
  const time = parseRfc3339(e.time);
  if (time === undefined) throw bad(origin, undefined, at('time'), `not an RFC 3339 date-time with zone: ${JSON.stringify(e.time)}`);
  const tp = timeProblem(time, origin.now);
  if (tp !== undefined) throw bad(origin, undefined, at('time'), tp);
  const service = e.subject ?? e.data?.service;
  if (service === undefined) throw bad(origin, undefined, at('subject'), 'is required: the changed service (or data.service)');
  const kind = TYPE_RE.exec(e.type)?.[1] as ChangeType;
  const d = e.data;
  return wellFormedChange({
    id: e.id,
    source: e.source,
    type: kind,
    rawType: e.type,
    service,
    time,
    ...(d?.team === undefined ? {} : { team: d.team }),
    ...(d?.summary === undefined ? {} : { summary: d.summary }),
    ...(d?.version === undefined ? {} : { version: d.version }),
    ...(d?.revertOf === undefined ? {} : { revertOf: d.revertOf }),
    ...(d?.keys === undefined ? {} : { keys: d.keys }),
    ...(d?.settings === undefined ? {} : { settings: d.settings.map(dropUndefined) }),
    ...(d?.origins === undefined ? {} : { origins: d.origins.map(dropUndefined) }),
  });
}

/** zod leaves absent optional members as `undefined` keys; domain values omit them. */
function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** CloudEvents as NDJSON (one per line), a JSON array, or a single (possibly pretty-printed) event. */
export function decodeCloudEvents(text: string, origin: Origin): Decoded<ChangeEvent> {
  const { docs, errors } = parseJsonDocs(text, origin);
  const values: ChangeEvent[] = [];
  const one = (doc: unknown, o: Origin, prefix: string) => {
    try {
      values.push(decodeCloudEvent(doc, o, prefix));
    } catch (e) {
      if (!isEpicenterError(e)) throw e;
      errors.push(e);
    }
  };
  for (const { doc, line } of docs) {
    const o: Origin = { ...origin, line };
    if (Array.isArray(doc)) doc.forEach((el, i) => one(el, o, `[${i}]`));
    else one(doc, o, '');
  }
  return { values, errors: inLineOrder(errors) };
}

/**
 * Binary-mode CloudEvent (attributes in Kafka headers `ce_*`, or HTTP headers `ce-*`; any case)
 * plus the message body as `data` → ChangeEvent. Throws like decodeCloudEvent.
 */
export function cloudEventFromKafkaHeaders(headers: Record<string, string>, body: unknown, origin: Origin = {}): ChangeEvent {
  const doc: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) {
    const key = k.toLowerCase();
    if (key.startsWith('ce_') || key.startsWith('ce-')) doc[key.slice(3)] = v;
    else if (key === 'content-type') doc['datacontenttype'] = v;
  }
  if (body !== undefined && body !== null) doc['data'] = isObject(body) || typeof body === 'string' ? body : undefined;
  return decodeCloudEvent(doc, origin);
}
