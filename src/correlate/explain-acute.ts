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
    out.push({ w: m.weights.acuteSelf * a.canary.value + 1, text: `canary: ${a.canary.metric ?? ''} ${num(a.canary.newMedian)} on instances of ${c.version ?? 'the new version'} vs ${num(a.canary.oldMedian)} on older ones over the same minutes (Mann–Whitney p ${num(a.canary.p ?? 1)})` });
  }
  if (own !== undefined && e.a.acuteSelf > 0.1) out.push({ w: m.weights.acuteSelf * e.a.acuteSelf + 1, text: burst(c.service, own, c) });
  if (e.a.acuteCallers > 0.1) {
    // A caller's calls measured per edge say "to this service"; else its pod-wide client figures.
    // As `acuteCallers` reads them: a caller measuring its calls per callee but none to S has only its pod-wide figures.
    const edge = (p: string): ServiceTrouble['clientTop'] => a.trouble.get(p)?.calls.get(c.service)?.top;
    const general = (t: ServiceTrouble | undefined): { w: number; top: ServiceTrouble['clientTop'] } =>
      t === undefined ? { w: 0, top: undefined } : t.calls.size > 0 ? { w: t.podCalls, top: t.podTop } : { w: t.client, top: t.clientTop };
    const callers = ctx.graph.callers(c.service).filter((p) => (a.trouble.get(p)?.calls.get(c.service)?.w ?? general(a.trouble.get(p)).w) > 0.1);
    const top = callers.map((p) => ({ p, t: edge(p) ?? general(a.trouble.get(p)).top, perEdge: edge(p) !== undefined })).find((x) => x.t !== undefined);
    const what = top?.perEdge === true ? `calls of its callers to ${c.service} slowed` : 'calls of its callers slowed';
    if (top?.t !== undefined) out.push({ w: m.weights.acuteCallers * e.a.acuteCallers + 0.5, text: `${what} (${callers.join(', ')} of ${ctx.graph.callers(c.service).length}): ${burst(top.p, top.t, c)}` });
  }
  if (e.a.acuteBelow > 0.3) {
    const own = a.trouble.get(c.service);
    const viaCall = [...(own?.calls ?? [])].find(([, t]) => t.w >= e.a.acuteBelow - 1e-9);
    const podWide = own !== undefined && own.podCalls * (1 - own.sat) >= e.a.acuteBelow - 1e-9;
    const below = viaCall !== undefined ? `its calls to ${viaCall[0]}` : podWide ? 'its calls to its dependencies' : [...a.trouble].filter(([s, t]) => s !== c.service && t.own >= e.a.acuteBelow - 1e-9).map(([s]) => s)[0];
    out.push({ w: Math.abs(m.weights.acuteBelow * e.a.acuteBelow) + 1, text: `${below ?? 'a service it calls'}, further down, burst as early: ${c.service} looks like a symptom` });
  }
  return out;
}
