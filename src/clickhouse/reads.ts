/**
 * The Store port's queries. Every read uses FINAL: ReplacingMergeTree collapses replayed rows
 * only when parts merge, and FINAL merges on the fly at read time (works on 18.16 and 24.8+),
 * so a replay is never visible, merged or not. Every literal goes through ./sql.ts.
 */
import type { Breakpoint, ChangeEvent } from '../domain/types';
import { EpicenterError } from '../errors';
import type { BreakpointQuery, ChangeQuery, PointQuery, SeriesData, StoredAnalysis } from '../ports';
import type { ChConnection } from './connection';
import { analysisFromRow, breakpointFromRow, changeFromRow, num, seriesFromRow, type AnalysisRow, type BreakpointRow, type ChangeRow, type SeriesColumns } from './rows';
import { T } from './schema';
import { dateTime, inList, sql, type Sql } from './sql';

const MAX_MS = 4294967295000;

/** Clamp a query window to DateTime's range; undefined when it is empty. */
function window(q: { from: number; to: number }): { from: number; to: number } | undefined {
  if (Number.isNaN(q.from) || Number.isNaN(q.to)) throw new EpicenterError('BAD_REQUEST', 'query window: from/to must be numbers (epoch ms)');
  const from = Math.max(0, Math.ceil(Math.min(q.from, MAX_MS)));
  const to = Math.max(0, Math.ceil(Math.min(q.to, MAX_MS)));
  return from < to ? { from, to } : undefined;
}

/** `t` (partition/DateTime column) and `t_ms` bounds: the first prunes partitions, the second is exact. */
function timeFilter(w: { from: number; to: number }): Sql {
  return sql`t >= ${dateTime(w.from)} AND t <= ${dateTime(w.to)} AND t_ms >= ${w.from} AND t_ms < ${w.to}`;
}

interface PointsRow extends SeriesColumns {
  ts: (string | number)[];
  vs: number[];
}

export async function queryPoints(conn: ChConnection, db: Sql, q: PointQuery): Promise<SeriesData[]> {
  const w = window(q);
  if (w === undefined || (q.services !== undefined && q.services.length === 0)) return [];
  const svc = q.services === undefined ? sql`` : sql`AND service IN ${inList(q.services)}`;
  // One row per series with its points as two arrays: far less JSON than one row per point.
  const rows = await conn.query<PointsRow>(sql`
SELECT service, series_id, any(metric) AS metric, any(labels) AS labels, any(unit) AS unit,
  groupArray(t_ms) AS ts, groupArray(value) AS vs
FROM (SELECT service, series_id, metric, labels, unit, t_ms, value FROM ${db}.${T.points} FINAL WHERE ${timeFilter(w)} ${svc})
GROUP BY service, series_id
ORDER BY service, series_id`);
  return rows.map((r) => {
    const points = r.ts.map((t, i) => ({ t: num(t), v: r.vs[i] ?? NaN }));
    points.sort((a, b) => a.t - b.t);
    return { series: seriesFromRow(r), points };
  });
}

export async function queryChanges(conn: ChConnection, db: Sql, q: ChangeQuery): Promise<ChangeEvent[]> {
  const w = window(q);
  if (w === undefined) return [];
  const svc = q.service === undefined ? sql`` : sql`AND service = ${q.service}`;
  const team = q.team === undefined ? sql`` : sql`AND team = ${q.team}`;
  const rows = await conn.query<ChangeRow>(sql`
SELECT source, id, service, team, type, raw_type, t_ms, summary, version, revert_of, keys,
  setting_keys, setting_from, setting_to, origin_sources, origin_ids, origin_kinds, origin_urls
FROM ${db}.${T.changes} FINAL
WHERE t_ms >= ${w.from} AND t_ms < ${w.to} ${svc} ${team}
ORDER BY t_ms, source, id`);
  return rows.map(changeFromRow);
}

export async function queryBreakpoints(conn: ChConnection, db: Sql, q: BreakpointQuery): Promise<Breakpoint[]> {
  const w = window(q);
  if (w === undefined) return [];
  const svc = q.service === undefined ? sql`` : sql`AND service = ${q.service}`;
  const rows = await conn.query<BreakpointRow>(sql`
SELECT id, series_id, service, metric, labels, unit, t_ms, detected_at_ms, kind,
  before_level, before_slope, after_level, after_slope, magnitude, confidence, exhaustion_at_ms, limit_value
FROM ${db}.${T.breakpoints} FINAL
WHERE ${timeFilter(w)} ${svc}
ORDER BY t_ms, series_id, kind`);
  return rows.map(breakpointFromRow);
}

export async function recentAnalyses(conn: ChConnection, db: Sql, q: { service?: string; limit: number }): Promise<StoredAnalysis[]> {
  if (!Number.isInteger(q.limit) || q.limit < 0 || q.limit > 10_000) {
    throw new EpicenterError('BAD_REQUEST', `recent analyses: limit must be an integer in 0..10000, got ${String(q.limit)}`);
  }
  if (q.limit === 0) return [];
  const svc = q.service === undefined ? sql`` : sql`WHERE service = ${q.service}`;
  const rows = await conn.query<AnalysisRow>(sql`
SELECT id, service, at_ms, from_ms, to_ms, created_at_ms, suspects, breakpoints
FROM ${db}.${T.analyses} FINAL ${svc}
ORDER BY created_at_ms DESC, id
LIMIT ${q.limit}`);
  return rows.map(analysisFromRow);
}
