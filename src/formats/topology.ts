import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import type { ServiceNode, Topology } from '../domain/types';
import type { EpicenterError } from '../errors';
import { inLineOrder } from './json';
import { bad, fieldPath, type Origin } from './origin';

/**
 * Topology YAML: `services: [{name, team, dependsOn: [..], limits: {<metric>: number}}]`.
 * A service with a bad name or team is reported and skipped; a bad dependency edge or limit is
 * reported and dropped while the service is kept. Every error names the line and the field.
 */

const serviceSchema = z.object({
  name: z.string({ error: 'is required (a non-empty string)' }).trim().min(1, 'is empty'),
  team: z.string({ error: 'is required (the owning team)' }).trim().min(1, 'is empty'),
  dependsOn: z.array(z.unknown(), { error: 'must be a list of service names' }).nullish(),
  limits: z.record(z.string(), z.unknown(), { error: 'must be a map of metric name to number' }).nullish(),
});

export function decodeTopology(text: string, origin: Origin): { topology: Topology; errors: EpicenterError[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const errors: EpicenterError[] = [];
  const base = origin.line ?? 1;
  const lineAt = (path: readonly PropertyKey[]): number => base - 1 + nodeLine(doc, lc, path);
  const fail = (path: readonly PropertyKey[], message: string) => errors.push(bad(origin, lineAt(path), fieldPath('', path), message));

  if (doc.errors.length > 0) {
    for (const e of doc.errors) errors.push(bad(origin, base - 1 + lc.linePos(e.pos[0]).line, undefined, `invalid YAML: ${e.message}`));
    return { topology: { services: [] }, errors };
  }
  const root: unknown = doc.toJS();
  const list = typeof root === 'object' && root !== null ? (root as Record<string, unknown>)['services'] : undefined;
  if (!Array.isArray(list)) {
    fail(['services'], 'must be a list of services');
    return { topology: { services: [] }, errors };
  }

  const parsed: { i: number; s: z.infer<typeof serviceSchema> }[] = [];
  const seen = new Set<string>();
  const skipped = new Set<string>();
  list.forEach((raw, i) => {
    const r = serviceSchema.safeParse(raw);
    if (!r.success) {
      const name = (raw as { name?: unknown } | null)?.name;
      if (typeof name === 'string') skipped.add(name.trim());
      const issue = r.error.issues[0];
      const path = ['services', i, ...(issue?.path ?? [])];
      fail(path, `${issue?.message ?? 'invalid'}; service skipped`);
      return;
    }
    if (seen.has(r.data.name)) {
      fail(['services', i, 'name'], `duplicate service ${JSON.stringify(r.data.name)}; later entry skipped`);
      return;
    }
    seen.add(r.data.name);
    parsed.push({ i, s: r.data });
  });

  const services: ServiceNode[] = parsed.map(({ i, s }) => {
    const dependsOn: string[] = [];
    (s.dependsOn ?? []).forEach((d, j) => {
      const path = ['services', i, 'dependsOn', j];
      if (typeof d !== 'string' || d === '') fail(path, 'must be a service name; edge dropped');
      else if (d === s.name) fail(path, `${s.name} cannot depend on itself; edge dropped`);
      else if (!seen.has(d)) fail(path, `${skipped.has(d) ? 'service skipped for its own error' : 'unknown service'} ${JSON.stringify(d)}; edge dropped`);
      else if (!dependsOn.includes(d)) dependsOn.push(d);
    });
    const limits: Record<string, number> = {};
    for (const [metric, v] of Object.entries(s.limits ?? {})) {
      if (typeof v === 'number' && Number.isFinite(v) && v > 0) limits[metric] = v;
      else fail(['services', i, 'limits', metric], `must be a positive number, got ${JSON.stringify(v)}; limit dropped`);
    }
    return { name: s.name, team: s.team, dependsOn, limits };
  });
  return { topology: { services }, errors: inLineOrder(errors) };
}

/** 1-based line of the node at `path`, or of its nearest existing ancestor. */
export function nodeLine(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return 1;
}
