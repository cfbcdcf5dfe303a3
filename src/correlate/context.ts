import { detectAll, type DetectorOptions } from '../detect';
import { NEAR_LIMIT } from '../detect/acute';
import type { Analysis, Breakpoint, ChangeEvent, Point, Topology } from '../domain/types';
import type { SeriesData } from '../ports';
import { buildGraph, peerService, withDataEdges, type TopologyGraph } from '../topology';
import { classifyGolden, ratioFloor, seriesClass, type MetricRule } from './golden';
import { effectAt, refineOnset, signalWeight, strength, troubleWeight, type Effect, type Signal } from './signals';
import { lastOnset } from './redate';
import { stitchVersions, type StitchedSeries } from './stitch';
import { acrossInstances } from './churn';
import { versionsFromArrival, withReleasedVersions } from './released';
import { failureRatios, joinOutcomes } from './failures';
import { coOnsetDependencies, healthBursts, withDependencies } from './co-onset';
import { reachable } from './features/sides';

export interface AnalyzeInput {
  readonly series: readonly SeriesData[];
  readonly changes: readonly ChangeEvent[];
  readonly topology: Topology;
  /** The service in trouble. */
  readonly service: string;
  /** The time asked about (alert/page), epoch ms. */
  readonly at: number;
  /** Look-back before `at`, ms. */
  readonly windowMs: number;
  /** Look-ahead after `at` (data after the page: rollbacks, recovery), ms. */
  readonly afterMs: number;
  readonly detector?: Partial<DetectorOptions>;
  /** A shop's own metric names as golden signals (config/metrics.yaml); the conventions otherwise. */
  readonly metricRules?: readonly MetricRule[];
}

/** Everything the evidence functions read, built once per analysis. */
export interface Context {
  readonly victim: string;
  readonly at: number;
  readonly from: number;
  readonly to: number;
  /**
   * Just past the last sample of any series in view (at most `to`): where the data ends. The
   * look-ahead `to` reaches beyond the page only when data exists there; a burst in the last
   * sample before this end is cut short by it (see `AcuteOptions.lone`), not by `to`.
   */
  readonly end: number;
  /** The first sample of any series in view (at least `from`): where the data begins. */
  readonly start: number;
  readonly graph: TopologyGraph;
  /** Dependencies of the victim inferred from timing alone (see `coOnsetDependencies`), also in `graph`. */
  readonly inferred: readonly string[];
  /**
   * Services with no link to the victim kept in view because nothing at all moved on the victim
   * (no lasting move, no burst): with no trouble to tie them to, a bad release anywhere is a lead,
   * but only a lead (see `UNLINKED_LEAD`).
   */
  readonly unproven: readonly string[];
  /** Typical sampling interval, ms. */
  readonly stepMs: number;
  /** Window over which effects are measured, ms. */
  readonly effectMs: number;
  /** How early a breakpoint may sit before a change and still be its effect (timestamp jitter, sampling), ms. */
  readonly tolMs: number;
  readonly series: readonly StitchedSeries[];
  readonly breakpoints: readonly Breakpoint[];
  readonly signals: readonly Signal[];
  readonly byService: ReadonlyMap<string, readonly Signal[]>;
  /** Victim signals with their trouble weight, by time. */
  readonly trouble: readonly { readonly s: Signal; readonly w: number }[];
  /** The victim's metrics within 80 % of their declared limit in the half hour before `at`. */
  readonly atLimit: ReadonlySet<string>;
  /** First strong trouble on the victim at or before `at`; with no lasting move, its first strong burst still going; else `at`. */
  readonly onset: number;
  /** Every change in range (candidates are those up to `at`). */
  readonly changes: readonly ChangeEvent[];
  readonly candidates: readonly ChangeEvent[];
  readonly metricRules: readonly MetricRule[];
}

/** Hops around the victim whose telemetry is examined: causes further away are not credible without a path. */
export const RADIUS = 3;
const MIN = 60_000;

