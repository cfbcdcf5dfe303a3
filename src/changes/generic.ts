import { CHANGE_TYPES, type ChangeEvent, type ChangeType } from '../domain/types';
import { compact, digestId, inferType, malformed, optText, timeOf, withSettings } from './common';
import type { GenericSource } from './config';
import { parsePath, select } from './path';
import { settingsFromText } from './settings';
import type { Normalised } from './source';

/**
 * Any JSON body, mapped by the source's `map` of field paths (see ./path.ts) to a change's id, time,
 * service, team, summary, keys, version and type. With `items`, the body holds an array of events.
 * Without an id path the item's digest is its id, so a retried delivery is the same change.
 */
export function normaliseGeneric(body: unknown, name: string, cfg: GenericSource, now: number): Normalised {
  const items = cfg.items === undefined ? [body] : select(body, parsePath(cfg.items)).flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
  if (items.length === 0) throw malformed(cfg.items ?? 'body', 'holds no events');
  return { changes: items.map((item, i) => one(item, cfg.items === undefined ? '' : `${cfg.items}[${i}] `, name, cfg, now)) };
}

function one(item: unknown, where: string, name: string, cfg: GenericSource, now: number): ChangeEvent {
  const m = cfg.map;
  const first = (field: keyof typeof m): unknown => {
    const p = m[field];
    return p === undefined ? undefined : select(item, parsePath(p))[0];
  };
  const need = (field: keyof typeof m): string => {
    const v = optText(first(field));
    if (v === undefined) throw malformed(`${where}${m[field] ?? field}`, `is required (map.${field})`);
    return v;
  };
  const summary = optText(first('summary'));
  const keys = m.keys === undefined ? [] : select(item, parsePath(m.keys)).flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v])).filter((k): k is string => typeof k === 'string' && k !== '');
  const stated = optText(first('type'))?.toLowerCase();
  const hasSettings = summary !== undefined && settingsFromText(summary).settings.length > 0;
  const type: ChangeType =
    stated !== undefined && (CHANGE_TYPES as readonly string[]).includes(stated) ? (stated as ChangeType) : cfg.defaultType === 'infer' ? inferType(summary, hasSettings || keys.length > 0) : cfg.defaultType;
  const id = m.id === undefined ? digestId('gen', JSON.stringify(item)) : need('id');
  const change: ChangeEvent = compact({
    id,
    source: cfg.source ?? `generic/${name}`,
    type,
    rawType: `generic.${name}.change.${type}`,
    service: cfg.service ?? need('service'),
    team: cfg.team ?? optText(first('team')),
    time: timeOf(first('time'), `${where}${m.time}`, now),
    summary,
    version: optText(first('version')),
    keys: keys.length === 0 ? undefined : keys,
    origins: [{ source: cfg.source ?? `generic/${name}`, id, kind: `generic.${name}` }],
  });
  return withSettings(change, summary);
}
