import type { ChangeEvent } from '../../domain/types';
import type { Context } from '../context';
import type { MetricClass } from '../signals';

/**
 * Settings that govern each kind of resource. An on-call engineer facing fd exhaustion reads a
 * connection-pool change before a log-level change; this is that reading, on the config keys a
 * change event names (and on a config or flag change's summary when it names no keys).
 */
const GOVERNS: Partial<Record<MetricClass, RegExp>> = {
  fds: /conn|pool|keep.?alive|socket|\bfds?\b|file|nofile|ulimit|max.?open|idle|http.?client|timeout|retr(y|ies)|concurren/i,
  connections: /conn|pool|keep.?alive|socket|idle|http.?client|timeout|retr(y|ies)|concurren/i,
  memory: /mem|heap|cache|\bgc\b|buffer|batch|xmx|pool/i,
  threads: /thread|worker|concurren|pool/i,
  active: /concurren|timeout|retr(y|ies)|pool|rate.?limit/i,
  queue: /batch|consumer|worker|concurren|prefetch|rate.?limit/i,
  cpu: /thread|worker|concurren|compress|tls|log.?level|batch/i,
};

/** The keys or words of a change that name a setting of `cls`, when any do. */
export function governing(c: ChangeEvent, cls: MetricClass): string | undefined {
  const re = GOVERNS[cls];
  if (re === undefined) return undefined;
  const words = c.keys !== undefined && c.keys.length > 0 ? c.keys : c.type === 'config' || c.type === 'flag' ? [c.summary ?? ''] : [];
  return words.find((k) => re.test(k));
}

/** The resource class of the victim's strongest trouble (what paged). */
export function troubleClass(ctx: Context): MetricClass | undefined {
  let top: { cls: MetricClass; w: number } | undefined;
  for (const { s, w } of ctx.trouble) if (top === undefined || w > top.w) top = { cls: s.cls, w };
  return top?.cls;
}