/**
 * Build the analysis context. `given` breakpoints (detected on the same stitched series, e.g. in
 * tests with hand-made cases) replace running the detector.
 */
export function buildContext(input: AnalyzeInput, given?: readonly Breakpoint[]): Context {
  const from = input.at - input.windowMs;
  const to = input.at + input.afterMs;
  const known = new Set<string>([...input.topology.services.flatMap((s) => [s.name, ...s.dependsOn]), ...input.series.map((s) => s.series.service), ...input.changes.map((c) => c.service)]);
  // Declared edges join the edges seen in the data (client-side series naming their server).
  const declared = withDataEdges(input.topology, input.series, known);
  const recorded = buildGraph(declared);
  const victim = input.service;
  // Services within RADIUS hops of the victim are examined, and every one it depends on however
  // deep (all of them when the victim is not in the topology). Those with no link to it at all are
  // examined only for dependencies nobody recorded (see `coOnsetDependencies`) and left out unless
  // they are found to be one, or nothing at all moved on the victim (`unproven`).
  const linked = recorded.has(victim) ? recorded.neighbours(victim, Infinity) : undefined;
  // Failures and slowness climb up the calls: a cause several hops down is credible, one as far to the side is not.
  const below = reachable(recorded, victim, 'down');
  const near = (s: string | undefined): boolean => s !== undefined && (linked === undefined || s === victim || (linked.get(s) ?? Infinity) <= RADIUS || below.has(s));
  const unlinked = (s: string): boolean => linked !== undefined && s !== victim && !linked.has(s);
  // No recorded calls lead from the victim to it or from it to the victim, and no caller is shared
  // (whose load would break both at once): linked at most through a dependency both call, which
  // says nothing of whether it is one of the victim's own (see `coOnsetDependencies`).
  const above = reachable(recorded, victim, 'up');
  const besideAbove = reachable(recorded, [...above], 'down');
  const apart = (s: string): boolean => linked !== undefined && s !== victim && !below.has(s) && !above.has(s) && !besideAbove.has(s);
  const windowed: SeriesData[] = [];
  for (const s of input.series) {
    const svc = s.series.service;
    if (!near(svc) && !near(peerService(s.series.labels, known, svc)) && !unlinked(svc)) continue;
    const pts = s.points.filter((p) => p.t >= from && p.t < to && Number.isFinite(p.v));
    if (pts.length > 0) windowed.push({ series: s.series, points: pts });
  }
  const joined = stitchVersions(windowed);
  const joinedStep = typicalStep(joined);
  const stitched = versionsFromArrival(joined, input.changes, Math.max(joinedStep, 3 * MIN));
  const measured = [...joinOutcomes(stitched, input.metricRules ?? []), ...failureRatios(stitched, input.metricRules ?? [])];
  const probed = [...measured, ...acrossInstances(measured, joinedStep)];
  const stepMs = typicalStep(probed);
  const effectMs = effectWindow(stepMs);
  const tolMs = Math.max(stepMs, 3 * MIN);
  // The breakpoints the live pipeline would store: it never flushes, so no retrospective cuts.
  const found = given ?? detectAll(probed, { ...input.detector, retrospective: false }, input.topology);
  const probes = toSignals(found, probed, known, effectMs, input.metricRules);
  const probedBy = byServiceOf(probes);
  const paged = nearLimit(probed, recorded, victim, input.at);
  // When a resource of the victim is at its limit, that is what paged: other moves are context.
  const moved = (probedBy.get(victim) ?? [])
    .map((s) => ({ s, w: troubleWeight(s, input.at) * (paged.size === 0 || paged.has(s.series.series.metric) ? 1 : 0.3) }))
    .filter((x) => x.w > 0.05);
  // A request rate that moved has no bad direction: it is the trouble only when nothing else moved.
  const health = moved.filter((x) => x.s.cls !== 'traffic');
  const lonely = linked !== undefined && [...known].some(apart);
  // No lasting move confirmed yet: the trouble began with the victim's strong burst still going at
  // the page (one that cleared before was an earlier episode), not at the page — nor with a request
  // rate that moved (fewer calls per pod after a scale-out), which has no bad direction.
  const [, dataEnd] = spanOf(probed, from, to);
  const burst = health.length > 0 ? Infinity : Math.min(...(healthBursts(probed, (s) => s === victim, input.at, input.metricRules ?? [], { stepMs, end: dataEnd }).get(victim) ?? []));
  const trouble = health.length > 0 || Number.isFinite(burst) ? health : moved;
  const began = trouble.length > 0 ? onsetOf(trouble, input.at) : burst;
  const onset = Math.min(input.at, began);
  const bursts = lonely ? healthBursts(probed, apart, input.at, input.metricRules ?? [], { end: dataEnd }) : undefined;
  const inferred = coOnsetDependencies(apart, victim, probedBy, Number.isFinite(began) ? began : undefined, stepMs, input.metricRules ?? [], bursts);
  const graph = inferred.length === 0 ? recorded : buildGraph(withDependencies(declared, victim, inferred));
  const quiet = lonely && !Number.isFinite(began);
  const unproven = quiet ? [...known].filter((s) => unlinked(s) && !inferred.includes(s)).sort() : [];
  // A dependency found from timing brings its own neighbourhood into view as a declared one would:
  // another team's service pushing load onto it is how the founding story reaches the victim.
  const reach = inferred.length === 0 ? undefined : graph.neighbours(victim, RADIUS);
  const kept = (svc: string): boolean => !unlinked(svc) || inferred.includes(svc) || unproven.includes(svc) || reach?.has(svc) === true;
  const series = probed.filter((s) => kept(s.series.service));
  const breakpoints = found.filter((b) => kept(b.series.service));
  const signals = probes.filter((s) => kept(s.service));
  const byService = byServiceOf(signals);
  const inRange = [...input.changes].filter((c) => c.time >= from - 6 * 3600_000 && c.time < to).sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  const changes = withReleasedVersions(series, inRange, tolMs);
  const candidates = changes.filter((c) => c.time >= from && c.time <= input.at);
  const [start, end] = spanOf(series, from, to);
  return {
    victim, at: input.at, from, to, end, start, graph, stepMs, effectMs, tolMs, series, breakpoints, signals, byService, trouble, atLimit: paged,
    onset, inferred, unproven, changes, candidates, metricRules: input.metricRules ?? [],
  };
}

