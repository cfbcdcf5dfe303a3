/**
 * The state of a blind incident's world at any instant: request rates pushed down the calls (with
 * slow drifts and the culprit's extra calls), then latency and failures pulled back up (own time
 * plus the callees' time, own failures plus the callees' propagated ones), per pod. And the choice
 * of the paged service: somewhere above where the trouble starts, moved down until the trouble is
 * plainly visible there.
 */
import { alive } from './changes';
import type { Effects, Plot } from './scenarios';
import { ancestorsAt, clamp, edge, nonDs, ramp, svc, type Pod, type Svc, type World } from './world';

export interface PodState { readonly lat: number; readonly err: number; readonly w: number }
export interface State {
  readonly rate: ReadonlyMap<string, number>;
  /** the rate without the culprit's extra calls */
  readonly base: ReadonlyMap<string, number>;
  /** mean latency (s) and failed share per service */
  readonly L: ReadonlyMap<string, number>;
  readonly Er: ReadonlyMap<string, number>;
  readonly podState: ReadonlyMap<string, ReadonlyMap<string, PodState>>;
}
export type StateAt = (t: number, withEffects: boolean) => State;

/** The callers' multiplier on the calls from → to at t (retries, scenario c). */
export function edgeFactor(effects: Effects, from: string, to: string, t: number): number {
  const m = effects.edgeMult;
  return m && m.from === from && m.to === to ? 1 + (m.k - 1) * ramp(t, m.start, m.dur) : 1;
}

export function makeModel(w: World, effects: Effects): StateAt {
  const depth = new Map<string, number>();
  const depthOf = (s: Svc): number => {
    const known = depth.get(s.name);
    if (known !== undefined) return known;
    const d = s.parents.length ? 1 + Math.max(...s.parents.map((p) => depthOf(svc(w, p)))) : 0;
    depth.set(s.name, d);
    return d;
  };
  const topo = w.svcs.slice().sort((a, b) => depthOf(a) - depthOf(b));
  const podsOf = new Map<string, Pod[]>(w.svcs.map((s) => [s.name, w.pods.filter((p) => p.svc === s.name)]));
  return (t, withEffects) => {
    const rate = new Map<string, number>();
    const base = new Map<string, number>();
    for (const s of topo) {
      const drift = 1 + s.rateA * Math.sin((2 * Math.PI * t) / s.rateP + s.ratePh) + s.rateLin * ((t - w.T_p) / 3600e3);
      if (s.kind === 'entry') {
        rate.set(s.name, w.R0 * drift);
        base.set(s.name, w.R0 * drift);
        continue;
      }
      let r = 0;
      let b = 0;
      for (const pn of s.parents) {
        const e = edge(w, pn, s.name);
        const m = withEffects ? edgeFactor(effects, e.from, e.to, t) : 1;
        r += rate.get(pn)! * e.fan * m;
        b += base.get(pn)! * e.fan;
      }
      rate.set(s.name, r * (0.97 + 0.06 * drift / (1 + s.rateA)));
      base.set(s.name, b * (0.97 + 0.06 * drift / (1 + s.rateA)));
    }
    const L = new Map<string, number>();
    const Er = new Map<string, number>();
    const podState = new Map<string, Map<string, PodState>>();
    for (let i = topo.length - 1; i >= 0; i--) {
      const s = topo[i]!;
      const rho = rate.get(s.name)! / base.get(s.name)!;
      let satLat = 1;
      let satErr = 0;
      const sat = effects.sat;
      if (withEffects && sat && sat.svc === s.name) {
        const x = clamp((rho - 1) / Math.max(0.05, (sat.rhoExp ?? 2) - 1), 0, 1.6);
        satLat = 1 + (sat.target - 1) * Math.pow(x, 1.3);
        satErr = sat.err * clamp(x, 0, 1);
      }
      const pool = effects.pool;
      if (withEffects && pool && pool.to === s.name) {
        const x = ramp(t, pool.start, pool.dur);
        satLat = 1 + (pool.lat - 1) * x;
        satErr = pool.err * x;
      }
      let svcLat = 1;
      let svcErr = 0;
      const se = withEffects ? effects.svcLat.get(s.name) : undefined;
      if (se) {
        const x = ramp(t, se.start, se.dur);
        svcLat = 1 + (se.lat - 1) * x;
        svcErr = se.err * x;
      }
      let down = 0;
      let downOk = 1;
      for (const cn of s.children) {
        const e = edge(w, s.name, cn);
        down += e.seq * Math.min(e.fan, 1.5) * L.get(cn)!;
        downOk *= Math.pow(1 - e.prop * Er.get(cn)!, Math.min(e.fan, 1));
      }
      const latDrift = 1 + s.latA * Math.sin((2 * Math.PI * t) / s.latP + s.latPh) + 0.15 * (rate.get(s.name)! / Math.max(1e-9, base.get(s.name)!) - 1) * (s.name === sat?.svc ? 0 : 0.2);
      const live = podsOf.get(s.name)!.filter((p) => alive(p, t));
      let wsum = 0;
      for (const p of live) wsum += p.w;
      let lsum = 0;
      let esum = 0;
      const ps = new Map<string, PodState>();
      for (const p of live) {
        const warm = 1 + w.warmW * Math.exp(-(t - p.start) / 60e3);
        const pe = withEffects && p.effect ? p.effect : null;
        const own = s.own * latDrift * (pe ? pe.lat : 1) * warm * svcLat * satLat;
        const ownErr = clamp(s.baseErr + (pe ? pe.err : 0) + svcErr + satErr, 0, 0.95);
        const lat = own + down;
        const err = 1 - (1 - ownErr) * downOk;
        const pw = p.w / wsum;
        ps.set(p.name, { lat, err, w: pw });
        lsum += pw * lat;
        esum += pw * err;
      }
      L.set(s.name, live.length ? lsum : s.own + down);
      Er.set(s.name, live.length ? esum : 1);
      podState.set(s.name, ps);
    }
    return { rate, base, L, Er, podState };
  };
}

