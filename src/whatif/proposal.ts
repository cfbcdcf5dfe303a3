import { z } from 'zod';
import type { ChangeEvent } from '../domain/types';
import { isEpicenterError, type Decoded, type EpicenterError } from '../errors';
import { decodeCloudEvent } from '../formats/cloudevents';
import { inLineOrder, isObject, parseJsonDocs } from '../formats/json';
import { bad, type Origin } from '../formats/origin';
import { zodError } from '../formats/zod';
import type { Proposal, Quantities } from './types';

/**
 * Quantities in a change event's `data`: what a CI/CD pipeline knows about the change it ships.
 * `settings: [{key, from, to, peer?}]`, `replicas: {from, to}`, `traffic: {factor, peer?}`,
 * `version`, `effects: [{metric, peer?, factor | delta}]`. Every member is optional.
 */
const num = z.number().finite();
const scalar = z.union([num, z.string()]);
const positive = num.positive('must be > 0');
export const quantitiesSchema = z.object({
  settings: z.array(z.object({ key: z.string().min(1, 'is empty'), from: scalar, to: scalar, peer: z.string().min(1).optional() })).optional(),
  replicas: z.object({ from: z.number().int().positive(), to: z.number().int().nonnegative() }).optional(),
  traffic: z.object({ factor: z.number().finite().nonnegative(), peer: z.string().min(1).optional() }).optional(),
  version: z.union([z.string(), z.number()]).transform(String).optional(),
  effects: z
    .array(
      z
        .object({ metric: z.string().min(1, 'is empty'), peer: z.string().min(1).optional(), factor: positive.optional(), delta: num.optional() })
        .refine((e) => e.factor !== undefined || e.delta !== undefined, { message: 'needs factor or delta' }),
    )
    .optional(),
});

/** The quantities of one CloudEvent document (its `data`), or a BAD_INPUT error naming the field. */
export function quantitiesOf(doc: unknown, origin: Origin, fieldPrefix = ''): Quantities {
  const data = isObject(doc) ? doc['data'] : undefined;
  if (!isObject(data)) return {};
  const r = quantitiesSchema.safeParse(data);
  if (!r.success) throw zodError(r.error, origin, undefined, fieldPrefix === '' ? 'data' : `${fieldPrefix}.data`);
  const q = r.data;
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
}

export interface QuantifiedChange {
  readonly change: ChangeEvent;
  readonly quantities: Quantities;
}

/** Change events (NDJSON, array or one document) with their quantities; bad records are reported, the rest kept. */
export function decodeQuantifiedChanges(text: string, origin: Origin): Decoded<QuantifiedChange> {
  const { docs, errors } = parseJsonDocs(text, origin);
  const values: QuantifiedChange[] = [];
  const all: EpicenterError[] = [...errors];
  const one = (doc: unknown, o: Origin, prefix: string): void => {
    try {
      values.push({ change: decodeCloudEvent(doc, o, prefix), quantities: quantitiesOf(doc, o, prefix) });
    } catch (e) {
      if (!isEpicenterError(e)) throw e;
      all.push(e);
    }
  };
  for (const { doc, line } of docs) {
    const o: Origin = { ...origin, line };
    if (Array.isArray(doc)) doc.forEach((el, i) => one(el, o, `[${i}]`));
    else one(doc, o, '');
  }
  return { values, errors: inLineOrder(all) };
}

export function toProposal(q: QuantifiedChange): Proposal {
  const c = q.change;
  const version = q.quantities.version ?? c.version;
  return {
    id: c.id, type: c.type, service: c.service, time: c.time, keys: c.keys ?? (q.quantities.settings ?? []).map((s) => s.key),
    quantities: version === undefined ? q.quantities : { ...q.quantities, version },
    ...(c.team === undefined ? {} : { team: c.team }),
    ...(c.summary === undefined ? {} : { summary: c.summary }),
  };
}

/** One proposal: a single change event (a file holding one CloudEvent, or an HTTP body). Throws BAD_INPUT. */
export function decodeProposal(text: string, origin: Origin): Proposal {
  const d = decodeQuantifiedChanges(text, origin);
  const first = d.errors[0];
  if (first !== undefined) throw first;
  const [p, extra] = d.values;
  if (p === undefined) throw bad(origin, undefined, undefined, 'holds no change event');
  if (extra !== undefined) throw bad(origin, undefined, undefined, `holds ${d.values.length} change events; propose one at a time`);
  return toProposal(p);
}

/** A proposal from an already-parsed JSON value (HTTP body). */
export function proposalFromDoc(doc: unknown, origin: Origin, fieldPrefix = ''): Proposal {
  return toProposal({ change: decodeCloudEvent(doc, origin, fieldPrefix), quantities: quantitiesOf(doc, origin, fieldPrefix) });
}