/** The first sample of any of `series` (at least `from`) and just past the last one (at most `to`). */
function spanOf(series: readonly SeriesData[], from: number, to: number): [number, number] {
  let first = to;
  let last = from - 1;
  for (const s of series) {
    first = Math.min(first, s.points[0]?.t ?? Infinity);
    last = Math.max(last, s.points.at(-1)?.t ?? -Infinity);
  }
  return [Math.max(from, first), Math.min(to, last + 1)];
}

function byServiceOf(signals: readonly Signal[]): Map<string, Signal[]> {
  const out = new Map<string, Signal[]>();
  for (const s of signals) out.set(s.service, [...(out.get(s.service) ?? []), s]);
  return out;
}

/** Attach measured effects (and refined onsets, peers, metric classes) to breakpoints; sorted by time. */
export function toSignals(breakpoints: readonly Breakpoint[], series: readonly StitchedSeries[], known: ReadonlySet<string>, effectMs: number, rules: readonly MetricRule[] = []): Signal[] {
  const byId = new Map(series.map((s) => [s.series.id, s]));
  const signals: Signal[] = [];
  for (const bp of breakpoints) {
    const s = byId.get(bp.series.id);
    if (s === undefined) continue;
    const first = effectAt(s.points, bp.time, effectMs);
    if (first === undefined) continue;
    // Refine only real moves, and keep the refinement only if it measures the same move.
    const refined = strength(first) >= 0.2 ? refineOnset(s.points, bp.time, first, effectMs) : bp.time;
    const second = refined === bp.time ? first : effectAt(s.points, refined, effectMs);
    const same = second !== undefined && Math.abs(second.after - second.before) <= 2 * Math.abs(first.after - first.before);
    const onset = same ? refined : bp.time;
    const firstEffect = same && second !== undefined ? second : first;
    const { time, effect } = strength(firstEffect) >= 0.2 ? lastMove(s.points, onset, firstEffect, effectMs) : { time: onset, effect: firstEffect };
    const peer = peerService(s.series.labels, known, s.series.service);
    const cls = seriesClass(s.series.metric, s.series.labels, rules);
    // An error or success ratio moves in requests: near zero it doubles on a single failure, so
    // its move counts by percentage points, one at least (see `ratioFloor`), not by its σ alone.
    const floor = ratioFloor(classifyGolden(s.series.metric, s.series.labels, rules), s.series.unit);
    const inRequests = floor === 0 ? 1 : 1 - Math.exp(-Math.abs(effect.after - effect.before) / floor);
    const sig: Signal = { bp, series: s, service: s.series.service, cls, edge: peer !== undefined || cls === 'connections', time, effect, weight: signalWeight(effect, bp.confidence) * inRequests };
    signals.push(peer === undefined ? sig : { ...sig, peer });
  }
  return signals.sort((a, b) => a.time - b.time);
}

