import type { Burst, ChangeEvent, SettingChange } from '../domain/types';
import { instanceLabel } from '../domain/series';
import { ACUTE, type AcuteModel } from './acute-model';
import type { Context } from './context';
import { COUNTLESS, type Signal } from './signals';
import { serviceAfter, type CandidateEvidence } from './features';
import type { Top } from './features/acute';
import { callerSide } from './features/sides';
import { comparisonTimeliness } from './features/timely';
import { statedPush } from './features/callee';

const hhmm = (t: number): string => new Date(t).toISOString().slice(11, 16);
const num = (v: number): string => (Math.abs(v) >= 100 ? String(Math.round(v)) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(2));
/** A setting as the change log reads it: `key from → to`. */
const setting = (x: SettingChange): string => `${x.key} ${x.from ?? ''} → ${x.to ?? ''}`;
const lag = (t: number, c: ChangeEvent, ref = 'this change'): string => {
  const m = Math.round((t - c.time) / 60_000);
  return m >= 0 ? `${m} min after ${ref}` : `${-m} min before ${ref}`;
};

/** "z 48"; from a series flat at one value (an idle pool's 0 connections) any burst is countless z: say so. */
export function zWords(z: number): string {
  return z >= COUNTLESS ? 'from a flat level' : `z ${num(z)}`;
}

/**
 * "latency (http.server.request.duration p0.99) of payments [pod-1]: burst 0.05→1.0 (×20, z 48) from 13:56, 1 min after this change";
 * a steady climb (see `rampExcursion`) says "climbing" instead of "burst".
 */
function burst(service: string, top: Top, c: ChangeEvent, ref = 'this change'): string {
  const s = top.series.series;
  const q = s.labels['quantile'];
  const inst = instanceLabel(s.labels);
  const e = top.exc;
  const ratio = Math.abs(e.baseline) > 1e-9 ? ` (×${num(e.value / e.baseline)}, ${zWords(e.z)})` : ` (${zWords(e.z)})`;
  const seen = e.lone ? ` in its last sample only (${hhmm(e.start)}), ${lag(e.start, c, ref)}: not yet confirmed` : ` from ${hhmm(e.start)}, ${lag(e.start, c, ref)}`;
  const what = e.ramp === true ? 'climbing' : 'burst';
  return `${top.golden.signal} (${s.metric}${q === undefined ? '' : ` p${q}`}) of ${service}${inst === undefined ? '' : ` [${inst}]`}: ${what} ${num(e.baseline)}→${num(e.value)}${ratio}${seen}`;
}

/** "canary: latency 0.48 on instances of 2.0 vs 0.20 on older ones over the same minutes (Mann–Whitney p 0.01)", or its service-level or one-sample form. */
function comparisonLine(k: CandidateEvidence['acute']['canary'], c: ChangeEvent, now: number, old: number): string {
  const version = c.version ?? 'the new version';
  const test = `Mann–Whitney p ${num(k.p ?? 1)}`;
  if (k.kind === 'service') return `service: ${k.metric ?? ''} ${num(now)} on all instances after this change vs ${num(old)} before it (${test})`;
  if (k.lone === true) return `canary: ${k.metric ?? ''} ${num(now)} on instances of ${version} in their only sample so far vs ${num(old)} on older ones, further out than any old one strayed in the half hour before (rank p ${num(k.p ?? 1)}: not yet confirmed)`;
  return `canary: ${k.metric ?? ''} ${num(now)} on instances of ${version} vs ${num(old)} on older ones over the same minutes (${test})`;
}

