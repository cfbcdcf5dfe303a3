import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { MetricRule } from '../correlate/golden';
import type { EpicenterError } from '../errors';
import { bad, fieldPath, type Origin } from './origin';
import { nodeLine } from './topology';

/**
 * config/metrics.yaml: `metrics: [{match, signal, side?, bad?}]`, a shop's own metric names read
 * as golden signals. A bad rule is reported (line and field) and skipped; the others are kept.
 */
const ruleSchema = z.object({
  match: z.string({ error: 'is required (a metric name or /regex/)' }).min(1, 'is empty'),
  signal: z.enum(['latency', 'errors', 'success', 'traffic', 'saturation', 'ignore']),
  side: z.enum(['server', 'client']).optional(),
  bad: z.enum(['up', 'down', 'none']).optional(),
});

export function decodeMetricRules(text: string, origin: Origin): { rules: MetricRule[]; errors: EpicenterError[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const errors: EpicenterError[] = [];
  const base = origin.line ?? 1;
  const fail = (path: readonly PropertyKey[], message: string): void => {
    errors.push(bad(origin, base - 1 + nodeLine(doc, lc, path), fieldPath('', path), message));
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) errors.push(bad(origin, base - 1 + lc.linePos(e.pos[0]).line, undefined, `invalid YAML: ${e.message}`));
    return { rules: [], errors };
  }
  const root: unknown = doc.toJS();
  const list = typeof root === 'object' && root !== null ? (root as Record<string, unknown>)['metrics'] : undefined;
  if (!Array.isArray(list)) {
    fail(['metrics'], 'must be a list of rules');
    return { rules: [], errors };
  }
  const rules: MetricRule[] = [];
  list.forEach((item, i) => {
    const r = ruleSchema.safeParse(item);
    if (!r.success) {
      const issue = r.error.issues[0];
      fail(['metrics', i, ...(issue?.path ?? [])], issue?.message ?? 'invalid rule');
      return;
    }
    const m = r.data.match;
    if (m.length > 2 && m.startsWith('/') && m.endsWith('/')) {
      try {
        new RegExp(m.slice(1, -1), 'i');
      } catch (e) {
        fail(['metrics', i, 'match'], `not a valid regular expression: ${(e as Error).message}`);
        return;
      }
    }
    const rule: { -readonly [K in keyof MetricRule]: MetricRule[K] } = { match: m, signal: r.data.signal };
    if (r.data.side !== undefined) rule.side = r.data.side;
    if (r.data.bad !== undefined) rule.bad = r.data.bad;
    rules.push(rule);
  });
  return { rules, errors };
}