/** The move still there at the end: a burst that went away before it came back is not its start (./redate.ts). */
function lastMove(points: readonly Point[], t: number, e: Effect, effectMs: number): { time: number; effect: Effect } {
  const last = lastOnset(points, t, e.before, e.after);
  const again = last === t ? undefined : effectAt(points, last, effectMs);
  const kept = again !== undefined && (again.after - again.before) * (e.after - e.before) > 0 && Math.abs(again.after - again.before) >= 0.5 * Math.abs(e.after - e.before);
  return kept ? { time: last, effect: again } : { time: t, effect: e };
}

/** The analysis window's effect scale: 30 min, at least 6 and at most 40 samples. */
export function effectWindow(stepMs: number): number {
  return Math.min(Math.max(30 * MIN, 6 * stepMs), 40 * stepMs);
}

/** Median sampling interval over the series (1 min when unknown). */
export function typicalStep(series: readonly SeriesData[]): number {
  const gaps: number[] = [];
  for (const s of series.slice(0, 200)) {
    const p = s.points;
    if (p.length >= 2) gaps.push(((p[p.length - 1]?.t ?? 0) - (p[0]?.t ?? 0)) / (p.length - 1));
  }
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? MIN;
}

/** Metrics of `victim` that reached NEAR_LIMIT (80 %) of their topology limit in the half hour before `at`. */
function nearLimit(series: readonly StitchedSeries[], graph: TopologyGraph, victim: string, at: number): Set<string> {
  const out = new Set<string>();
  for (const s of series) {
    if (s.series.service !== victim || out.has(s.series.metric)) continue;
    const limit = graph.limit(victim, s.series.metric);
    if (limit === undefined || limit <= 0) continue;
    if (s.points.some((p) => p.t >= at - 30 * MIN && p.t <= at && p.v >= NEAR_LIMIT * limit)) out.add(s.series.metric);
  }
  return out;
}

/**
 * The trouble's onset: the earliest victim signal up to `at` nearly as strong as the strongest
 * (70 % of it). Not the earliest of all when every one is weak: a single failed request minutes
 * earlier is then as "weak" as the trouble itself, and would date it before its cause.
 */
function onsetOf(trouble: readonly { s: Signal; w: number }[], at: number): number {
  const before = trouble.filter((x) => x.s.time <= at);
  if (before.length === 0) return at;
  const top = before.reduce((m, x) => Math.max(m, x.w), -Infinity);
  const strong = before.filter((x) => x.w >= 0.7 * top);
  return strong.reduce((m, x) => Math.min(m, x.s.time), Infinity);
}

export function emptyAnalysis(ctx: Context): Analysis {
  return { service: ctx.victim, at: ctx.at, from: ctx.from, to: ctx.to, suspects: [], breakpoints: ctx.breakpoints };
}
