import type { ChangeEvent } from '../../domain/types';
import { sameVersion } from '../../domain/version';
import { median, mannWhitneyU } from '../../stats';
import type { Context } from '../context';
import { PROCESS_LABELS } from '../churn';
import { classifyGolden, ownHealth, ratioFloor, type Golden } from '../golden';
import { versionLabel, type StitchedSeries } from '../stitch';
import { JITTER_MS } from './timing';
import { peerService } from '../../topology';

const MIN = 60_000;
/** Minutes after a deploy over which new and old instances are compared. @default 15 min */
export const CANARY_MS = 15 * MIN;

/** Relative margin a new instance may be worse by for warming up alone. @default 0.25 */
export const WARMUP = 0.25;

export interface CanaryEvidence {
  /** In [0,1]: new-version instances significantly worse than old ones (p ≤ 0.05), by how much. */
  readonly value: number;
  readonly metric?: string;
  readonly p?: number;
  readonly newMedian?: number;
  readonly oldMedian?: number;
  /** 'canary': new-version instances against old ones; 'service': all instances after the change against before it. */
  readonly kind?: 'canary' | 'service';
  /** One new-version sample in all, against how far old instances strayed (see `loneFresh`). */
  readonly lone?: boolean;
  /** Metrics on which new-version instances were compared with old ones over the same minutes and were no worse. */
  readonly cleared?: readonly string[];
}

/** The version a series ran at `t`: its stitched spans, else its label. */
export function versionAt(s: StitchedSeries, t: number): string | undefined {
  const span = s.versions.find((v) => t >= v.from && t < v.to);
  return span?.version ?? versionLabel(s.series.labels);
}

/**
 * End of the minutes after `c` that speak for it: `spanMs` (CANARY_MS), the data's end, or the next change of
 * the same service (what follows that one is its doing). Not one within a sample or the clock
 * jitter of `c`: no sample tells their minutes apart, and cutting there would leave the earlier
 * change too few samples to judge while the later one took them all.
 */
export function windowEnd(ctx: Context, c: ChangeEvent, spanMs = CANARY_MS): number {
  const apart = Math.max(ctx.stepMs, JITTER_MS);
  const next = ctx.changes.find((x) => x.service === c.service && x.time > c.time + apart && x.id !== c.id);
  return Math.min(ctx.to, c.time + spanMs, next?.time ?? Infinity);
}

/** Series of one service measuring the same thing on different instances share this key. */
export function measureKey(s: StitchedSeries): string {
  const labels = Object.entries(s.series.labels).filter(([k]) => !PROCESS_LABELS.has(k)).sort(([a], [b]) => a.localeCompare(b));
  return `${s.series.metric}\u0000${JSON.stringify(labels)}`;
}

/** Robust spread of one instance's samples (MAD × 1.4826), or undefined with under 3 samples. */
function spread(vs: readonly number[]): number | undefined {
  if (vs.length < 3) return undefined;
  const m = median(vs) ?? 0;
  return 1.4826 * (median(vs.map((v) => Math.abs(v - m))) ?? 0);
}

interface Sample { readonly slot: number; readonly fresh: boolean; readonly id: string; readonly v: number }
interface Group { readonly dir: number; readonly read: (v: number) => number; readonly metric: string; readonly floor: number; readonly samples: Sample[]; readonly series: StitchedSeries[] }

/**
 * The top of a success ratio (100 for percentages, 1 for fractions), undefined for other signals.
 * A series without a unit is read as percent when any sample exceeds 1.5.
 */
export function successCeiling(g: Golden, s: Pick<StitchedSeries, 'series' | 'points'>): number | undefined {
  if (g.signal !== 'success') return undefined;
  return s.series.unit === '%' || (s.series.unit !== '1' && s.points.some((p) => p.v > 1.5)) ? 100 : 1;
}

