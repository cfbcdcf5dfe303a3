import { addedInstances } from '../../domain/settings';
import type { ChangeEvent } from '../../domain/types';
import { sameVersion } from '../../domain/version';
import { median } from '../../stats';
import type { Context } from '../context';
import type { StitchedSeries } from '../stitch';
import { ACROSS, PROCESS_LABELS } from '../churn';
import { classifyGolden, ownHealth } from '../golden';
import { badReading, BEFORE_MS, canaryComparison, measureKey, shiftAfter, versionAt, WARMUP, windowEnd, type Slotted } from './canary';

/** Instances a change did not bring got worse after it: what the service went through is not the change's doing. */
export interface OldPods {
  /** In [0,1]: how clearly (and how much) instances on another version (or running before a scale-out) worsened after the change. */
  readonly value: number;
  readonly metric?: string;
  /** Median over those instances, before the change and after it (on their old version). */
  readonly before?: number;
  readonly after?: number;
  /** How many instances on another version (or running before a scale-out) were compared with their own past. */
  readonly instances?: number;
  /** The change added instances (a scale-out) rather than releasing a version. */
  readonly scaleOut?: boolean;
}

const NOT_OLD: OldPods = { value: 0 };
const MIN = 60_000;
/** Labels of a release, not of the instance running it: an in-place switch keeps the instance. */
const RELEASE_LABELS: ReadonlySet<string> = new Set(['service.version', 'container.image.tag', 'container.image.id']);

/**
 * A release is blamed for what its NEW code serves. When the instances still running another
 * version — old pods of a rolling or canary deploy, instances an in-place rollout has not reached
 * yet — got as much worse after it as the service did, the trouble reached the service some other
 * way (more load, a slow dependency, a caller holding more connections) and the release is no
 * explanation for it; unless the new-version instances are clearly worse still over the same
 * minutes (then it is a canary verdict, see `canaryComparison`). Per own latency, error or success
 * series (not its calls to others), each old instance's samples after the
 * release against its own half hour before (Mann–Whitney, beyond three times its noise and beyond
 * `WARMUP`, as the service-level comparison), and the median over the old instances: one pod on a
 * bad node is not the service. 0 for a change naming no version (and no scale-out) or with no old
 * instance reporting. An old instance that stopped reporting before the comparison's end was being
 * replaced: its last minute is its drain (see `departures`) and is left out.
 *
 * A scale-out likewise: it brings new instances and takes load off the ones running before it, so
 * those getting worse after it is not its doing (a push it makes on the services it calls is read
 * apart, see `pushedConnections`). Its new instances' own trouble is left to count.
 */
export function oldPodsWorse(ctx: Context, c: ChangeEvent): OldPods {
  const span = incumbents(ctx, c);
  if (span === undefined) return NOT_OLD;
  const { old, since, to, scaleOut } = span;
  const from = c.time - BEFORE_MS;
  const first = Math.floor(since / ctx.stepMs);
  const byMeasure = new Map<string, { metric: string; read: (v: number) => number; shifts: { rel: number; before: number; after: number }[]; n: number }>();
  const gone = departures(ctx, c.service, Math.min(to, ctx.end));
  const drainMs = Math.max(MIN, ctx.stepMs);
  for (const s of ctx.series) {
    if (s.series.service !== c.service || s.series.labels[ACROSS] !== undefined) continue;
    const g = classifyGolden(s.series.metric, s.series.labels, ctx.metricRules);
    // What users of the service suffer: its own latency, errors or success ratio. Saturation (CPU,
    // requests in flight) also rises on old pods that take over the load of pods being replaced;
    // not after a scale-out, which replaced none and took load off them.
    if (g.bad === 0 || !(ownHealth(g) || (scaleOut && g.signal === 'saturation' && g.side === 'server'))) continue;
    const { dir, read, floor } = badReading(g, s);
    const slots: Slotted = { dir, read, metric: s.series.metric, own: true, floor, slots: new Map() };
    let oldAfter = false;
    let known = true;
    const instance = instanceKey(s);
    // An old instance replaced before the comparison's end: its last minute is its drain.
    const drainFrom = ((instance === undefined ? undefined : gone.get(instance)) ?? Infinity) - drainMs;
    for (const p of s.points) {
      if (p.t < from || p.t >= to || (p.t >= c.time && p.t < since) || (p.t >= c.time && p.t > drainFrom)) continue;
      const o = old(s, p.t);
      if (o === undefined) known = false;
      if (o !== true) continue;
      if (p.t >= c.time) oldAfter = true;
      slots.slots.set(Math.floor(p.t / ctx.stepMs), { sum: read(p.v), n: 1 });
    }
    if (!known || !oldAfter) continue;
    const key = measureKey(s);
    const m = byMeasure.get(key) ?? { metric: s.series.metric, read, shifts: [], n: 0 };
    const x = shiftAfter(slots, first);
    m.n++;
    m.shifts.push(x === undefined ? { rel: 0, before: 0, after: 0 } : { rel: x.rel, before: x.before, after: x.after });
    byMeasure.set(key, m);
  }
  let best = NOT_OLD;
  for (const m of byMeasure.values()) {
    const rel = median(m.shifts.map((x) => x.rel)) ?? 0;
    const value = 1 - Math.exp(-Math.max(0, rel - WARMUP) / 0.3);
    if (value <= best.value) continue;
    const worse = m.shifts.filter((x) => x.rel > 0);
    best = { value, metric: m.metric, before: m.read(median(worse.map((x) => x.before)) ?? 0), after: m.read(median(worse.map((x) => x.after)) ?? 0), instances: m.n, ...(scaleOut ? { scaleOut } : {}) };
  }
  // New pods clearly worse still, over the same minutes: the release is to blame after all.
  if (best.value > 0 && canaryComparison(ctx, c).value > 0) return NOT_OLD;
  return best;
}

