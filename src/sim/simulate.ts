import { createRng, type Rng } from './prng';
import { emptyEffects, addRamp, type Effects } from './effects';
import { backgroundChanges, ChangeLog, setMem } from './changes';
import type { Season } from './dynamics';
import { plant, victimsFor, type Planted } from './plant';
import { generateStreams } from './streams';
import { STORY, storyWorld } from './story';
import { buildWorld, drawLabelStyle, worldTopology, type SimService, type World } from './world';
import { MECHANISMS, type InstanceStream, type Mechanism, type Scenario, type SimOptions } from './types';

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
  const span = opts.spanMs ?? (story ? 6 * HOUR : 7 * HOUR);
  const stepMs = opts.stepMs ?? (story ? MIN : rw.weighted([[MIN, 0.75], [15_000, 0.1], [5 * MIN, 0.15]] as const));
  let w: World | undefined;
  for (let attempt = 0; w === undefined || victimsFor(w, mechanism).length === 0; attempt++) {
    if (story) w = storyWorld();
    else {
      const n = opts.services ?? rw.int(8, 40);
      w = buildWorld(rw, n, Math.min(n, opts.teams ?? rw.int(4, 10)), opts.instances ?? [1, 4], drawLabelStyle(rw));
    }
    if (attempt > 20) throw new RangeError(`no service graph suits mechanism ${mechanism}`);
  }
  const start = story ? Date.UTC(2026, 2, 12, 9, 30) : Date.UTC(2026, 0, 5) + rw.int(0, 300) * DAY + rw.int(0, 23) * HOUR;
  const end = start + Math.floor(span / stepMs) * stepMs;
  const season: Season = story ? { amplitude: 0.25, peakHour: 15 } : { amplitude: rw.uniform(0.05, 0.35), peakHour: rw.uniform(0, 24) };
  const fx = emptyEffects();
  const log = new ChangeLog(rp, w, fx);
  const victim = story ? (w.byName.get(STORY.victim) as SimService) : rp.pick(victimsFor(w, mechanism));
  const causeAt = story ? start + 3 * HOUR + 32 * MIN : Math.round(start + rp.uniform(1.5 * HOUR, 0.6 * span));
  const planted = plant(rp, w, fx, season, log, mechanism, victim, causeAt, story ? STORY.culprit : undefined);
  const herrings = redHerrings(rh, w, fx, log, mechanism, planted, start, end, story);
  // Background changes on the victim itself only well before the cause, so they cannot undo or blur the planted one.
  backgroundChanges(rb, { ...w, services: w.services.filter((s) => s !== victim) }, fx, log, opts.changes ?? (story ? 9 : Math.round(Math.min(200, Math.max(10, w.services.length * rb.uniform(0.5, 5))))), start, end - 10 * MIN);
  if (!story) backgroundChanges(rb, { ...w, services: [victim] }, fx, log, rb.int(0, 2), start, Math.max(start + MIN, causeAt - 60 * MIN));
  const n = Math.round((end - start) / stepMs);
  const streams = generateStreams(rs, w, fx, season, start, stepMs, n);
  const at = alertTime(rs, streams, planted, start, end, stepMs);
  const changes = [...log.events].sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  const id = story ? `story-${opts.story ?? ''}-${opts.seed}` : `sim-${opts.seed}-${mechanism}`;
  return {
    id, seed: opts.seed, start, end, stepMs, topology: worldTopology(w), changes, streams,
    truth: {
      scenario: id, seed: opts.seed, mechanism, victim: victim.name, at, windowMs: at - start, afterMs: end - at,
      cause: { id: planted.cause.id, service: planted.cause.service, team: planted.cause.team ?? '', type: planted.cause.type, time: planted.cause.time },
      onset: Math.round(planted.onset), redHerrings: herrings, labels: w.labels, stepMs, metric: planted.metric, limit: planted.limit,
    },
  };
}

/** Decoys: the victim's own deploy at the onset and its useless rollback, a neighbour's change, a rollback that does help. */
function redHerrings(rng: Rng, w: World, fx: Effects, log: ChangeLog, m: Mechanism, p: Planted, start: number, end: number, story = false): { id: string; role: string }[] {
  const out: { id: string; role: string }[] = [];
  const v = p.victim;
  const latest = end - 25 * MIN;
  const leak = m === 'fd_leak' || m === 'memory_leak';
  if (!leak && (story || rng.chance(0.75))) {
    // The story: the victim's own release lands minutes into the trouble and is rolled back after the page.
    const dt = story ? p.onset + 2 * MIN : Math.min(latest - 30 * MIN, Math.max(start + 10 * MIN, p.onset + rng.uniform(-15, 10) * MIN));
    const d = story ? log.deploy(v, dt, 2 * MIN) : log.deploy(v, dt, rng.uniform(0, 10) * MIN, rng.chance(0.4) ? rng.uniform(20, 60) * MIN : undefined);
    out.push({ id: d.id, role: 'victim deploy at onset' });
    if (!story && rng.chance(0.4)) setMem(fx, v, d.version ?? '', rng.uniform(0.85, 1.2));
    const rt = story ? dt + 58 * MIN : Math.min(latest, dt + rng.uniform(20, 120) * MIN);
    if ((story || rng.chance(0.7)) && rt > dt + 10 * MIN) out.push({ id: log.rollback(v, d, rt, story ? 2 * MIN : rng.uniform(0, 5) * MIN).id, role: 'rollback that did not help' });
  }
  if (leak && rng.chance(0.35)) {
    const rt = p.onset + rng.uniform(40, 150) * MIN;
    if (rt < latest) out.push({ id: log.rollback(v, p.cause, rt, rng.uniform(0, 5) * MIN).id, role: 'rollback that helped' });
  }
  const near = w.services.filter((s) => s !== v && s.name !== p.cause.service && (s.deps.includes(v.name) || v.deps.includes(s.name)));
  if (near.length > 0 && (story || rng.chance(0.7))) {
    const s = rng.pick(near);
    const t = Math.max(start + 5 * MIN, p.onset + rng.uniform(-20, 10) * MIN);
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
