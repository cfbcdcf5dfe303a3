import type { ChangeEvent } from '../domain/types';
import { ACUTE, type AcuteModel } from './acute-model';
import type { Context } from './context';
import type { CandidateEvidence } from './features';
import type { ServiceTrouble } from './features/acute';

const hhmm = (t: number): string => new Date(t).toISOString().slice(11, 16);
const num = (v: number): string => (Math.abs(v) >= 100 ? String(Math.round(v)) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(2));
const lag = (t: number, c: ChangeEvent): string => {
  const m = Math.round((t - c.time) / 60_000);
  return m >= 0 ? `${m} min after this change` : `${-m} min before this change`;
};

/** "latency (http.server.request.duration p0.99) of payments [pod-1]: burst 0.05→1.0 (×20, z 48) from 13:56, 1 min after this change" */
function burst(service: string, top: NonNullable<ServiceTrouble['ownTop']>, c: ChangeEvent): string {
  const s = top.series.series;
  const q = s.labels['quantile'];
  const inst = s.labels['service.instance.id'];
  const e = top.exc;
  const ratio = Math.abs(e.baseline) > 1e-9 ? ` (×${num(e.value / e.baseline)}, z ${num(e.z)})` : ` (z ${num(e.z)})`;
  return `${top.golden.signal} (${s.metric}${q === undefined ? '' : ` p${q}`}) of ${service}${inst === undefined ? '' : ` [${inst}]`}: burst ${num(e.baseline)}→${num(e.value)}${ratio} from ${hhmm(e.start)}, ${lag(e.start, c)}`;
}

/** Evidence lines for the acute evidence (bursts right after the change, canary comparison), weighted like the score. */
export function acuteLines(ctx: Context, e: CandidateEvidence, m: AcuteModel = ACUTE): { w: number; text: string }[] {
  const c = e.change;
  const a = e.acute;
  const out: { w: number; text: string }[] = [];
  const own = a.trouble.get(c.service)?.ownTop;
  if (a.canary.value > 0.1 && a.canary.newMedian !== undefined && a.canary.oldMedian !== undefined) {
    const vs = a.canary.kind === 'service' ? `on all instances after this change vs ${num(a.canary.oldMedian)} before it` : `on instances of ${c.version ?? 'the new version'} vs ${num(a.canary.oldMedian)} on older ones over the same minutes`;
    out.push({ w: m.weights.acuteSelf * a.canary.value + 1, text: `${a.canary.kind === 'service' ? 'service' : 'canary'}: ${a.canary.metric ?? ''} ${num(a.canary.newMedian)} ${vs} (Mann–Whitney p ${num(a.canary.p ?? 1)})` });
  }
  if (own !== undefined && e.a.acuteSelf > 0.1) out.push({ w: m.weights.acuteSelf * e.a.acuteSelf + 1, text: burst(c.service, own, c) });
  if (e.a.acuteCallers > 0.1) {
    const callers = ctx.graph.callers(c.service).filter((p) => (a.trouble.get(p)?.client ?? 0) > 0.1);
    const top = callers.map((p) => ({ p, t: a.trouble.get(p)?.clientTop })).find((x) => x.t !== undefined);
    if (top?.t !== undefined) out.push({ w: m.weights.acuteCallers * e.a.acuteCallers + 0.5, text: `calls of its callers slowed (${callers.join(', ')} of ${ctx.graph.callers(c.service).length}): ${burst(top.p, top.t, c)}` });
  }
  if (e.a.acuteBelow > 0.3) {
    const below = [...a.trouble].filter(([s, t]) => s !== c.service && t.own >= e.a.acuteBelow - 1e-9).map(([s]) => s)[0];
    out.push({ w: Math.abs(m.weights.acuteBelow * e.a.acuteBelow), text: `${below ?? 'a service it calls'}, further down, burst as early: ${c.service} looks like a symptom` });
  }
  return out;
}
