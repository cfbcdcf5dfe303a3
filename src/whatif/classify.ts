import type { Labels } from '../domain/types';
import { instanceLabel } from '../domain/series';
import type { Role } from './types';

/**
 * What a metric measures, by OpenTelemetry semantic conventions and the common Prometheus names.
 * Order matters: a limit is checked before the count it limits.
 */
const RULES: readonly (readonly [RegExp, Role])[] = [
  [/(open_file_descriptor\.limit|max_fds|fd[._]limit|file_descriptor[._]limit)/i, 'fdLimit'],
  [/(open_file_descriptor|open_fds|file_descriptors?|file_handles|\bfds?\b)/i, 'fd'],
  [/(open_connections|connection\.count|connections?(_total)?$|conn_count|pool\.(used|size))/i, 'connections'],
  [/thread/i, 'threads'],
  [/(memory|rss|heap)/i, 'memory'],
  [/active_requests|in_flight|inflight/i, 'active'],
  [/(request\.count|requests(_total)?$|server\.request|request_rate|\.rps$)/i, 'traffic'],
];

export function roleOf(metric: string): Role {
  for (const [re, role] of RULES) if (re.test(metric)) return role;
  return 'other';
}

/** The process a series comes from (see `instanceLabel` in domain/series.ts), else one per service. */
export function instanceOf(labels: Labels): string {
  return instanceLabel(labels) ?? '-';
}

/** Roles whose value is a per-process resource that can run into a limit. */
export const LIMITED_ROLES: ReadonlySet<Role> = new Set<Role>(['fd', 'connections', 'threads', 'memory']);

/**
 * The documented default when nothing declares or reports a limit: the soft `ulimit -n` of most
 * Linux distributions and container runtimes is 1024 open files.
 */
export const DEFAULT_FD_LIMIT = 1024;

export { POOL_KEY } from '../domain/settings';

/** Metric names in declared effects that mean a service's latency. */
export const LATENCY_METRIC = /(latency|duration|response_time|slowness)/i;
