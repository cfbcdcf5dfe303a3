import type { Breakpoint, ChangeEvent, Suspect } from '../domain/types';
import type { StoredAnalysis } from '../ports';

/**
 * JSON views of domain values for API responses: times as ISO 8601 strings (UTC), everything
 * else as in src/domain/types.ts.
 */

const iso = (t: number): string => new Date(t).toISOString();

export function suspectView(s: Suspect) {
  return { id: s.id, service: s.service, team: s.team, type: s.type, time: iso(s.time), score: s.score, evidence: s.evidence };
}

export function changeView(c: ChangeEvent) {
  return {
    id: c.id,
    source: c.source,
    type: c.type,
    rawType: c.rawType,
    service: c.service,
    time: iso(c.time),
    ...(c.team === undefined ? {} : { team: c.team }),
    ...(c.summary === undefined ? {} : { summary: c.summary }),
    ...(c.version === undefined ? {} : { version: c.version }),
    ...(c.revertOf === undefined ? {} : { revertOf: c.revertOf }),
    ...(c.keys === undefined ? {} : { keys: c.keys }),
  };
}

export function breakpointView(b: Breakpoint) {
  return {
    series: b.series.id,
    service: b.series.service,
    metric: b.series.metric,
    time: iso(b.time),
    detectedAt: iso(b.detectedAt),
    kind: b.kind,
    before: b.before,
    after: b.after,
    magnitude: b.magnitude,
    confidence: b.confidence,
    ...(b.exhaustionAt === undefined ? {} : { exhaustionAt: iso(b.exhaustionAt) }),
    ...(b.limit === undefined ? {} : { limit: b.limit }),
  };
}

export function analysisView(a: StoredAnalysis, timelineUrl: string) {
  return {
    id: a.id,
    service: a.service,
    at: iso(a.at),
    from: iso(a.from),
    to: iso(a.to),
    createdAt: iso(a.createdAt),
    suspects: a.suspects.map(suspectView),
    breakpoints: a.breakpoints.map(breakpointView),
    timelineUrl,
  };
}
