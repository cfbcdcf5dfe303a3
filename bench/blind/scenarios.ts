/**
 * The culprit of a blind incident and what it does, by scenario:
 * (a) a canary pod of a new release fails and/or slows; (b) a rolling release does so on every
 * pod; (c) a caller's config change loads a service below it — more retries multiply the calls
 * down a path until the victim saturates, or a much larger connection pool to a direct callee
 * slows it; (d) an infra change on a datastore (downsize, storage migration, failover) slows it
 * and maybe fails some calls; (e) a flag or config change with no trace in the metrics at all.
 */
import { addChange, newPod, type Change } from './changes';
import { descPaths, nonDs, svc, type PodEffect, type Scenario, type Svc, type World } from './world';

export interface SvcEffect { readonly start: number; readonly dur: number; readonly lat: number; readonly err: number; readonly cpu: boolean }
export interface Effects {
  /** datastores slowed by their own infra change (d) */
  readonly svcLat: Map<string, SvcEffect>;
  /** retries: calls from → to multiplied by up to k (c) */
  edgeMult: { readonly from: string; readonly to: string; readonly start: number; readonly dur: number; readonly k: number } | null;
  /** the victim of more load: its latency reaches ×target at the load ratio rhoExp reached at the page (c) */
  sat: { readonly svc: string; readonly target: number; readonly err: number; rhoExp?: number } | null;
  /** a connection pool from → to raised k-fold, the callee slowed ×lat (c) */
  pool: { readonly from: string; readonly to: string; readonly start: number; readonly dur: number; readonly k: number; readonly lat: number; readonly err: number } | null;
}
export interface PendingDeploy { readonly s: Svc; readonly style: 'canary' | 'rolling'; readonly dur: number; readonly eff: PodEffect }
export interface Plot {
  readonly scenario: Scenario;
  readonly culpritSvc: string;
  /** where the trouble starts (null in e) */
  readonly troubleSvc: string | null;
  /** set when the change log is run, for releases (a, b) */
  culprit: Change | undefined;
  readonly effects: Effects;
  readonly pendingDeploy: PendingDeploy | null;
  readonly effect: Readonly<Record<string, unknown>>;
  readonly notes: string[];
}

function release(w: World, scenario: 'a' | 'b'): Plot {
  const { R } = w;
  const apps = w.svcs.filter((s) => s.kind === 'app');
  const cands = apps.length ? apps : [w.svcs[0]!];
  const s = R.pick(scenario === 'a' ? cands.filter((x) => x.npods >= 1) : cands);
  if (scenario === 'a' && s.npods < 2) { // a canary needs old pods beside it: add one
    newPod(w, s, w.pods.find((q) => q.svc === s.name)!.start, s.version, s.rs).preexisting = true;
    s.npods++;
  }
  const a = scenario === 'a';
  const mode = R.pick(['err', 'lat', 'both'] as const);
  const err = mode !== 'lat' ? R.uni(a ? 0.03 : 0.02, a ? 0.3 : 0.2) : 0;
  const lat = mode !== 'err' ? Math.max(R.uni(a ? 2 : 1.5, a ? 5 : 4), R.uni(0.04, 0.25) / s.own) : 1;
  const eff = { err, lat };
  const pendingDeploy: PendingDeploy = { s, style: a ? 'canary' : 'rolling', dur: R.uni(120, 300) * 1000, eff };
  return { scenario, culpritSvc: s.name, troubleSvc: s.name, culprit: undefined, effects: { svcLat: new Map(), edgeMult: null, sat: null, pool: null }, pendingDeploy, effect: { mode, ...eff }, notes: [] };
}

