import { createHash } from 'node:crypto';
import type { ChangeEvent, ChangeType } from '../domain/types';
import { badInput, type EpicenterError } from '../errors';
import { timeProblem } from '../formats/checks';
import { isObject } from '../formats/json';
import { epochAutoToMs, parseIsoTime } from '../formats/time';
import { settingsFromText } from './settings';

/**
 * Helpers shared by the webhook normalisers: typed reads that fail naming the field, times, text.
 * Every normalised change's `rawType` ends in `change.<kind>` (e.g. `github.deployment_status.change.deploy`)
 * because changes travel on as CloudEvents, whose decoder requires it.
 */

export type Obj = Record<string, unknown>;

/** A malformed payload: BAD_INPUT naming the field (`where` prefixes it, e.g. `body`). */
export function malformed(field: string, message: string): EpicenterError {
  return badInput(message, { field });
}

export function obj(v: unknown, field: string): Obj {
  if (!isObject(v)) throw malformed(field, v === undefined ? 'is required' : 'must be an object');
  return v;
}

export function optObj(v: unknown): Obj | undefined {
  return isObject(v) ? v : undefined;
}

export function text(v: unknown, field: string): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string' || v.trim() === '') throw malformed(field, v === undefined || v === null ? 'is required' : 'must be a non-empty string');
  return v;
}

export function optText(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** An RFC 3339/ISO 8601 string (zone required; `+0000` accepted) or epoch seconds/ms → ms, checked against `now`. */
export function timeOf(v: unknown, field: string, now: number | undefined): number {
  let t: number | undefined;
  if (typeof v === 'number') t = epochAutoToMs(v);
  else if (typeof v === 'string' && /^\d{9,16}$/.test(v.trim())) t = epochAutoToMs(Number(v));
  else if (typeof v === 'string') t = parseIsoTime(v, true);
  else throw malformed(field, v === undefined || v === null ? 'is required: a change without a time cannot be correlated' : 'must be a date-time');
  if (t === undefined) throw malformed(field, `not a date-time with zone: ${JSON.stringify(v)}`);
  const problem = timeProblem(t, now);
  if (problem !== undefined) throw malformed(field, problem);
  return t;
}

/** A stable id for payloads that carry none (PagerDuty change events): the body's digest. */
export function digestId(prefix: string, body: string): string {
  return `${prefix}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}`;
}

const KIND_WORDS: readonly [ChangeType, RegExp][] = [
  ['rollback', /\b(roll(?:ed|ing)?[- ]?back|revert(?:ed|s)?|undo)\b/i],
  ['flag', /\b(feature[- ]?flag|flag|toggle)\b/i],
  ['scale', /\b(scal(?:e|ed|ing)|replicas?|autoscal\w*|hpa)\b/i],
  ['infra', /\b(infra\w*|terraform|node pool|kernel|network|dns|certificate)\b/i],
  ['config', /\b(config\w*|setting|parameter|propert(?:y|ies)|set)\b/i],
];

/** The kind a free-text summary describes; `deploy` when nothing more specific is named. */
export function inferType(summary: string | undefined, hasSettings: boolean): ChangeType {
  for (const [kind, re] of KIND_WORDS) if (summary !== undefined && re.test(summary)) return kind;
  return hasSettings ? 'config' : 'deploy';
}

/** Adds `keys`/`settings` read from `texts` (summary, commit messages) to what the source gave. */
export function withSettings(c: ChangeEvent, ...texts: (string | undefined)[]): ChangeEvent {
  const read = settingsFromText(texts.filter((t) => t !== undefined).join('\n'));
  if (read.settings.length === 0) return c;
  const keys = [...new Set([...(c.keys ?? []), ...read.keys])];
  const settings = [...(c.settings ?? []), ...read.settings.filter((s) => !(c.settings ?? []).some((x) => x.key === s.key))];
  return { ...c, keys, settings };
}

/** Drops `undefined` members so optional fields are absent, as the domain types expect. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