/**
 * How a golden series is compared here, where margins are relative to the old level: a success
 * ratio as its failing share (ceiling − v, bad upwards), so that 99.6 % → 80 % reads as fifty
 * times the failures and not as a 20 % dip, within what warming up allows; other signals as they
 * are. `read` is its own inverse: it also turns a failing share back into the ratio for the report.
 * `floor` is `ratioFloor` in the series' own units (a unitless success ratio in percent: 1 point).
 */
export function badReading(g: Golden, s: Pick<StitchedSeries, 'series' | 'points'>): { readonly dir: number; readonly read: (v: number) => number; readonly floor: number } {
  const top = successCeiling(g, s);
  if (top === undefined) return { dir: g.bad, read: (v) => v, floor: ratioFloor(g, s.series.unit) };
  return { dir: 1, read: (v) => top - v, floor: top / 100 };
}

/**
 * Only the sampling slots where new and old instances both report: in a rolling deploy the old
 * instances' samples come early and the new ones' late, so anything that grows meanwhile (load,
 * the incident itself, another change) would otherwise look like the new version's fault.
 */
function sameMinutes(g: Group): { dir: number; metric: string; floor: number; fresh: number[]; old: number[]; oldBy: Map<string, number[]>; freshRaw: number[]; oldRaw: number[] } {
  const oldAt = new Map<number, number[]>();
  const freshAt = new Set<number>();
  for (const x of g.samples) {
    if (x.fresh) freshAt.add(x.slot);
    else {
      const at = oldAt.get(x.slot);
      if (at === undefined) oldAt.set(x.slot, [x.v]);
      else at.push(x.v);
    }
  }
  // Each sample against the old instances' median in its own slot: what every instance went
  // through at that minute cancels, whichever share of the new ones was up by then.
  const ref = new Map([...oldAt].filter(([k]) => freshAt.has(k)).map(([k, vs]) => [k, median(vs) ?? 0]));
  const out = { dir: g.dir, metric: g.metric, floor: g.floor, fresh: [] as number[], old: [] as number[], oldBy: new Map<string, number[]>(), freshRaw: [] as number[], oldRaw: [] as number[] };
  for (const x of g.samples) {
    const r = ref.get(x.slot);
    if (r === undefined) continue;
    if (x.fresh) {
      out.fresh.push(x.v - r);
      out.freshRaw.push(x.v);
    } else {
      out.old.push(x.v - r);
      out.oldRaw.push(x.v);
      const mine = out.oldBy.get(x.id);
      if (mine === undefined) out.oldBy.set(x.id, [x.v - r]);
      else mine.push(x.v - r);
    }
  }
  return out;
}

/**
 * Canary comparison across instances: in Kubernetes a release comes up on NEW pods (new
 * `service.instance.id`, new `service.version`) whose series have no "before". Compare the
 * changed service's new-version instances with its old-version ones over the same minutes after
 * the change, per golden-signal series (same metric and labels but the instance's) in its bad
 * direction, with a one-sided Mann–Whitney U test (works with 3–5 samples per instance). Samples of
 * one instance are not independent and instances differ for reasons of their own (node, neighbours),
 * so the new version must also be worse than the WORST old instance, by more than three times the
 * old instances' own noise; the value grows with that margin relative to the old level, beyond
 * what warming up explains (`WARMUP`).
 */
export function canaryEvidence(ctx: Context, c: ChangeEvent): CanaryEvidence {
  const byVersion = canaryComparison(ctx, c);
  const whole = c.version === undefined ? { value: 0 } : serviceLevel(ctx, c);
  // New pods no worse than old ones over the same minutes clear the release of what the service
  // as a whole went through meanwhile: the comparison at the same time is the better judge.
  if (whole.metric !== undefined && byVersion.cleared?.includes(whole.metric) === true) return byVersion;
  return whole.value > byVersion.value ? whole : byVersion;
}

