import type { Suspect } from '../domain/types';
import { isEpicenterError } from '../errors';
import type { AlertmanagerAlert, AlertmanagerWebhook } from '../formats/alertmanager';
import type { StoredAnalysis } from '../ports';
import { buildAlertMessage, buildResolvedMessage, type AlertView } from './blocks';
import { alertKey, type AlertDedupe } from './dedupe';
import type { SlackClient } from './webhook';

/**
 * Alert enrichment: for each FIRING alert of an Alertmanager notification, find the service from
 * its labels, analyse at startsAt and post the suspects to Slack, once per (alert, startsAt); for
 * each RESOLVED alert, post one follow-up quoting the original.
 */

/** What was posted for a firing alert, kept to quote it when the alert resolves. */
export interface PostedAlert {
  readonly analysisId: string;
  readonly topSuspect?: Suspect;
}

export type AlertAction = 'posted' | 'duplicate' | 'analysed' | 'skipped' | 'failed';

export interface AlertOutcome {
  readonly alertname: string;
  readonly status: 'firing' | 'resolved';
  readonly fingerprint?: string;
  readonly service?: string;
  /** posted: a Slack message went out; duplicate: already posted; analysed: no Slack configured; skipped: not for us; failed: see reason. */
  readonly action: AlertAction;
  readonly reason?: string;
  readonly analysisId?: string;
  /** Id of the change named first. */
  readonly topSuspect?: string;
  /** True when trying again later may succeed (Slack or the store was unavailable). */
  readonly retriable?: boolean;
}

export interface EnrichDeps {
  readonly analyze: (req: { service: string; at: number; windowMs: number; afterMs: number }) => Promise<StoredAnalysis>;
  /** Whether epicenter knows the service (topology, or data around `at`). */
  readonly serviceKnown: (service: string, at: number) => Promise<boolean>;
  readonly slack?: SlackClient;
  readonly dedupe: AlertDedupe<PostedAlert>;
  /** Labels tried in order to find the service (slack.serviceLabels). */
  readonly serviceLabels: readonly string[];
  readonly windowMs: number;
  readonly afterMs: number;
  /** Link to the timeline of a service at a time (epoch ms). */
  readonly timelineUrl: (service: string, at: number) => string;
  readonly now: () => number;
}

/** The service an alert is about: the first of `serviceLabels` present (alert labels, then the group's common labels). */
export function serviceOf(a: AlertmanagerAlert, common: Readonly<Record<string, string>>, serviceLabels: readonly string[]): string | undefined {
  for (const l of serviceLabels) {
    const v = a.labels[l] ?? common[l];
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

function viewOf(a: AlertmanagerAlert, w: AlertmanagerWebhook, service: string): AlertView {
  const ann = (k: string): string | undefined => a.annotations[k] ?? w.commonAnnotations[k];
  const summary = ann('summary') ?? ann('description');
  const severity = a.labels['severity'] ?? w.commonLabels['severity'];
  return {
    name: a.labels['alertname'] ?? w.commonLabels['alertname'] ?? 'alert',
    service,
    startsAt: a.startsAt,
    status: a.status,
    ...(summary === undefined ? {} : { summary }),
    ...(severity === undefined ? {} : { severity }),
  };
}

function failure(base: Omit<AlertOutcome, 'action'>, e: unknown): AlertOutcome {
  const retriable = isEpicenterError(e) ? e.retriable : true;
  const reason = isEpicenterError(e) ? `${e.code}: ${e.message}` : `INTERNAL: ${(e as Error).message}`;
  return { ...base, action: 'failed', reason, retriable };
}

async function onFiring(a: AlertmanagerAlert, w: AlertmanagerWebhook, service: string, deps: EnrichDeps, base: Omit<AlertOutcome, 'action'>): Promise<AlertOutcome> {
  const key = alertKey(a, w.groupKey);
  if (deps.slack !== undefined && !deps.dedupe.claim(key)) return { ...base, action: 'duplicate' };
  try {
    const analysis = await deps.analyze({ service, at: a.startsAt, windowMs: deps.windowMs, afterMs: deps.afterMs });
    const top = analysis.suspects[0];
    const result = { ...base, analysisId: analysis.id, ...(top === undefined ? {} : { topSuspect: top.id }) };
    if (deps.slack === undefined) return { ...result, action: 'analysed' };
    const msg = buildAlertMessage({
      alert: viewOf(a, w, service),
      analysis: { id: analysis.id, suspects: analysis.suspects, breakpointCount: analysis.breakpoints.length },
      timelineUrl: deps.timelineUrl(service, a.startsAt),
    });
    await deps.slack.post(msg);
    deps.dedupe.confirm(key, { analysisId: analysis.id, ...(top === undefined ? {} : { topSuspect: top }) });
    return { ...result, action: 'posted' };
  } catch (e) {
    deps.dedupe.release(key);
    return failure(base, e);
  }
}

async function onResolved(a: AlertmanagerAlert, w: AlertmanagerWebhook, service: string, deps: EnrichDeps, base: Omit<AlertOutcome, 'action'>): Promise<AlertOutcome> {
  if (deps.slack === undefined) return { ...base, action: 'skipped', reason: 'slack is not configured' };
  const firingKey = alertKey(a, w.groupKey);
  const key = `resolved:${firingKey}`;
  if (!deps.dedupe.claim(key)) return { ...base, action: 'duplicate' };
  const original = deps.dedupe.posted(firingKey);
  try {
    const msg = buildResolvedMessage({
      alert: viewOf(a, w, service),
      endsAt: a.endsAt ?? deps.now(),
      ...(original === undefined ? {} : { original: original.topSuspect === undefined ? {} : { topSuspect: original.topSuspect } }),
      timelineUrl: deps.timelineUrl(service, a.startsAt),
    });
    await deps.slack.post(msg);
    deps.dedupe.confirm(key, original ?? { analysisId: '' });
    return { ...base, action: 'posted', ...(original === undefined ? {} : { analysisId: original.analysisId }) };
  } catch (e) {
    deps.dedupe.release(key);
    return failure(base, e);
  }
}

/** Handle one notification, alert by alert in order (Slack shows them in the order they happened). */
export async function enrichAlerts(w: AlertmanagerWebhook, deps: EnrichDeps): Promise<AlertOutcome[]> {
  const out: AlertOutcome[] = [];
  for (const a of w.alerts) {
    const service = serviceOf(a, w.commonLabels, deps.serviceLabels);
    const base = {
      alertname: a.labels['alertname'] ?? w.commonLabels['alertname'] ?? 'alert',
      status: a.status,
      ...(a.fingerprint === undefined ? {} : { fingerprint: a.fingerprint }),
      ...(service === undefined ? {} : { service }),
    };
    if (service === undefined) {
      out.push({ ...base, action: 'skipped', reason: `no service label (tried ${deps.serviceLabels.join(', ')})` });
      continue;
    }
    try {
      if (!(await deps.serviceKnown(service, a.startsAt))) {
        out.push({ ...base, action: 'skipped', reason: `unknown service "${service}" (not in the topology, no data around startsAt)` });
        continue;
      }
    } catch (e) {
      out.push(failure(base, e));
      continue;
    }
    out.push(a.status === 'firing' ? await onFiring(a, w, service, deps, base) : await onResolved(a, w, service, deps, base));
  }
  return out;
}
