import { z } from 'zod';
import { makeSeries } from '../domain/series';
import type { Sample } from '../domain/types';
import type { Decoded, EpicenterError } from '../errors';
import { timeProblem, valueProblem } from './checks';
import { inLineOrder, parseJsonDocs } from './json';
import { bad, type Origin } from './origin';
import { createRateState, cumulativeRate, type RateState } from './rate';
import { zodError } from './zod';

/**
 * collectd `write_kafka` with `Format JSON`: each message is an array of value lists. Metric
 * `collectd.<plugin>.<type>[.<dsname>]`; service = the process name for the `processes` plugin,
 * else the host.
 */

const valueListSchema = z
  .object({
    // collectd writes null for a NaN gauge: a missing sample.
    values: z.array(z.number().nullable()).min(1, 'is empty'),
    dstypes: z.array(z.enum(['gauge', 'derive', 'counter', 'absolute'])),
    dsnames: z.array(z.string().min(1)),
    time: z.number().positive(),
    interval: z.number().positive(),
    host: z.string().min(1, 'is empty'),
    plugin: z.string().min(1, 'is empty'),
    plugin_instance: z.string().optional(),
    type: z.string().min(1, 'is empty'),
    type_instance: z.string().optional(),
  })
  .refine((vl) => vl.dstypes.length === vl.values.length, { message: 'must have one entry per value', path: ['dstypes'] })
  .refine((vl) => vl.dsnames.length === vl.values.length, { message: 'must have one entry per value', path: ['dsnames'] });

type ValueList = z.infer<typeof valueListSchema>;

/** collectd JSON: NDJSON of messages (each an array of value lists, or one value list). */
export function decodeCollectd(text: string, origin: Origin, rates: RateState = createRateState()): Decoded<Sample> {
  const { docs, errors } = parseJsonDocs(text, origin);
  const values: Sample[] = [];
  const held = { n: 0 };
  for (const { doc, line } of docs) {
    const lists = Array.isArray(doc) ? doc : [doc];
    const prefix = Array.isArray(doc) ? (i: number) => `[${i}]` : () => '';
    lists.forEach((vl, i) => decodeValueList(vl, origin, line, prefix(i), rates, values, errors, held));
  }
  return { values, errors: inLineOrder(errors), held: held.n };
}

function decodeValueList(raw: unknown, origin: Origin, line: number, path: string, rates: RateState, out: Sample[], errors: EpicenterError[], held: { n: number }): void {
  const r = valueListSchema.safeParse(raw);
  if (!r.success) {
    errors.push(zodError(r.error, origin, line, path));
    return;
  }
  const vl = r.data;
  const at = (f: string) => (path === '' ? f : `${path}.${f}`);
  const t = Math.round(vl.time * 1000);
  const tp = timeProblem(t, origin.now);
  if (tp !== undefined) {
    errors.push(bad(origin, line, at('time'), tp));
    return;
  }
  const labels = labelsOf(vl);
  const service = vl.plugin === 'processes' && vl.plugin_instance ? vl.plugin_instance : vl.host;
  for (let i = 0; i < vl.values.length; i++) {
    const v = vl.values[i];
    if (v === null || v === undefined) continue;
    const vp = valueProblem(v);
    if (vp !== undefined) {
      errors.push(bad(origin, line, at(`values[${i}]`), vp));
      continue;
    }
    const dsname = vl.dsnames[i] ?? 'value';
    const dstype = vl.dstypes[i] ?? 'gauge';
    const withDs = vl.values.length > 1 || dsname !== 'value';
    const metric = `collectd.${vl.plugin}.${vl.type}${withDs ? `.${dsname}` : ''}`;
    const series = makeSeries(metric, labels, service, dstype === 'gauge' ? undefined : '1/s');
    if (dstype === 'gauge') out.push({ series, t, v });
    else if (dstype === 'absolute') out.push({ series, t, v: v / vl.interval });
    else {
      // derive and counter: a decrease (wrap or restart) restarts the rate rather than going negative.
      // (Keyed by id: each value list makes its series afresh.)
      const rate = cumulativeRate(rates, series.id, t, v);
      if (rate !== undefined) out.push({ series, t, v: rate });
      else held.n++;
    }
  }
}

function labelsOf(vl: ValueList): Record<string, string> {
  const labels: Record<string, string> = { host: vl.host };
  if (vl.plugin_instance) labels['plugin_instance'] = vl.plugin_instance;
  if (vl.type_instance) labels['type_instance'] = vl.type_instance;
  return labels;
}
