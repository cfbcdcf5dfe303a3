import type { ChangeEvent } from '../domain/types';

/**
 * A ChangeEvent as a structured-mode CloudEvent 1.0 (the inverse of formats' decodeCloudEvent),
 * for changes accepted over HTTP and republished on the changes topic / the in-process bus.
 */
export function changeToCloudEvent(c: ChangeEvent): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (c.team !== undefined) data['team'] = c.team;
  if (c.summary !== undefined) data['summary'] = c.summary;
  if (c.version !== undefined) data['version'] = c.version;
  if (c.revertOf !== undefined) data['revertOf'] = c.revertOf;
  if (c.keys !== undefined) data['keys'] = [...c.keys];
  if (c.settings !== undefined) data['settings'] = c.settings.map((x) => ({ ...x }));
  if (c.origins !== undefined) data['origins'] = c.origins.map((x) => ({ ...x }));
  return {
    specversion: '1.0',
    id: c.id,
    source: c.source,
    type: c.rawType,
    subject: c.service,
    time: new Date(c.time).toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}
