import { CHANGE_TYPES, type ChangeEvent, type ChangeType } from '../domain/types';
import { compact, digestId, inferType, obj, optObj, optText, text, timeOf, withSettings } from './common';
import type { PagerdutySource } from './config';
import { settingsFromText } from './settings';
import type { Normalised } from './source';

/**
 * PagerDuty Change Events v2 (the body of `POST https://events.pagerduty.com/v2/change/enqueue`:
 * `routing_key`, `payload.summary` (required), `payload.timestamp`, `payload.source`,
 * `payload.custom_details`, `links`), so a pipeline that already tells PagerDuty can tell epicenter
 * the same thing. The routing key is not kept. The event has no id: the body's digest is its id,
 * so a retried delivery is the same change.
 */
export function normalisePagerduty(body: unknown, raw: string, cfg: PagerdutySource, now: number): Normalised {
  const doc = obj(body, 'body');
  const payload = obj(doc['payload'], 'payload');
  const summary = text(payload['summary'], 'payload.summary');
  const details = optObj(payload['custom_details']) ?? {};
  const service = cfg.service ?? optText(details['service']) ?? text(payload['source'], 'payload.source');
  const stated = optText(details['type']) ?? optText(details['change_type']);
  const detailsText = Object.entries(details)
    .filter(([, v]) => typeof v === 'string')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('\n');
  const hasSettings = settingsFromText(summary).settings.length > 0;
  const type: ChangeType = stated !== undefined && (CHANGE_TYPES as readonly string[]).includes(stated) ? (stated as ChangeType) : inferType(summary, hasSettings);
  const link = Array.isArray(doc['links']) ? optObj(doc['links'][0]) : undefined;
  const id = digestId('pd', raw);
  const change: ChangeEvent = compact({
    id,
    source: `pagerduty/${optText(payload['source']) ?? service}`,
    type,
    rawType: `pagerduty.change.${type}`,
    service,
    team: cfg.team ?? optText(details['team']),
    // The timestamp is optional in the API; PagerDuty then uses the time it received the event, as we do.
    time: payload['timestamp'] === undefined ? now : timeOf(payload['timestamp'], 'payload.timestamp', now),
    summary,
    version: optText(details['version']) ?? optText(details['revision']),
    origins: [compact({ source: 'pagerduty', id, kind: 'pagerduty.change', url: optText(link?.['href']) })],
  });
  return { changes: [withSettings(change, summary, detailsText)] };
}