/** The bursts behind a candidate's acute evidence: its own, and the callers' (per edge when measured so). */
function pickBursts(ctx: Context, e: CandidateEvidence): { own?: Top; callers?: { p: string; t: Top; perEdge: boolean; list: string[] } } {
  const c = e.change;
  const a = e.acute;
  const own = e.a.acuteSelf > 0.1 ? a.trouble.get(c.service)?.ownTop : undefined;
  if (e.a.acuteCallers <= 0.1) return own === undefined ? {} : { own };
  // Read as `acuteCallers` reads them.
  const side = (p: string): ReturnType<typeof callerSide> | undefined => {
    const t = a.trouble.get(p);
    return t === undefined ? undefined : callerSide(t, c.service, ctx.stepMs);
  };
  const list = ctx.graph.callers(c.service).filter((p) => (side(p)?.w ?? 0) > 0.1);
  const top = list.map((p) => ({ p, s: side(p) })).find((x) => x.s?.top !== undefined);
  const callers = top?.s?.top === undefined ? undefined : { p: top.p, t: top.s.top, perEdge: top.s.perEdge, list };
  return { ...(own === undefined ? {} : { own }), ...(callers === undefined ? {} : { callers }) };
}

/** The bursts behind the acute evidence as the analysis reports them (timelines draw them). */
export function acuteBursts(ctx: Context, e: CandidateEvidence): Burst[] {
  const b = pickBursts(ctx, e);
  const of = (t: Top, role: Burst['role']): Burst => ({ series: t.series.series, role, signal: t.golden.signal, start: t.exc.start, end: t.exc.end, baseline: t.exc.baseline, value: t.exc.value, ...(t.exc.ramp === true ? { climb: true } : {}) });
  return [...(b.own === undefined ? [] : [of(b.own, 'own')]), ...(b.callers === undefined ? [] : [of(b.callers.t, 'callers')]), ...(e.stopped.value > 0.1 ? e.stopped.falls : [])];
}

