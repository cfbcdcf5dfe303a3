import type { Breakpoint, ChangeEvent, Point, Suspect, Topology } from '../domain/types';
import { describeBreakpoint, describeBurst, describeChange, describeRecovery } from './describe';
import { importance, isNotable, novelty, persistence } from './importance';
import { findTrouble } from './trouble';
import { chartKey, selectKeySeries } from './select';
import { MAX_BREAKPOINT_EVENTS, MAX_SUSPECTS, type EventKind, type Timeline, type TimelineEvent, type TimelineInput } from './types';

/** Hops around the victim (callers and callees) whose changes and breakpoints are shown. @default 2 */
const NEIGHBOURHOOD_HOPS = 2;

/** How long after a rollback a recovery still counts as its effect, ms. @default 30 min */
const ROLLBACK_EFFECT_MS = 30 * 60_000;

/** Same-time events are listed cause first. */
const KIND_ORDER: Record<EventKind, number> = { change: 0, rollback: 1, alert: 2, breakpoint: 3, recovery: 4 };

/**
 * The services within `hops` of the victim along the dependency graph, both directions; undefined
 * (= everything) without a topology or when the victim is not in it.
 */
function neighbourhood(victim: string, topology: Topology | undefined, hops: number): Set<string> | undefined {
  if (topology === undefined || !topology.services.some((s) => s.name === victim)) return undefined;
  const seen = new Set([victim]);
  let frontier = [victim];
  for (let h = 0; h < hops; h++) {
    const next: string[] = [];
    for (const s of topology.services) {
      for (const f of frontier) {
        const linked = s.name === f ? s.dependsOn : s.dependsOn.includes(f) ? [s.name] : [];
        for (const n of linked) {
          if (seen.has(n)) continue;
          seen.add(n);
          next.push(n);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

function dedupeBreakpoints(lists: readonly (readonly Breakpoint[])[]): Breakpoint[] {
  const m = new Map<string, Breakpoint>();
  for (const l of lists) for (const b of l) m.set(`${b.series.id}@${b.time}@${b.kind}`, b);
  return [...m.values()].sort((a, b) => a.time - b.time);
}

function dedupeChanges(cs: readonly ChangeEvent[]): ChangeEvent[] {
  const m = new Map<string, ChangeEvent>();
  for (const c of cs) m.set(`${c.source}\u0000${c.id}`, c);
  return [...m.values()].sort((a, b) => a.time - b.time);
}

/**
 * Assemble the postmortem timeline of `service` around `at` (pure). Events: changes and rollbacks
 * (marked with their suspect rank), breakpoints, the page (the alert, or `at` without one) and the
 * alert's end, and the recovery of the trouble that paged (see `findTrouble`: the paged series
 * back in its normal range). A rollback after which the victim did not recover says so — the
 * "rollback did not help, look elsewhere" clue.
 */
export function buildTimeline(input: TimelineInput): Timeline {
  const { service, at, analysis, alert, topology } = input;
  const { from, to } = analysis;
  const near = neighbourhood(service, topology, NEIGHBOURHOOD_HOPS);
  const suspects: Suspect[] = [...analysis.suspects].sort((a, b) => b.score - a.score).slice(0, MAX_SUSPECTS);
  for (const s of suspects) near?.add(s.service);
  const shown = (svc: string): boolean => near === undefined || near.has(svc);
  const inWindow = (t: number): boolean => t >= from && t <= to;

  const changes = dedupeChanges(input.changes).filter((c) => inWindow(c.time) && shown(c.service));
  const inRange = dedupeBreakpoints([analysis.breakpoints, input.breakpoints]).filter((b) => inWindow(b.time) && shown(b.series.service));
  const breakpoints = inRange.filter(isNotable);
  const teamOf = makeTeamOf(topology, changes, suspects);

  const byChart = new Map<string, Point[]>();
  for (const d of input.series) byChart.set(chartKey(d.series), [...(byChart.get(chartKey(d.series)) ?? []), ...d.points]);
  // Shifts weigh by how much of them is new (a rebound after a restart dip is not) and still
  // there at the page (a transient dip is not).
  const weightOf = (b: Breakpoint): number => {
    const pts = byChart.get(chartKey(b.series));
    return importance(b) * (0.1 + 0.9 * novelty(b, pts) * persistence(b, pts, b.time < at ? at : b.time + PERSIST_AFTER_MS));
  };
  const trouble = findTrouble({ victim: service, at, notable: breakpoints, all: inRange, series: input.series, weightOf, ...(topology === undefined ? {} : { topology }), ...(input.pagedMetric === undefined ? {} : { pagedMetric: input.pagedMetric }) });
  const onset = trouble?.first.time;
  const recoveryTimes = trouble?.recoveredAt === undefined ? [] : [trouble.recoveredAt];
  if (alert?.endsAt !== undefined) recoveryTimes.push(alert.endsAt);
  // A rollback helped when a recovery follows it before the next change (which could be the real
  // fix) and within ROLLBACK_EFFECT_MS.
  const helpedBy = (c: ChangeEvent): boolean => {
    const next = changes.find((o) => o.time > c.time)?.time ?? Infinity;
    const until = Math.min(next, c.time + ROLLBACK_EFFECT_MS);
    return recoveryTimes.some((r) => r > c.time && r <= until);
  };

  const events: TimelineEvent[] = [];
  const byId = new Map(changes.map((c) => [c.id, c]));
  for (const c of changes) {
    const rank = suspects.findIndex((s) => s.id === c.id && s.service === c.service);
    let text = describeChange(c, c.revertOf === undefined ? undefined : byId.get(c.revertOf));
    const judged = c.type === 'rollback' && onset !== undefined && c.time > onset;
    const helped = judged && helpedBy(c);
    if (judged && !helped) text += ` — ${service} did not recover afterwards`;
    const ev: TimelineEvent = {
      ...(judged ? { helped } : {}),
      time: c.time,
      team: c.team ?? teamOf(c.service),
      service: c.service,
      kind: c.type === 'rollback' ? 'rollback' : 'change',
      detail: c.type,
      text,
      ref: c.id,
    };
    const s = suspects[rank];
    const marked = s !== undefined && (rank < MARKED_RANKS || s.score >= MARKED_SCORE);
    events.push(marked ? { ...ev, suspectRank: rank + 1, score: s.score } : ev);
  }
  const weight = (b: Breakpoint): number => weightOf(b) * (b.series.service === service ? 2 : suspects.some((x) => x.service === b.series.service) ? 1.5 : 1);
  // The onset's breakpoint is listed and drawn even when small: the story starts there.
  const shownBps = trouble === undefined || breakpoints.includes(trouble.first) ? breakpoints : [...breakpoints, trouble.first];
  const clusters = clusterBreakpoints(shownBps);
  const story = (c: Cluster): boolean => trouble !== undefined && (c.members.includes(trouble.first) || c.members.includes(trouble.top));
  const listed = new Set([...clusters].sort((a, b) => Number(story(b)) - Number(story(a)) || weight(b.lead) - weight(a.lead)).slice(0, MAX_BREAKPOINT_EVENTS));
  let listedCount = 0;
  for (const c of clusters) {
    if (!listed.has(c)) continue;
    listedCount += c.size;
    const b = trouble !== undefined && c.members.includes(trouble.first) ? trouble.first : c.lead;
    const many = c.size > 1 ? ` (${c.size} series)` : '';
    events.push({ time: c.time, team: teamOf(b.series.service), service: b.series.service, kind: 'breakpoint', detail: b.kind, text: describeBreakpoint(b, many), ref: b.series.id });
  }
  // The bursts behind the marked suspects' acute evidence: what moved right after them, even when
  // no breakpoint did (a pulse of a few minutes is no new level, yet it is why they are suspects).
  suspects.forEach((s, i) => {
    if (i >= MARKED_RANKS && s.score < MARKED_SCORE) return;
    for (const b of s.bursts ?? []) {
      if (!inWindow(b.start)) continue;
      events.push({ time: b.start, team: teamOf(b.series.service), service: b.series.service, kind: 'breakpoint', detail: b.climb === true ? 'climb' : 'burst', text: describeBurst(b, i + 1), ref: b.series.id });
    }
  });
  if (trouble?.recoveredAt !== undefined) {
    events.push({ time: trouble.recoveredAt, team: teamOf(service), service, kind: 'recovery', detail: 'recovered', text: describeRecovery(trouble, service), ref: trouble.key });
  }
  if (alert === undefined) {
    // The page itself always has a row: the time asked about stands in for the alert.
    events.push({ time: at, team: teamOf(service), service, kind: 'alert', detail: 'page', text: `page: ${service} asked about (no alert name given)` });
  } else {
    events.push({ time: alert.startsAt, team: teamOf(service), service, kind: 'alert', detail: 'firing', text: `alert ${alert.name} firing on ${service}` });
    if (alert.endsAt !== undefined) {
      events.push({ time: alert.endsAt, team: teamOf(service), service, kind: 'recovery', detail: 'resolved', text: `alert ${alert.name} resolved` });
    }
  }
  events.sort((a, b) => a.time - b.time || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);

  const recovery = trouble?.recoveredAt === undefined ? undefined : { key: trouble.key, time: trouble.recoveredAt };
  const keySeries = selectKeySeries({ victim: service, at, breakpoints: shownBps, series: input.series, topSuspect: suspects[0], topology, weightOf, ...(trouble === undefined ? {} : { onset: trouble.first.time, paged: trouble.key }), ...(recovery === undefined ? {} : { recovery }) });
  const tl: Timeline = { service, team: teamOf(service), at, from, to, events, suspects, keySeries, hiddenBreakpoints: Math.max(0, inRange.length - listedCount) };
  return { ...tl, ...(alert === undefined ? {} : { alert }), ...(trouble === undefined ? {} : { onset: trouble.first.time, trouble }) };
}

/** Suspects marked on their change events: the first ranks, and any scoring at least MARKED_SCORE. */
const MARKED_RANKS = 3;
const MARKED_SCORE = 0.1;

/** Persistence of a breakpoint after the page is judged over this long, ms. @default 30 min */
const PERSIST_AFTER_MS = 30 * 60_000;

/** Breakpoints of one chart, of one kind, this close to the first are one event. @default 10 min */
const CLUSTER_MS = 10 * 60_000;

/**
 * One event per burst: the same break seen on every instance of a service (or on each of its
 * versions) is one thing that happened. The strongest member speaks for the cluster.
 */
interface Cluster {
  time: number;
  lead: Breakpoint;
  size: number;
  members: Breakpoint[];
}

function clusterBreakpoints(bps: readonly Breakpoint[]): Cluster[] {
  const open = new Map<string, Cluster>();
  const out: Cluster[] = [];
  for (const b of [...bps].sort((x, y) => x.time - y.time)) {
    const key = `${chartKey(b.series)}\u0000${b.kind}`;
    const c = open.get(key);
    if (c !== undefined && b.time - c.time <= CLUSTER_MS) {
      c.size++;
      c.members.push(b);
      if (importance(b) > importance(c.lead)) c.lead = b;
      continue;
    }
    const fresh = { time: b.time, lead: b, size: 1, members: [b] };
    open.set(key, fresh);
    out.push(fresh);
  }
  return out;
}

/** Team of a service: topology first, then what its changes or suspects say, else `unknown`. */
function makeTeamOf(topology: Topology | undefined, changes: readonly ChangeEvent[], suspects: readonly Suspect[]): (svc: string) => string {
  const m = new Map<string, string>();
  for (const s of suspects) m.set(s.service, s.team);
  for (const c of changes) if (c.team !== undefined) m.set(c.service, c.team);
  for (const s of topology?.services ?? []) m.set(s.name, s.team);
  return (svc) => m.get(svc) ?? 'unknown';
}