/** New-version instances against old-version ones, see `canaryEvidence`. */
export function canaryComparison(ctx: Context, c: ChangeEvent, peers = true): CanaryEvidence {
  if (c.version === undefined) return { value: 0 };
  const to = windowEnd(ctx, c);
  const groups = new Map<string, Group>();
  const known = new Set(ctx.graph.services);
  const worse = new Map<string | undefined, boolean>();
  const releasedWorse = (peer: string | undefined): boolean => {
    let hit = worse.get(peer);
    if (hit === undefined) worse.set(peer, (hit = calleeReleasedWorse(ctx, c, peer)));
    return hit;
  };
  for (const s of ctx.series) {
    if (s.series.service !== c.service) continue;
    const g = classifyGolden(s.series.metric, s.series.labels, ctx.metricRules);
    if (g.bad === 0 || g.signal === 'ignore') continue;
    // Its calls to a service whose own release, landed before this one, made that service's new pods
    // worse than its old ones: how those calls fare is that release's doing, whichever pods of
    // this one happened to reach its bad pods more.
    if (peers && g.side === 'client' && releasedWorse(peerService(s.series.labels, known, c.service))) continue;
    const key = measureKey(s);
    const { dir, read, floor } = badReading(g, s);
    const grp = groups.get(key) ?? { dir, read, metric: s.series.metric, floor, samples: [], series: [] };
    grp.series.push(s);
    for (const p of s.points) {
      if (p.t < c.time || p.t >= to) continue;
      const v = versionAt(s, p.t);
      if (v !== undefined) grp.samples.push({ slot: Math.floor(p.t / ctx.stepMs), fresh: sameVersion(v, c.version), id: s.series.id, v: read(p.v) });
    }
    groups.set(key, grp);
  }
  let best: CanaryEvidence = { value: 0 };
  const cleared: string[] = [];
  for (const raw of groups.values()) {
    const g = sameMinutes(raw);
    // New pods no worse than old ones (within warm-up) over 3+ shared minutes: the version is cleared here.
    if (g.fresh.length >= 3 && g.old.length >= 3 && g.dir * ((median(g.fresh) ?? 0) - (median(g.old) ?? 0)) <= WARMUP * Math.abs(median(g.oldRaw) ?? 0)) cleared.push(g.metric);
    if (g.fresh.length === 1 && g.oldBy.size >= 2) {
      const lone = loneFresh(raw, g, c.time, ctx.stepMs);
      if (lone !== undefined && lone.value > best.value) best = { ...lone, kind: 'canary' };
    }
    // Two samples of a new instance against three or more of old ones can reach p 0.05 (exact test).
    // One old instance against one new one cannot tell the version from the instance: two at least.
    if (g.fresh.length < 2 || g.old.length < 3 || g.oldBy.size < 2) continue;
    const r = mannWhitneyU(g.fresh.map((v) => g.dir * v), g.old.map((v) => g.dir * v));
    if (r === undefined || r.p > 0.05) continue;
    const nm = median(g.freshRaw) ?? 0;
    const om = median(g.oldRaw) ?? 0;
    const worstOld = [...g.oldBy.values()].reduce((w, vs) => Math.max(w, g.dir * (median(vs) ?? 0)), -Infinity);
    const noise = median([...g.oldBy.values()].map(spread).filter((x): x is number => x !== undefined)) ?? 0;
    const margin = g.dir * (median(g.fresh) ?? 0) - worstOld;
    if (margin <= Math.max(3 * noise, g.floor)) continue;
    // A process just started is slower for a few minutes (JIT, cold caches, pools): within WARMUP of the old ones is no evidence.
    const value = 1 - Math.exp(-Math.max(0, margin / Math.max(Math.abs(om), 1e-9) - WARMUP) / 0.3);
    if (value > best.value) best = { value, metric: g.metric, p: r.p, newMedian: raw.read(nm), oldMedian: raw.read(om), kind: 'canary' };
  }
  return cleared.length === 0 ? best : { ...best, cleared };
}

