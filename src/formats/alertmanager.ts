import { z } from 'zod';
import { normalLabels } from '../domain/text';
import { EpicenterError, type ErrorOrigin } from '../errors';
import { isObject } from './json';
import { parseRfc3339 } from './time';

/**
 * Decoder of Prometheus Alertmanager webhook notifications (payload `version: "4"`, the only
 * version Alertmanager has ever sent to webhook receivers). Pure: bytes are parsed by the caller.
 *
 * One bad alert never loses the others: the envelope must be valid, each alert is checked on its
 * own and rejected alerts come back as errors naming `alerts[i].<field>`.
 */

export type AlertStatus = 'firing' | 'resolved';

export interface AlertmanagerAlert {
  readonly status: AlertStatus;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** epoch ms */
  readonly startsAt: number;
  /** epoch ms; absent when Alertmanager sends its zero time (`0001-01-01T00:00:00Z`), i.e. still firing. */
  readonly endsAt?: number;
  readonly generatorURL?: string;
  /** Alertmanager's hash of the label set; stable for the life of the alert. */
  readonly fingerprint?: string;
}

export interface AlertmanagerWebhook {
  readonly version: '4';
  /** Identifies the alert group (route + group labels); stable across notifications. */
  readonly groupKey: string;
  readonly status: AlertStatus;
  readonly receiver: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL?: string;
  /** How many alerts Alertmanager left out because of the receiver's max_alerts. @default 0 */
  readonly truncatedAlerts: number;
  /** The alerts that decoded; see `errors` for the others. */
  readonly alerts: readonly AlertmanagerAlert[];
}

export type AlertmanagerDecoded =
  | { readonly ok: true; readonly webhook: AlertmanagerWebhook; readonly errors: readonly EpicenterError[] }
  | { readonly ok: false; readonly error: EpicenterError };

/** A map of strings, prototype-free and normalised: zod's record would drop a `__proto__` label. */
const labelMap = z
  .custom<Record<string, string>>((x) => isObject(x) && Object.values(x).every((v) => typeof v === 'string'), { message: 'must be an object of strings' })
  .optional()
  .transform((x) => normalLabels(x ?? {}));
const status = z.enum(['firing', 'resolved']);

const envelopeSchema = z.object({
  version: z.literal('4', { error: 'must be "4" (Alertmanager webhook payload version)' }),
  groupKey: z.string().min(1),
  status,
  receiver: z.string().default(''),
  groupLabels: labelMap,
  commonLabels: labelMap,
  commonAnnotations: labelMap,
  externalURL: z.string().optional(),
  truncatedAlerts: z.number().int().min(0).default(0),
  alerts: z.array(z.unknown()),
});

const alertSchema = z.object({
  status,
  labels: labelMap,
  annotations: labelMap,
  startsAt: z.string().min(1),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

/** Go's zero time.Time, which Alertmanager sends as endsAt of alerts with no known end. */
function isZeroTime(s: string): boolean {
  return s.startsWith('0001-01-01T');
}

function issueField(prefix: string, issue: z.core.$ZodIssue | undefined): string {
  const path = issue === undefined ? [] : issue.path.map(String);
  return [prefix, ...path].filter((p) => p !== '').join('.');
}

function bad(message: string, origin: ErrorOrigin, field: string): EpicenterError {
  return new EpicenterError('BAD_INPUT', message, { origin: { ...origin, field } });
}

function decodeAlert(raw: unknown, i: number, origin: ErrorOrigin): AlertmanagerAlert | EpicenterError {
  const prefix = `alerts[${i}]`;
  const r = alertSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    return bad(issue?.message ?? 'invalid alert', origin, issueField(prefix, issue));
  }
  const a = r.data;
  const startsAt = parseRfc3339(a.startsAt);
  if (startsAt === undefined) return bad(`not an RFC 3339 time: ${JSON.stringify(a.startsAt.slice(0, 40))}`, origin, `${prefix}.startsAt`);
  let endsAt: number | undefined;
  if (a.endsAt !== undefined && a.endsAt !== '' && !isZeroTime(a.endsAt)) {
    endsAt = parseRfc3339(a.endsAt);
    if (endsAt === undefined) return bad(`not an RFC 3339 time: ${JSON.stringify(a.endsAt.slice(0, 40))}`, origin, `${prefix}.endsAt`);
  }
  return {
    status: a.status,
    labels: a.labels,
    annotations: a.annotations,
    startsAt,
    ...(endsAt === undefined ? {} : { endsAt }),
    ...(a.generatorURL === undefined || a.generatorURL === '' ? {} : { generatorURL: a.generatorURL }),
    ...(a.fingerprint === undefined || a.fingerprint === '' ? {} : { fingerprint: a.fingerprint }),
  };
}

/**
 * Decode one webhook body (already JSON-parsed).
 *
 *   const r = decodeAlertmanagerWebhook(JSON.parse(body), { field: 'body' });
 *   if (r.ok) for (const a of r.webhook.alerts) …; else reply 400 with r.error
 */
export function decodeAlertmanagerWebhook(doc: unknown, origin: ErrorOrigin = {}): AlertmanagerDecoded {
  const env = envelopeSchema.safeParse(doc);
  if (!env.success) {
    const issue = env.error.issues[0];
    const field = issueField('', issue);
    return { ok: false, error: bad(issue?.message ?? 'not an Alertmanager webhook', origin, field === '' ? '(root)' : field) };
  }
  const alerts: AlertmanagerAlert[] = [];
  const errors: EpicenterError[] = [];
  env.data.alerts.forEach((raw, i) => {
    const a = decodeAlert(raw, i, origin);
    if (a instanceof EpicenterError) errors.push(a);
    else alerts.push(a);
  });
  const { externalURL, ...rest } = env.data;
  const webhook: AlertmanagerWebhook = {
    ...rest,
    ...(externalURL === undefined || externalURL === '' ? {} : { externalURL }),
    alerts,
  };
  return { ok: true, webhook, errors };
}
