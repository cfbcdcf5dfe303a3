import { z } from 'zod';
import { EpicenterError } from '../errors';
import type { Truth } from './types';

/**
 * truth.json, the one format `epicenter simulate` writes and `demo`/`timeline` read: the question
 * the incident asks (`service` in trouble, `alert` name, `at`, the suggested `windowMs`/`afterMs`),
 * then what really happened (`cause`, `onset`, decoys in `redHerrings`). Times are epoch ms, with
 * ISO 8601 copies (`atIso`, `onsetIso`, `cause.timeIso`) for people.
 */
const truthFileSchema = z.object({
  service: z.string().min(1),
  alert: z.string().min(1).optional(),
  at: z.number().int().nonnegative(),
  windowMs: z.number().positive(),
  afterMs: z.number().nonnegative(),
  cause: z.object({ id: z.string().min(1), service: z.string(), team: z.string(), type: z.string() }).optional(),
});

export type TruthFile = z.infer<typeof truthFileSchema>;

/** truth.json text for a scenario; `alert` names the page when the scenario has one. */
export function writeTruthJson(truth: Truth, alert?: string): string {
  const iso = (ms: number): string => new Date(ms).toISOString();
  const { victim, ...rest } = truth;
  const doc = { service: victim, ...(alert === undefined ? {} : { alert }), ...rest, atIso: iso(truth.at), onsetIso: iso(truth.onset), cause: { ...truth.cause, timeIso: iso(truth.cause.time) } };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Parses truth.json; a missing or wrong field is a BAD_INPUT error naming the file and the field. */
export function parseTruthJson(text: string, file: string): TruthFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new EpicenterError('BAD_INPUT', `not JSON: ${(e as Error).message}`, { origin: { file } });
  }
  const r = truthFileSchema.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new EpicenterError('BAD_INPUT', `${i.message} (a truth.json names the service in trouble, at and windowMs/afterMs in epoch ms)`, { origin: { file, field: i.path.join('.') || '(root)' } });
  }
  return r.data;
}