/** What one new sample counts for beside a comparison of several: the data cannot tell it from a lone outlier yet. */
const LONE_CANARY = 0.5;

/**
 * One sample of the new version in all (a 5-minute export, the page minutes after the release)
 * against how far old instances stray from their own median at each slot, over the half hour
 * before the change and the minutes after it: a rank test of one value against that spread (p =
 * its rank among them), worse than every one of them by more than three times their noise and a
 * warm-up margin. Half weight (`LONE_CANARY`). Undefined when under 19 old deviations are known
 * (p could not reach 0.05) or the sample is no worse than that.
 */
function loneFresh(raw: Group, g: ReturnType<typeof sameMinutes>, changeAt: number, stepMs: number): CanaryEvidence | undefined {
  const bySlot = new Map<number, number[]>();
  const add = (slot: number, v: number): void => {
    const at = bySlot.get(slot);
    if (at === undefined) bySlot.set(slot, [v]);
    else at.push(v);
  };
  // The half hour before is read here only, from the group's series: most groups never need it.
  for (const s of raw.series) for (const p of s.points) if (p.t >= changeAt - BEFORE_MS && p.t < changeAt) add(Math.floor(p.t / stepMs), raw.read(p.v));
  for (const x of raw.samples) if (!x.fresh) add(x.slot, x.v);
  const strays = [...bySlot.values()].filter((vs) => vs.length >= 2).flatMap((vs) => {
    const m = median(vs) ?? 0;
    return vs.map((v) => g.dir * (v - m));
  });
  if (strays.length < 19) return undefined;
  const fresh = g.dir * (g.fresh[0] ?? 0);
  const p = (1 + strays.filter((x) => x >= fresh).length) / (strays.length + 1);
  const margin = fresh - Math.max(...strays);
  const noise = 1.4826 * (median(strays.map(Math.abs)) ?? 0);
  if (p > 0.05 || margin <= Math.max(3 * noise, g.floor)) return undefined;
  const om = median(g.oldRaw) ?? 0;
  const value = LONE_CANARY * (1 - Math.exp(-Math.max(0, margin / Math.max(Math.abs(om), 1e-9) - WARMUP) / 0.3));
  return value > 0 ? { value, metric: g.metric, p, newMedian: raw.read(g.freshRaw[0] ?? 0), oldMedian: raw.read(om), lone: true } : undefined;
}

/** Look-back of the service-level comparison. @default 30 min */
export const BEFORE_MS = 30 * MIN;

/**
 * Service-level before/after: the mean over all instances reporting at each sampling slot, after
 * the change against before it, per latency, error or success series (same metric and labels
 * but the instance's). New pods have no "before" of their own, and the service as a whole does:
 * a release that makes the service slower or failing shows here even with no old pod left to
 * compare with. The same margins as the canary comparison (noise, warm-up) apply.
 */