/** Evidence lines for the acute evidence (bursts right after the change, canary comparison), weighted like the score. */
export function acuteLines(ctx: Context, e: CandidateEvidence, m: AcuteModel = ACUTE): { w: number; text: string }[] {
  const c = e.change;
  const a = e.acute;
  const out: { w: number; text: string }[] = [];
  // As the score counts it (features/index.ts): faded when another service's release lies well before
  // the trouble; a service-level worsening also cleared by load from above and by old pods as bad.
  const timely = comparisonTimeliness(ctx, c);
  const counted = a.canary.kind === 'service' ? serviceAfter(a, e.first.value) * timely * (1 - e.fromAbove) * (1 - e.oldPods.value) : a.canary.value * timely;
  if (counted > 0.1 && a.canary.newMedian !== undefined && a.canary.oldMedian !== undefined) {
    out.push({ w: m.weights.acuteSelf * counted + 1, text: comparisonLine(a.canary, c, a.canary.newMedian, a.canary.oldMedian) });
  }
  const b = pickBursts(ctx, e);
  if (b.own !== undefined) out.push({ w: m.weights.acuteSelf * e.a.acuteSelf + 1, text: burst(c.service, b.own, c) });
  if (b.callers !== undefined) {
    const what = b.callers.perEdge ? `calls of its callers to ${c.service} slowed` : 'calls of its callers slowed';
    out.push({ w: m.weights.acuteCallers * e.a.acuteCallers + 0.5, text: `${what} (${b.callers.list.join(', ')} of ${ctx.graph.callers(c.service).length}): ${burst(b.callers.p, b.callers.t, c)}` });
  }
  if (e.pushed.value > 0.1) {
    out.push({ w: m.weights.acuteSelf * e.pushed.value + 1, text: `more requests pushed down the calls: request rate of ${e.pushed.path.join(', ')} rose from ${hhmm(e.pushed.start)}, ${lag(e.pushed.start, c)}, while ${c.service}'s own did not; ${ctx.victim}'s trouble came with them` });
  }
  const callee = e.callee;
  const stated = statedPush(c);
  const sets = stated === undefined ? '' : `it sets ${setting(stated.setting)}: up to ×${num(stated.factor)} what it sends to those it calls`;
  if (callee.value > 0.1 && callee.value >= e.pushed.value && callee.service !== undefined && callee.top !== undefined) {
    const where = callee.service === ctx.victim ? '' : ` on the way to ${ctx.victim}`;
    out.push({ w: m.weights.acuteSelf * callee.value + 1, text: `${callee.service}, which ${c.service} calls${where}, burst right after this change: ${burst(callee.service, callee.top, c)}${sets === '' ? '' : `; ${sets}`}` });
  } else if (sets !== '' && e.a.acuteSelf > 0.1) {
    out.push({ w: m.weights.acuteSelf * e.a.acuteSelf, text: `${sets}, so trouble below it right after is its push, not another cause` });
  }
  if (e.stopped.value > 0.1) {
    const list = e.stopped.callees.join(', ');
    const f = e.stopped.falls[0];
    const what = f === undefined ? '' : ` (${f.series.metric} of ${f.series.service} ${num(f.baseline)}→${num(f.value)})`;
    out.push({ w: m.weights.acuteSelf * e.stopped.value + 1, text: `${c.service} stopped calling ${list}: their incoming traffic all but stopped from ${hhmm(e.stopped.start)}${what}, ${lag(e.stopped.start, c)}, while ${c.service}'s did not` });
  }
  const held = (x: Signal): string => `${x.service} held more connections to ${x.peer ?? ''} from ${hhmm(x.time)} (${num(x.effect.before)}→${num(x.effect.after)}), before ${x.peer ?? ''} got slower`;
  if (e.pushes.value > 0.1 && e.pushes.signal !== undefined) {
    out.push({ w: m.weights.acuteSelf * e.pushes.value + 1, text: `${held(e.pushes.signal)}: load this change pushed, ${lag(e.pushes.signal.time, c)}` });
  }
  if (e.onto.value > 0.1 && e.onto.signal !== undefined) {
    out.push({ w: 10 * e.onto.value, text: `${held(e.onto.signal)}: the load came from ${e.onto.signal.service}, not from this change` });
  }
  // Said only of a change its service burst right after: to an older one it is no news.
  const said = e.said;
  if (said.value > 0.1 && a.self > 0.1 && said.by !== undefined && said.stated !== undefined) {
    out.push({ w: 10 * said.value, text: `${said.by.service} set ${setting(said.stated.setting)} at ${hhmm(said.by.time)} (${said.by.type} ${said.by.id}), more of what it sends down to ${c.service}, and ${c.service} burst right after: that may be the load, not this change` });
  }
  const earlier = e.earlier;
  if (earlier.value > 0.1 && earlier.by !== undefined && earlier.stated !== undefined) {
    out.push({ w: 10 * earlier.value, text: `${c.service} had set ${setting(earlier.stated.setting)} at ${hhmm(earlier.by.time)} (${earlier.by.type} ${earlier.by.id}), more of what it sends down: what it pushed after this change may be that setting taking hold, not this change` });
  }
  const later = e.later;
  if (later.value > 0.3 && later.by !== undefined && later.burst !== undefined) {
    const by = later.by;
    out.push({ w: 15 * later.value, text: `what paged began after a later change: ${burst(ctx.victim, later.burst, by, `${by.type} of ${by.service} (${by.id})`)}; this change's own move is not what paged` });
  }
  if (e.fromAbove > 0.1) {
    out.push({ w: m.weights.acuteSelf * e.fromAbove + 1, text: `more requests arrived at ${c.service} from above as its trouble began (its callers received more too): load, not this ${c.type === 'deploy' ? 'release' : 'change'}` });
  }
  const up = e.travelledUp;
  if (up.value > 0.3 && up.what !== undefined) {
    out.push({ w: 10 * up.value, text: `${ctx.victim}'s trouble began below it (${up.what} got worse as early) and this change sent no more load down: what moved between it and ${ctx.victim} is that trouble travelling up` });
  }
  if (a.below > 0.3) {
    const either = a.belowWhat !== undefined && ctx.inferred.includes(a.belowWhat) && ctx.inferred.includes(c.service);
    const text = either
      ? `${a.belowWhat ?? ''} burst as early, also with ${ctx.victim}: either may call the other, so ${c.service}'s burst may be a symptom`
      : `${a.belowWhat ?? 'a service it calls'}, further down, burst as early: ${c.service} looks like a symptom`;
    out.push({ w: 1 + a.below, text });
  }
  return out;
}
