import { createRng, type Rng } from './prng';
import { emptyEffects, addRamp, type Effects } from './effects';
import { backgroundChanges, ChangeLog, setMem } from './changes';
import type { Season } from './dynamics';
import { plant, victimsFor, type Planted } from './plant';
import { generateStreams } from './streams';
import { STORY, storyWorld } from './story';
import { buildWorld, drawLabelStyle, worldTopology, type SimService, type World } from './world';
import { MECHANISMS, type InstanceStream, type Mechanism, type Scenario, type SimOptions } from './types';
import { classicRegime, drawRegime, regimeLabels } from './regime';
import { metricName, renameStreams, SHOP_RULES } from './names';
import { GOLDEN } from './golden';
import { entryAbove, hops, simultaneousReleases, sparseTopology } from './varied';

const MIN = 60_000;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Named stories with a fixed cast (see ./story.ts). */
export const STORIES = ['fd-exhaustion'] as const;
export type Story = (typeof STORIES)[number];

/**
 * One incident, deterministic from `opts.seed`: a service graph owned by several teams, daily load,
 * noise, background changes (some with harmless visible effects), ONE planted cause, decoys, and
 * the telemetry of every instance. Pure: writers in ./write.ts turn it into files.
 */
export function simulate(opts: SimOptions & { story?: Story }): Scenario {
  const rng = createRng(opts.seed);
  const rw = rng.fork('world');
  const rp = rng.fork('plant');
  const rh = rng.fork('herrings');
  const rb = rng.fork('background');
  const rs = rng.fork('streams');
  const story = opts.story !== undefined;
  const mechanism: Mechanism = story ? 'caller_connections' : (opts.mechanism ?? rw.pick(MECHANISMS));
  const regime = opts.varied === true && !story ? drawRegime(rng.fork('regime'), mechanism) : undefined;
  const acute = regime?.page === 'acute';
  const span = opts.spanMs ?? (story ? 6 * HOUR : 7 * HOUR);
  const classicStep = opts.stepMs ?? (story ? MIN : rw.weighted([[MIN, 0.75], [15_000, 0.1], [5 * MIN, 0.15]] as const));
  const stepMs = regime?.stepMs ?? classicStep;
  let w: World | undefined;
  for (let attempt = 0; w === undefined || victimsFor(w, mechanism).length === 0; attempt++) {
    if (story) w = storyWorld();
    else {
      const n = opts.services ?? rw.int(8, 40);
      w = buildWorld(rw, n, Math.min(n, opts.teams ?? rw.int(4, 10)), opts.instances ?? [1, 4], drawLabelStyle(rw));
    }
    if (attempt > 20) throw new RangeError(`no service graph suits mechanism ${mechanism}`);
  }
  if (regime !== undefined) w = { ...w, labels: regimeLabels(rng.fork('labels'), regime, w.labels) };
  const start = story ? Date.UTC(2026, 2, 12, 9, 30) : Date.UTC(2026, 0, 5) + rw.int(0, 300) * DAY + rw.int(0, 23) * HOUR;
  // An early page: the data ends at the page, `historyMs` after the start (plus a few minutes of lead-in).
  const acuteAt = acute ? start + Math.ceil((regime.historyMs + 5 * MIN) / stepMs) * stepMs : undefined;
  const end = acuteAt !== undefined ? acuteAt + stepMs : start + Math.floor(span / stepMs) * stepMs;
  const season: Season = story ? { amplitude: 0.25, peakHour: 15 } : { amplitude: rw.uniform(0.05, 0.35), peakHour: rw.uniform(0, 24) };
  const fx = regime === undefined ? emptyEffects() : emptyEffects(regime.deploy !== 'in-place', rp.uniform(1, 5) * MIN);
  const log = new ChangeLog(rp, w, fx, regime?.deploy);
  const victim = story ? (w.byName.get(STORY.victim) as SimService) : rp.pick(victimsFor(w, mechanism));
  const causeAt = acuteAt !== undefined ? acuteAt - Math.max(rp.uniform(2, 5) * MIN, 2 * stepMs) : story ? start + 3 * HOUR + 32 * MIN : Math.round(start + rp.uniform(1.5 * HOUR, 0.6 * span));
  const planted = plant(rp, w, fx, season, log, mechanism, victim, causeAt, story ? STORY.culprit : undefined, { acute, classic: regime === undefined });
  const herrings = redHerrings(rh, w, fx, log, mechanism, planted, start, acuteAt ?? end, story, acuteAt !== undefined);
  if (regime !== undefined) herrings.push(...simultaneousReleases(rh, w, log, regime.simultaneous, planted));
  // Background changes on the victim itself only well before the cause, so they cannot undo or blur the planted one.
  const perSpan = (end - start) / (7 * HOUR);
  const count = opts.changes ?? (story ? 9 : Math.round(Math.min(200, Math.max(regime === undefined ? 10 : 5, w.services.length * rb.uniform(0.5, 5) * (regime === undefined ? 1 : perSpan)))));
  backgroundChanges(rb, { ...w, services: w.services.filter((s) => s !== victim) }, fx, log, count, start, end - (acute ? 0 : 10 * MIN));
  if (!story) backgroundChanges(rb, { ...w, services: [victim] }, fx, log, rb.int(0, 2), start, Math.max(start + MIN, causeAt - 60 * MIN));
  const n = Math.round((end - start) / stepMs);
  const raw = generateStreams(rs, w, fx, season, start, stepMs, n, regime !== undefined && regime.signals !== 'resources');
  const at = acuteAt ?? alertTime(rs, raw, planted, start, end, stepMs);
  const paged = regime?.entry === true ? entryAbove(rng.fork('entry'), w, planted.cause.service) : undefined;
  const changes = [...log.events].sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  const id = story ? `story-${opts.story ?? ''}-${opts.seed}` : `sim-${opts.seed}-${mechanism}`;
  // The question as a user would ask it: the regime's look-back (covering the cause), no data after the page.
  const windowMs = regime === undefined ? at - start : Math.min(at - start, Math.max(regime.historyMs, at - planted.cause.time + 20 * MIN));
  const naming = regime?.naming ?? 'otel';
  const streams = regime === undefined ? raw : renameStreams(raw, naming, regime.signals === 'golden');
  const r = regime === undefined ? classicRegime(stepMs, windowMs) : { ...regime, historyMs: windowMs, entry: paged !== undefined };
  const topology = regime === undefined ? worldTopology(w) : sparseTopology(rng.fork('topology'), worldTopology(w), regime.dropEdges, naming);
  const pagedName = paged?.name ?? victim.name;
  return {
    id, seed: opts.seed, start, end, stepMs, topology, changes, streams,
    truth: {
      scenario: id, seed: opts.seed, mechanism, victim: pagedName, at, windowMs, afterMs: regime === undefined ? end - at : 0,
      cause: { id: planted.cause.id, service: planted.cause.service, team: planted.cause.team ?? '', type: planted.cause.type, time: planted.cause.time },
      onset: Math.round(planted.onset), redHerrings: herrings, labels: w.labels, stepMs,
      metric: metricName(paged === undefined ? planted.metric : GOLDEN.latencyP99, naming), limit: paged === undefined ? planted.limit : 0,
      regime: r, hops: hops(w, pagedName, planted.cause.service),
    },
    metricRules: naming === 'shop' ? SHOP_RULES : [],
  };
}