function callerConfig(w: World, changes: Change[]): Plot {
  const { R, T_c } = w;
  let found: { C: Svc; path: string[] } | null = null;
  for (const C of R.shuffle(nonDs(w))) {
    const d = R.int(1, 3);
    for (const dd of [d, 1, 2, 3]) {
      const ps = descPaths(w, C.name, dd);
      if (ps.length) {
        found = { C, path: R.pick(ps) };
        break;
      }
    }
    if (found) break;
  }
  const { C, path: p } = found!;
  const V = svc(w, p[p.length - 1]!);
  const variant = p.length === 2 && R.chance(0.5) ? 'pool' : 'retries';
  const effects: Effects = { svcLat: new Map(), edgeMult: null, sat: null, pool: null };
  const start = T_c + R.uni(0, 60) * 1000;
  let culprit: Change;
  let effect: Record<string, unknown>;
  if (variant === 'retries') {
    const k = R.uni(2, 4);
    effects.edgeMult = { from: C.name, to: p[1]!, start, dur: R.uni(20, 90) * 1000, k };
    const target = Math.max(R.uni(2.5, 6), R.uni(0.05, 0.4) / V.own);
    effects.sat = { svc: V.name, target, err: R.chance(0.5) ? R.uni(0.02, 0.12) : 0 };
    const key = R.pick([`clients.${p[1]!}.retries.max`, `http.client.retry.max_attempts`, `${p[1]!}.client.maxRetries`, 'resilience4j.retry.maxAttempts']);
    const from = R.int(0, 1);
    const to = R.int(3, 5);
    culprit = addChange(w, changes, 'config', C.name, T_c, { summary: `${C.name}: set ${key} ${from} → ${to}`, keys: [key], settings: [{ key, from, to }] });
    effect = { variant, path: p, k, target, err: effects.sat.err };
  } else {
    const k = R.uni(5, 20);
    const dur = R.uni(30, 120) * 1000;
    const lat = Math.max(R.uni(2, 5), R.uni(0.05, 0.4) / V.own);
    effects.pool = { from: C.name, to: V.name, start, dur, k, lat, err: R.chance(0.4) ? R.uni(0.02, 0.1) : 0 };
    const key = R.pick(V.kind === 'ds' ? ['spring.datasource.hikari.maximum-pool-size', 'db.pool.max_size', 'database.pool.maxConnections'] : [`http.client.pool.max_connections`, `clients.${V.name}.pool.size`, 'http.client.pool.min_idle']);
    const from = R.int(10, 30);
    const to = Math.round(from * k);
    culprit = addChange(w, changes, 'config', C.name, T_c, { summary: `${C.name}: ${R.pick(['set', 'raise'])} ${key} ${from} → ${to}`, keys: [key], settings: [{ key, from, to }] });
    effect = { variant, path: p, k, lat, err: effects.pool.err };
  }
  return { scenario: 'c', culpritSvc: C.name, troubleSvc: V.name, culprit, effects, pendingDeploy: null, effect, notes: [`${variant} change on ${C.name} loads ${V.name} via ${p.join(' → ')}`] };
}

function datastore(w: World, changes: Change[]): Plot {
  const { R, T_c } = w;
  const D = R.pick(w.svcs.filter((s) => s.kind === 'ds'));
  const variant = R.pick(['downsize', 'storage', 'failover'] as const);
  const start = T_c + R.uni(0, 90) * 1000;
  const dur = R.uni(20, 120) * 1000;
  const lat = Math.max(R.uni(3, 10), R.uni(0.03, 0.3) / D.own);
  const eff: SvcEffect = { start, dur, lat, err: R.chance(0.35) ? R.uni(0.01, 0.08) : 0, cpu: variant === 'downsize' };
  const zone = R.pick(['us-east-1b', 'eu-west-1c']); // drawn whatever the variant
  const summary = { downsize: `${D.name}: instance class db.r6g.2xlarge → db.r6g.large`, storage: `${D.name}: migrate volume gp2 → gp3 (iops 3000)`, failover: `${D.name}: planned failover to replica in ${zone}` }[variant];
  const culprit = addChange(w, changes, 'infra', D.name, T_c, { summary });
  return { scenario: 'd', culpritSvc: D.name, troubleSvc: D.name, culprit, effects: { svcLat: new Map([[D.name, eff]]), edgeMult: null, sat: null, pool: null }, pendingDeploy: null, effect: { variant, ...eff }, notes: [] };
}

function invisible(w: World, changes: Change[]): Plot {
  const { R } = w;
  const s = R.pick(nonDs(w));
  const kind = R.pick(['flag', 'config', 'flag'] as const);
  const key = R.pick(['new-tax-engine', 'checkout.promo-stacking', 'pricing.rounding-mode', 'search.ranking-v2', 'email.template-v3']);
  const culprit = addChange(w, changes, kind, s.name, w.T_c, { summary: kind === 'flag' ? `flag ${key}@production: off → on` : `${s.name}: set ${key} false → true`, keys: [key] });
  return { scenario: 'e', culpritSvc: s.name, troubleSvc: null, culprit, effects: { svcLat: new Map(), edgeMult: null, sat: null, pool: null }, pendingDeploy: null, effect: { note: 'no metric trace: functional bug (wrong totals / wrong content)' }, notes: [] };
}

/** Draw the culprit of the world's scenario; configs and infra changes go into `changes` now, releases when the change log is run. */
export function drawPlot(w: World, changes: Change[]): Plot {
  switch (w.scenario) {
    case 'a':
    case 'b':
      return release(w, w.scenario);
    case 'c':
      return callerConfig(w, changes);
    case 'd':
      return datastore(w, changes);
    case 'e':
      return invisible(w, changes);
  }
}