function instanceKey(s: StitchedSeries): string | undefined {
  const own = Object.entries(s.series.labels).filter(([k]) => PROCESS_LABELS.has(k) && !RELEASE_LABELS.has(k)).sort(([a], [b]) => a.localeCompare(b));
  return own.length === 0 ? undefined : JSON.stringify(own);
}

/**
 * When each instance of `service` that stopped reporting before `until` (a step's slack) sent its
 * last sample: pods a rolling update replaced. Their last minute is their drain — requests cut,
 * a final flush over the few seconds before shutdown — not what the service went through.
 */
function departures(ctx: Context, service: string, until: number): Map<string, number> {
  const last = new Map<string, number>();
  for (const s of ctx.series) {
    const key = s.series.service === service ? instanceKey(s) : undefined;
    const t = s.points[s.points.length - 1]?.t;
    if (key !== undefined && t !== undefined && t > (last.get(key) ?? -Infinity)) last.set(key, t);
  }
  for (const [key, t] of last) if (t >= until - ctx.stepMs) last.delete(key);
  return last;
}

/** Which samples `oldPodsWorse` compares: those of instances the change did not bring, from `since` to `to` after it. */
interface Incumbents {
  /** Whether a series' sample at `t` is of such an instance (undefined: cannot tell, the series is skipped). */
  readonly old: (s: StitchedSeries, t: number) => boolean | undefined;
  readonly since: number;
  readonly to: number;
  readonly scaleOut: boolean;
}

/**
 * For a release: instances on another version; for a scale-out: a single instance's series that
 * reported before it. Compared over the minutes after the change (`windowEnd`), or — for a
 * scale-out, or when the paged trouble began after those minutes and before the service's next
 * change — from the trouble's onset (or the change, if later) to the service's next change or the
 * page: a scale-out took load off them, and instances that never ran a release getting worse long
 * after it are not its doing either; a slowdown that began later is then not diluted by the quiet
 * minutes in between. Undefined for any other change.
 */
function incumbents(ctx: Context, c: ChangeEvent): Incumbents | undefined {
  const version = c.version;
  const scaleOut = version === undefined && addedInstances(c) !== undefined;
  if (version === undefined && !scaleOut) return undefined;
  const before = c.time - ctx.stepMs;
  const old = version === undefined
    ? (s: StitchedSeries): boolean | undefined => (Object.keys(s.series.labels).some((k) => PROCESS_LABELS.has(k)) ? (s.points[0]?.t ?? Infinity) < before : undefined)
    : (s: StitchedSeries, t: number): boolean | undefined => {
      const v = versionAt(s, t);
      return v === undefined ? undefined : !sameVersion(v, version);
    };
  const soon = windowEnd(ctx, c);
  const late = windowEnd(ctx, c, Infinity);
  return scaleOut || (ctx.onset >= soon && ctx.onset < late) ? { old, since: Math.max(c.time, ctx.onset), to: late, scaleOut } : { old, since: c.time, to: soon, scaleOut };
}