/** Decoys: the victim's own deploy at the onset and its useless rollback, a neighbour's change, a rollback that does help. */
function redHerrings(rng: Rng, w: World, fx: Effects, log: ChangeLog, m: Mechanism, p: Planted, start: number, end: number, story = false, pageAtEnd = false): { id: string; role: string }[] {
  const out: { id: string; role: string }[] = [];
  const v = p.victim;
  // With the page at the end of the data, decoys land between the start and the page.
  const latest = pageAtEnd ? end : end - 25 * MIN;
  const leak = m === 'fd_leak' || m === 'memory_leak';
  if (!leak && (story || rng.chance(0.75))) {
    // The story: the victim's own release lands minutes into the trouble and is rolled back after the page.
    const near = p.onset + rng.uniform(-15, pageAtEnd ? 1 : 10) * MIN;
    const dt = story ? p.onset + 2 * MIN : pageAtEnd ? Math.min(end - MIN, Math.max(start + 2 * MIN, near)) : Math.min(latest - 30 * MIN, Math.max(start + 10 * MIN, near));
    const d = story ? log.deploy(v, dt, 2 * MIN) : log.deploy(v, dt, rng.uniform(0, 10) * MIN, rng.chance(0.4) ? rng.uniform(20, 60) * MIN : undefined);
    out.push({ id: d.id, role: 'victim deploy at onset' });
    if (!story && rng.chance(0.4)) setMem(fx, v, d.version ?? '', rng.uniform(0.85, 1.2));
    const rt = story ? dt + 58 * MIN : Math.min(latest, dt + rng.uniform(20, 120) * MIN);
    // Rolling back past the planted release (the victim's own, landed between the two) would undo it: that rollback would help.
    const undoesCause = p.cause.service === v.name && p.cause.time > dt && p.cause.time < rt;
    if ((story || rng.chance(0.7)) && rt > dt + 10 * MIN && !undoesCause) out.push({ id: log.rollback(v, d, rt, story ? 2 * MIN : rng.uniform(0, 5) * MIN).id, role: 'rollback that did not help' });
  }
  if (leak && rng.chance(0.35)) {
    const rt = p.onset + rng.uniform(40, 150) * MIN;
    if (rt < latest) out.push({ id: log.rollback(v, p.cause, rt, rng.uniform(0, 5) * MIN).id, role: 'rollback that helped' });
  }
  const near = w.services.filter((s) => s !== v && s.name !== p.cause.service && (s.deps.includes(v.name) || v.deps.includes(s.name)));
  if (near.length > 0 && (story || rng.chance(0.7))) {
    const s = rng.pick(near);
    const t0 = Math.max(start + 5 * MIN, p.onset + rng.uniform(-20, 10) * MIN);
    const t = pageAtEnd ? Math.min(latest - MIN, t0) : t0;
    const kind = rng.pick(['config', 'flag', 'deploy', 'scale'] as const);
    const ev = kind === 'config' ? log.config(s, t) : kind === 'flag' ? log.flag(s, t) : kind === 'deploy' ? log.deploy(s, t, rng.uniform(0, 5) * MIN) : log.scale(s, t);
    if (rng.chance(0.5)) addRamp(fx.threads, s.name, { t0: t, rampMs: 2 * MIN, factor: rng.uniform(0.7, 1.5), staggerMs: 0 });
    out.push({ id: ev.id, role: 'neighbour change near onset' });
  }
  return out;
}

/** The page: when the worst instance first reaches 90 % of the limit (plus alerting delay), else a while after onset. */
function alertTime(rng: Rng, streams: readonly InstanceStream[], p: Planted, start: number, end: number, stepMs: number): number {
  let first = Infinity;
  for (const s of streams) {
    if (s.service !== p.victim.name) continue;
    const m = s.metrics.find((x) => x.name === p.metric);
    if (m === undefined) continue;
    for (let k = Math.ceil((p.onset - start) / stepMs); k < m.values.length; k++) {
      if ((m.values[k] ?? 0) >= 0.9 * p.limit) {
        first = Math.min(first, start + k * stepMs);
        break;
      }
    }
  }
  const at = Number.isFinite(first) ? first + rng.uniform(0, 10) * MIN : p.onset + rng.uniform(20, 120) * MIN;
  return Math.round(Math.min(end - 20 * MIN, Math.max(p.onset + 10 * MIN, at)) / MIN) * MIN;
}
