/**
 * What-if verdicts in `whatif_verdicts`: the row a verdict becomes, and the read of recent ones.
 * Breaches are parallel arrays; `breach_summary` is one readable line for dashboard tables.
 */
import { EpicenterError } from '../errors';
import type { Breach, StoredVerdict } from '../whatif/types';
import type { ChConnection } from './connection';
import { checkMs, finite, num, sec } from './rows';
import { T } from './schema';
import { sql, type Sql } from './sql';

export interface VerdictRow {
  t: number;
  t_ms: number | string;
  origin: string;
  proposal_id: string;
  service: string;
  team: string;
  type: string;
  summary: string;
  proposal_t_ms: number | string;
  verdict: string;
  risks: number;
  breach_services: string[];
  breach_metrics: string[];
  breach_instances: string[];
  breach_predicted: number[];
  breach_low: number[];
  breach_high: number[];
  breach_limits: number[];
  breach_at_ms: (number | string)[];
  breach_paths: string[];
  breach_teams: string[];
  breach_summary: string;
}

const PATH_SEP = ' → ';
const round = (x: number): number => Math.round(x * 10) / 10;

/** `checkout-api process.open_file_descriptor.count 1290 ≥ 1024 (team checkout)`, one per breach. */
function breachSummary(bs: readonly Breach[]): string {
  return bs.map((b) => `${b.service} ${b.metric}${b.instance === undefined ? '' : ` [${b.instance}]`} ${round(b.predicted)} ≥ ${round(b.limit)} (team ${b.team})`).join('; ');
}

export function verdictRow(v: StoredVerdict): VerdictRow {
  const what = `what-if verdict of ${v.proposal.id}`;
  const at = checkMs(v.at, what);
  const bs = v.breaches;
  return {
    t: sec(at),
    t_ms: at,
    origin: v.origin,
    proposal_id: v.proposal.id,
    service: v.proposal.service,
    team: v.proposal.team ?? '',
    type: v.proposal.type,
    summary: v.proposal.summary ?? '',
    proposal_t_ms: checkMs(v.proposal.time, what),
    verdict: v.verdict,
    risks: v.risks,
    breach_services: bs.map((b) => b.service),
    breach_metrics: bs.map((b) => b.metric),
    breach_instances: bs.map((b) => b.instance ?? ''),
    breach_predicted: bs.map((b) => finite(b.predicted, what)),
    breach_low: bs.map((b) => finite(b.low, what)),
    breach_high: bs.map((b) => finite(b.high, what)),
    breach_limits: bs.map((b) => finite(b.limit, what)),
    breach_at_ms: bs.map((b) => checkMs(Date.parse(b.at), what)),
    breach_paths: bs.map((b) => b.path.join(PATH_SEP)),
    breach_teams: bs.map((b) => b.team),
    breach_summary: breachSummary(bs),
  };
}

const VERDICTS = new Set(['breach', 'risk', 'safe', 'unknown']);

export function verdictFromRow(r: VerdictRow): StoredVerdict {
  if (!VERDICTS.has(r.verdict)) throw new EpicenterError('STORE_FAILED', `whatif_verdicts: unknown verdict '${r.verdict}' of ${r.proposal_id}`);
  const breaches: Breach[] = r.breach_services.map((service, i) => {
    const instance = r.breach_instances[i] ?? '';
    return {
      service, metric: r.breach_metrics[i] ?? '', ...(instance === '' ? {} : { instance }),
      limit: r.breach_limits[i] ?? NaN, predicted: r.breach_predicted[i] ?? NaN, low: r.breach_low[i] ?? NaN, high: r.breach_high[i] ?? NaN,
      at: new Date(num(r.breach_at_ms[i])).toISOString(), path: (r.breach_paths[i] ?? '').split(PATH_SEP), team: r.breach_teams[i] ?? '',
    };
  });
  return {
    at: num(r.t_ms),
    origin: r.origin,
    proposal: { id: r.proposal_id, service: r.service, type: r.type, time: num(r.proposal_t_ms), ...(r.team === '' ? {} : { team: r.team }), ...(r.summary === '' ? {} : { summary: r.summary }) },
    verdict: r.verdict as StoredVerdict['verdict'],
    breaches,
    risks: num(r.risks),
  };
}

/** Most recent verdicts first; `service` is the proposal's service. */
export async function recentVerdicts(conn: ChConnection, db: Sql, q: { service?: string; limit: number }): Promise<StoredVerdict[]> {
  if (!Number.isInteger(q.limit) || q.limit < 0 || q.limit > 10_000) {
    throw new EpicenterError('BAD_REQUEST', `recent what-if verdicts: limit must be an integer in 0..10000, got ${String(q.limit)}`);
  }
  if (q.limit === 0) return [];
  const svc = q.service === undefined ? sql`` : sql`WHERE service = ${q.service}`;
  const rows = await conn.query<VerdictRow>(sql`
SELECT t_ms, origin, proposal_id, service, team, type, summary, proposal_t_ms, verdict, risks,
  breach_services, breach_metrics, breach_instances, breach_predicted, breach_low, breach_high,
  breach_limits, breach_at_ms, breach_paths, breach_teams, breach_summary
FROM ${db}.${T.whatifVerdicts} FINAL ${svc}
ORDER BY t_ms DESC, proposal_id
LIMIT ${q.limit}`);
  return rows.map(verdictFromRow);
}