export function serviceLevel(ctx: Context, c: ChangeEvent): CanaryEvidence {
  const to = windowEnd(ctx, c);
  const from = c.time - BEFORE_MS;
  const groups = new Map<string, Slotted>();
  for (const s of ctx.series) {
    if (s.series.service !== c.service) continue;
    const g = classifyGolden(s.series.metric, s.series.labels, ctx.metricRules);
    const own = ownHealth(g);
    if (!own && !(g.signal === 'latency' && g.side === 'client')) continue;
    const key = measureKey(s);
    const { dir, read, floor } = badReading(g, s);
    const grp = groups.get(key) ?? { dir, read, metric: s.series.metric, own, floor, slots: new Map<number, { sum: number; n: number }>() };
    for (const p of s.points) {
      if (p.t < from || p.t >= to) continue;
      const k = Math.floor(p.t / ctx.stepMs);
      const cell = grp.slots.get(k) ?? { sum: 0, n: 0 };
      cell.sum += read(p.v);
      cell.n++;
      grp.slots.set(k, cell);
    }
    groups.set(key, grp);
  }
  const first = Math.floor(c.time / ctx.stepMs);
  const shifts = [...groups.values()].flatMap((g) => {
    const x = g.dir === 0 ? undefined : shiftAfter(g, first);
    return x === undefined ? [] : [{ g, x }];
  });
  // Its calls to its dependencies slowed as much (half as much, or doubled at least: its own and its
  // client latencies are often different percentiles, whose relative moves differ tenfold): the
  // service only passes on slowness from below. Its failures too: calls that take twice as long
  // time out, and a success ratio read from its ceiling moves far more than any latency.
  const below = shifts.reduce((m, { g, x }) => (g.own ? m : Math.max(m, x.rel)), 0);
  let best: CanaryEvidence = { value: 0 };
  for (const { g, x } of shifts) {
    if (!g.own || below >= Math.min(0.5 * x.rel, 1)) continue;
    const value = 1 - Math.exp(-Math.max(0, x.rel - WARMUP) / 0.3);
    if (value > best.value) best = { value, metric: g.metric, p: x.p, newMedian: g.read(x.after), oldMedian: g.read(x.before), kind: 'service' };
  }
  return best;
}

export interface Slotted {
  readonly dir: number;
  /** See `badReading`: how samples were read into `slots`, and back. */
  readonly read: (v: number) => number;
  readonly metric: string;
  /** The service's own (server-side) signal; else its calls to others (client-side latency). */
  readonly own: boolean;
  /** See `ratioFloor`. */
  readonly floor: number;
  readonly slots: Map<number, { sum: number; n: number }>;
}

/**
 * The worsening of one measurement after slot `first` against the slots before, relative to the
 * level before; undefined when not significant (Mann–Whitney p > 0.05), within three times the noise
 * before, or already under way before (the last three samples before).
 */
export function shiftAfter(g: Slotted, first: number): { rel: number; p: number; before: number; after: number } | undefined {
  const before: number[] = [];
  const after: number[] = [];
  for (const [k, cell] of [...g.slots].sort((x, y) => x[0] - y[0])) (k < first ? before : after).push(cell.sum / cell.n);
  if (before.length < 3 || after.length < 2) return undefined;
  const recent = before.slice(-3);
  const earlier = before.length >= 6 ? before.slice(0, -3) : before;
  const noise = spread(earlier) ?? 0;
  if (g.dir * ((median(recent) ?? 0) - (median(earlier) ?? 0)) > 3 * noise) return undefined;
  const r = mannWhitneyU(after.map((v) => g.dir * v), before.map((v) => g.dir * v));
  if (r === undefined || r.p > 0.05) return undefined;
  const ma = median(after) ?? 0;
  const mb = median(before) ?? 0;
  const margin = g.dir * (ma - mb);
  if (margin <= Math.max(3 * noise, g.floor)) return undefined;
  return { rel: margin / Math.max(Math.abs(mb), 1e-9), p: r.p, before: mb, after: ma };
}

/** A release of `peer` before `c` (within the clock jitter) whose new pods did worse than its old ones. */
function calleeReleasedWorse(ctx: Context, c: ChangeEvent, peer: string | undefined): boolean {
  if (peer === undefined || peer === c.service) return false;
  return ctx.candidates.some((o) => o.service === peer && o.time <= c.time + JITTER_MS && ownComparison(ctx, o) >= 0.5);
}

/** `canaryComparison` of a release on its own series only, once per analysis: every caller of its service asks. */
function ownComparison(ctx: Context, o: ChangeEvent): number {
  let memo = OWN.get(ctx);
  if (memo === undefined) OWN.set(ctx, (memo = new Map<ChangeEvent, number>()));
  let v = memo.get(o);
  if (v === undefined) memo.set(o, (v = canaryComparison(ctx, o, false).value));
  return v;
}

const OWN = new WeakMap<Context, Map<ChangeEvent, number>>();
