import type { ChangeEvent } from '../domain/types';
import { isEpicenterError } from '../errors';
import { normaliseArgocd } from './argocd';
import { SOURCE_KINDS, type ChangeSourcesConfig, type SourceKind } from './config';
import { normaliseGeneric } from './generic';
import { normaliseGithub } from './github';
import { normaliseLaunchDarkly } from './launchdarkly';
import { normalisePagerduty } from './pagerduty';
import { header, verifyGithub, verifyLaunchDarkly, verifyShared, type AuthFailure, type Headers } from './verify';

/** What a normaliser makes of a well-formed payload: changes, or why it is not one (a ping, a pending deploy). */
export type Normalised = { readonly changes: readonly ChangeEvent[] } | { readonly ignored: string };

export const REFUSALS = ['unknown-source', 'unsigned', 'bad-signature', 'malformed'] as const;
export type RefusalReason = (typeof REFUSALS)[number];

export interface Refused {
  readonly refused: RefusalReason;
  readonly message: string;
  readonly field?: string;
}

export type Received = Normalised | Refused;

export interface WebhookRequest {
  readonly headers: Headers;
  /** The raw body, exactly as sent: signatures cover these bytes. */
  readonly body: string;
  /** epoch ms */
  readonly now: number;
}

function refused(reason: RefusalReason, message: string, field?: string): Refused {
  return { refused: reason, message, ...(field === undefined ? {} : { field }) };
}

function fromAuth(f: AuthFailure | undefined): Refused | undefined {
  return f === undefined ? undefined : refused(f.reason, f.message, f.field);
}

/**
 * One webhook delivery → changes, ignored, or refused with a reason: the sender is authenticated
 * first (nothing of an unproven body is read), then the JSON parsed and normalised.
 */
export async function receiveWebhook(sources: ChangeSourcesConfig, kind: string, name: string, req: WebhookRequest): Promise<Received> {
  if (!(SOURCE_KINDS as readonly string[]).includes(kind)) return refused('unknown-source', `unknown source kind "${kind}": one of ${SOURCE_KINDS.join(', ')}`, 'kind');
  const k = kind as SourceKind;
  const cfg = sources[k][name];
  if (cfg === undefined) return refused('unknown-source', `no changeSources.${k}.${name} is configured`, 'name');
  const auth =
    k === 'github'
      ? await verifyGithub(sources.github[name]?.secret ?? '', req.body, req.headers)
      : k === 'launchdarkly'
        ? verifyLaunchDarkly(sources.launchdarkly[name]?.secret ?? '', req.body, req.headers)
        : verifyShared(sources[k][name] ?? { signatureHeader: 'x-epicenter-signature' }, req.body, req.headers);
  const denied = fromAuth(auth);
  if (denied !== undefined) return denied;
  let doc: unknown;
  try {
    doc = JSON.parse(req.body);
  } catch {
    const form = /^application\/x-www-form-urlencoded/i.test(header(req.headers, 'content-type') ?? '');
    return refused('malformed', form ? 'body is form-encoded: set the webhook to send application/json' : 'body is not valid JSON', 'body');
  }
  try {
    return normalise(sources, k, name, doc, req);
  } catch (e) {
    if (!isEpicenterError(e)) throw e;
    return refused('malformed', e.message, e.origin.field);
  }
}

function normalise(sources: ChangeSourcesConfig, k: SourceKind, name: string, doc: unknown, req: WebhookRequest): Normalised {
  switch (k) {
    case 'github':
      return normaliseGithub(header(req.headers, 'x-github-event'), doc, sources.github[name]!, req.now);
    case 'argocd':
      return normaliseArgocd(doc, sources.argocd[name]!, req.now);
    case 'launchdarkly':
      return normaliseLaunchDarkly(doc, sources.launchdarkly[name]!, req.now);
    case 'pagerduty':
      return normalisePagerduty(doc, req.body, sources.pagerduty[name]!, req.now);
    case 'generic':
      return normaliseGeneric(doc, name, sources.generic[name]!, req.now);
  }
}
