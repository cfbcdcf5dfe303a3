import { analyze, type MetricRule } from '../correlate';
import type { Analysis, ChangeEvent, SeriesRef, Suspect, Topology } from '../domain/types';
import type { SeriesData } from '../ports';
import { peerService } from '../topology/peer';
import { roleOf } from './classify';
import { seriesKey } from './direct';
import type { Prediction, Proposal } from './types';

export interface ReplayResult {
  /** The first injected series to reach its limit: the page. */
  readonly page?: { readonly service: string; readonly metric: string; readonly at: number; readonly value: number; readonly limit: number };
  /** 1-based rank of the proposal among the suspects at the page, 0 when not ranked. */
  readonly rank: number;
  readonly score: number;
  readonly suspects: readonly Suspect[];
  /** The correlator's whole answer at the page (for the replay timeline). */
  readonly analysis?: Analysis;
  /** The recorded series in the window, and the same with the predicted effects injected. */
  readonly recorded: readonly SeriesData[];
  readonly injected: readonly SeriesData[];
}

/** The key an effect and a recorded series share: service, metric and (connection series) the peer service. */
export type EffectKeyOf = (r: SeriesRef) => string;

/** The effect key of a recorded series: connection series name their peer by a label, resolved against `known`. */
export function effectKeyOf(known: ReadonlySet<string>): EffectKeyOf {
  return (r) => seriesKey(r.service, r.metric, roleOf(r.metric) === 'connections' ? peerService(r.labels, known, r.service) : undefined);
}

/** The proposal as a change event of the log (the correlator ranks it with the recorded ones). */
export function proposalChange(p: Proposal): ChangeEvent {
  return { id: p.id, source: 'whatif', type: p.type as ChangeEvent['type'], rawType: `whatif.change.${p.type}`, service: p.service, time: p.time, ...(p.team === undefined ? {} : { team: p.team }), ...(p.summary === undefined ? {} : { summary: p.summary }) };
}

/**
 * The recorded series with each predicted effect added from the proposal's time on: the effect's
 * peak change (predicted − baseline) on every instance of the matching service, metric and peer. A
 * constant shift is a simplification of the prediction's shape over the day.
 */
export function injectEffects(series: readonly SeriesData[], pred: Prediction, from: number, known: ReadonlySet<string>): SeriesData[] {
  const shift = new Map<string, number>();
  for (const e of pred.effects) shift.set(seriesKey(e.service, e.metric, e.peer), e.predicted - e.baseline);
  const keyOf = effectKeyOf(known);
  return series.map((s) => {
    const d = shift.get(keyOf(s.series));
    return d === undefined ? s : { series: s.series, points: s.points.map((p) => (p.t >= from ? { t: p.t, v: p.v + d } : p)) };
  });
}

/** First point of any series at or above its declared limit, in [from, to). */
export function firstPage(series: readonly SeriesData[], topology: Topology, from: number, to: number): ReplayResult['page'] {
  const limits = new Map(topology.services.map((s) => [s.name, s.limits]));
  let page: ReplayResult['page'];
  for (const s of series) {
    const limit = limits.get(s.series.service)?.[s.series.metric];
    if (limit === undefined) continue;
    const hit = s.points.find((p) => p.t >= from && p.t < to && p.v >= limit);
    if (hit !== undefined && (page === undefined || hit.t < page.at)) page = { service: s.series.service, metric: s.series.metric, at: hit.t, value: hit.v, limit };
  }
  return page;
}

/**
 * Replay [from, to) with the proposal's predicted effect injected and the proposal in the change
 * log: would a limit have been hit (the page), and where would the correlator rank the proposal?
 */
export function replay(input: { series: readonly SeriesData[]; changes: readonly ChangeEvent[]; topology: Topology; proposal: Proposal; prediction: Prediction; from: number; to: number; metricRules?: readonly MetricRule[] }): ReplayResult {
  const { proposal: p, topology } = input;
  const known = new Set([...topology.services.map((s) => s.name), ...input.series.map((s) => s.series.service)]);
  const window = input.series.map((s) => ({ series: s.series, points: s.points.filter((x) => x.t >= input.from && x.t < input.to) })).filter((s) => s.points.length > 0);
  const injected = injectEffects(window, input.prediction, p.time, known);
  const page = firstPage(injected, topology, Math.max(input.from, p.time), input.to);
  if (page === undefined) return { rank: 0, score: 0, suspects: [], recorded: window, injected };
  const changes = [...input.changes.filter((c) => c.id !== p.id), proposalChange(p)];
  const a = analyze({ series: injected, changes, topology, service: page.service, at: page.at, windowMs: page.at - input.from, afterMs: Math.max(0, input.to - page.at), metricRules: input.metricRules ?? [] });
  const i = a.suspects.findIndex((s) => s.id === p.id);
  return { page, rank: i + 1, score: a.suspects[i]?.score ?? 0, suspects: a.suspects.slice(0, 3), analysis: a, recorded: window, injected };
}