export interface Visibility { readonly latRatio: number; readonly errDelta: number }

/**
 * The paged service: in (e) the entry service or any service; otherwise 0–3 callers above where
 * the trouble starts (or the entry service), moved down that chain until the noiseless effect
 * there is at least ×1.3 latency or +1 pp failures. Returns it with its noiseless effect.
 */
export function choosePage(w: World, plot: Plot, stateAt: StateAt): { paged: string; vis: Visibility } {
  const { R } = w;
  const first = w.svcs[0]!.name;
  if (plot.scenario === 'e' || plot.troubleSvc === null) return { paged: R.chance(0.6) ? first : R.pick(nonDs(w)).name, vis: { latRatio: 1, errDelta: 0 } };
  const visible = (name: string): Visibility => {
    const a = stateAt(w.T_p - 20e3, true);
    const b = stateAt(w.T_p - 20e3, false);
    return { latRatio: a.L.get(name)! / b.L.get(name)!, errDelta: a.Er.get(name)! - b.Er.get(name)! };
  };
  const isVis = (v: Visibility): boolean => v.latRatio >= 1.3 || v.errDelta >= 0.01;
  const start = plot.troubleSvc;
  const wantEntry = R.chance(0.3);
  let k = plot.scenario === 'd' ? R.int(1, 3) : R.int(0, 3);
  let chain = ancestorsAt(w, start, 3);
  if (plot.scenario === 'c' && R.chance(0.4)) k = 0;
  let paged = wantEntry ? first : chain[Math.min(k, chain.length - 1)]!;
  if (svc(w, paged).kind === 'ds') paged = chain[1] ?? svc(w, start).parents[0]!;
  if (!isVis(visible(paged))) {
    let idx = chain.indexOf(paged);
    if (idx < 0) {
      chain = ancestorsAt(w, start, 12);
      idx = chain.indexOf(paged);
      if (idx < 0) idx = chain.length - 1;
    }
    while (idx > 0 && !isVis(visible(chain[idx]!))) idx--;
    paged = chain[idx]!;
    if (svc(w, paged).kind === 'ds') paged = chain[1]!;
    plot.notes.push('page moved down to where the trouble is visible');
  }
  return { paged, vis: visible(paged) };
}
