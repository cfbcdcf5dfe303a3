import { ACUTE_DEFAULTS, acuteExcursion } from '../../detect/acute';
import type { ChangeEvent } from '../../domain/types';
import type { Context } from '../context';
import { classifyGolden } from '../golden';
import { ACUTE_MS, BASELINE_MS, excursionStrength, type ServiceTrouble } from './acute';
import { lagKernel } from './common';

const MIN = 60_000;

/** A rise of a service's incoming request rate after a reference time. */
export interface Surge {
  /** Strength in [0,1] (as an acute burst: far outside the normal range AND large). */
  readonly w: number;
  /** First sample of the rise (Infinity when none). */
  readonly start: number;
}

const NO_SURGE: Surge = { w: 0, start: Infinity };

/** Load pushed down from a change: how clearly, and through which measured services, from when. */
export interface Pushed {
  readonly value: number;
  readonly path: readonly string[];
  readonly start: number;
}

const NOT_PUSHED: Pushed = { value: 0, path: [], start: Infinity };

/**
 * The strongest rise of each service's incoming request rate (server-side traffic series) that
 * starts within minutes after `t`, against the hour before, memoised per sampling step. Services
 * with no such series are absent (unmeasured, not quiet). A rise that lasts counts as much as a
 * burst: more requests arriving is a fact, whatever happens next.
 */
export function surgeView(ctx: Context): (t: number) => ReadonlyMap<string, Surge> {
  const traffic = ctx.series.filter((s) => {
    const g = classifyGolden(s.series.metric, s.series.labels, ctx.metricRules);
    return g.signal === 'traffic' && g.side === 'server';
  });
  const memo = new Map<number, Map<string, Surge>>();
  return (t) => {
    const key = Math.floor(t / ctx.stepMs);
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const win = { baseFrom: Math.max(ctx.from, t - BASELINE_MS), baseTo: t - ctx.stepMs, from: t - ctx.stepMs, to: t + Math.max(ACUTE_MS, 3 * ctx.stepMs), runTo: ctx.to };
    const out = new Map<string, Surge>();
    for (const s of traffic) {
      const svc = s.series.service;
      const exc = acuteExcursion(s.points, 1, win, ACUTE_DEFAULTS);
      const w = exc === undefined ? 0 : excursionStrength(exc);
      const cur = out.get(svc) ?? NO_SURGE;
      if (w > cur.w) out.set(svc, { w, start: exc?.start ?? Infinity });
      else if (!out.has(svc)) out.set(svc, NO_SURGE);
    }
    memo.set(key, out);
    return out;
  };
}

/** Every call path from `from` down to `to` of at most `maxHops` hops (services in order, both ends included). */
export function downPaths(callees: (s: string) => readonly string[], from: string, to: string, maxHops: number): string[][] {
  const out: string[][] = [];
  const walk = (path: string[]): void => {
    const last = path[path.length - 1] as string;
    if (last === to) {
      out.push(path);
      return;
    }
    if (path.length > maxHops) return;
    for (const n of callees(last)) if (!path.includes(n)) walk([...path, n]);
  };
  walk([from]);
  return out;
}

/**
 * Load pushed down from the changed service, in [0,1]: the founding story (another team's change
 * makes its clients hit us harder). Right after the change, the request rate rose at every
 * measured service on a call path from the changed service down to the service in trouble — the
 * extra requests travelled down the calls — while the changed service's own incoming rate did not
 * rise as early (then it only passed on load from further up). It counts only when the service
 * asked about is in trouble (a burst of its golden signals, or a lasting move) no earlier than a
 * sampling step before the extra requests reached it: trouble first and requests after is callers
 * retrying on a failing service, not load causing trouble.
 */
export function pushedLoad(ctx: Context, c: ChangeEvent, surges: ReadonlyMap<string, Surge>, victimTrouble: ServiceTrouble | undefined): Pushed {
  if (c.service === ctx.victim) return NOT_PUSHED;
  const lasting = ctx.trouble.filter((x) => x.s.time >= c.time - ctx.tolMs);
  const troubleW = Math.max(victimTrouble?.own ?? 0, ...lasting.map((x) => x.w));
  const troubleAt = Math.min(victimTrouble?.ownStart ?? Infinity, ...lasting.map((x) => x.s.time));
  if (troubleW <= 0) return NOT_PUSHED;
  const own = surges.get(c.service) ?? NO_SURGE;
  let best = NOT_PUSHED;
  for (const path of downPaths((s) => ctx.graph.callees(s), c.service, ctx.victim, 3)) {
    const measured = path.slice(1).map((s) => surges.get(s)).filter((s): s is Surge => s !== undefined);
    if (measured.length === 0) continue;
    const first = Math.min(...measured.map((s) => s.start));
    const arrived = surges.get(ctx.victim)?.start ?? first;
    if (arrived > troubleAt + ctx.stepMs) continue;
    const weakest = Math.min(...measured.map((s) => s.w * lagKernel(s.start - c.time, ctx.stepMs, 3 * MIN)));
    const passedOn = own.start <= first + ctx.stepMs ? own.w : 0;
    const value = weakest * (1 - passedOn) * Math.min(1, troubleW);
    if (value > best.value) best = { value, path: path.slice(1).filter((s) => surges.has(s)), start: first };
  }
  return best;
}

/**
 * For a change of the service asked about: how far its trouble is explained by load arriving from
 * above, in [0,1] — its incoming request rate rose no later than its trouble AND so did a caller's
 * own incoming rate (the extra requests came from further up; callers retrying on a failing
 * service raise only their calls to it, not what they receive).
 */
export function loadFromAbove(ctx: Context, surges: ReadonlyMap<string, Surge>, victimTrouble: ServiceTrouble | undefined): number {
  const v = surges.get(ctx.victim);
  if (v === undefined || v.w === 0) return 0;
  const troubleAt = Math.min(victimTrouble?.ownStart ?? Infinity, ...ctx.trouble.map((x) => x.s.time));
  if (v.start > troubleAt + ctx.stepMs) return 0;
  let above = 0;
  for (const p of ctx.graph.callers(ctx.victim)) {
    const s = surges.get(p);
    if (s !== undefined && s.start <= v.start + ctx.stepMs) above = Math.max(above, s.w);
  }
  return Math.min(v.w, above);
}
