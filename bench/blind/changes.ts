/**
 * Pods and the change log of a blind incident: the pods each service starts with, deploys (canary
 * or rolling, new ReplicaSet hash and version), scale-ups, and the harmless changes that crowd the
 * log — 1–4 of them within two minutes of the culprit, 3–15 spread over the history — as
 * CloudEvents from several sources.
 */
import type { Plot } from './scenarios';
import { svc, type Pod, type PodEffect, type Svc, type World } from './world';

export interface ChangeData {
  readonly team: string;
  readonly summary: string;
  readonly version?: string;
  readonly keys?: readonly string[];
  readonly settings?: readonly { readonly key: string; readonly from: number; readonly to: number }[];
}
export type ChangeKind = 'deploy' | 'config' | 'flag' | 'scale' | 'infra';
/** A CloudEvent of changes.ndjson. */
export interface Change {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: ChangeData;
}

export const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
export const alive = (p: Pod, t: number): boolean => p.start <= t && t < p.end;
const rsHash = (w: World): string => w.R.alnum(w.R.int(9, 10));

export function newPod(w: World, s: Svc, start: number, version: string, rs: string): Pod {
  const { R } = w;
  const name = s.kind === 'ds' ? `${s.name}-${s.podSeq++}` : `${s.name}-${rs}-${R.alnum(5)}`;
  const p: Pod = { svc: s.name, name, id: w.instStyle === 'uuid' ? R.uuid() : name, version, start, end: Infinity, w: R.uni(0.9, 1.1), node: `ip-10-${R.int(0, 3)}-${R.int(0, 255)}-${R.int(1, 254)}.ec2.internal`, phase: 0, effect: null, preexisting: false };
  w.pods.push(p);
  return p;
}

/** Every service's pods, started an hour to ten days before the history. */
export function addInitialPods(w: World): void {
  for (const s of w.svcs) {
    s.podSeq = 0;
    s.rs = rsHash(w);
    for (let i = 0; i < s.npods; i++) newPod(w, s, w.T_p - w.histMin * 60000 - w.R.uni(3600e3, 10 * 86400e3), s.version, s.rs).preexisting = true;
  }
}

const bumpVersion = (w: World, v: string): string => {
  const [a, b, c] = v.split('.').map(Number) as [number, number, number];
  return w.R.chance(0.3) ? `${a}.${b + 1}.0` : `${a}.${b}.${c + 1}`;
};

/** A release: canary (one new pod beside the old ones) or rolling (each old pod replaced over `dur` ms). */
export function deploy(w: World, s: Svc, T: number, style: 'canary' | 'rolling', dur: number, effect: PodEffect | null): { version: string; prev: string; created: Pod[] } {
  const { R } = w;
  const old = w.pods.filter((p) => p.svc === s.name && alive(p, T));
  const v = bumpVersion(w, s.version);
  const prev = s.version;
  s.version = v;
  s.rs = rsHash(w);
  const created: Pod[] = [];
  if (style === 'canary') {
    const p = newPod(w, s, T + R.uni(20, 60) * 1000, v, s.rs);
    p.effect = effect;
    created.push(p);
  } else {
    const n = Math.max(1, old.length);
    for (let i = 0; i < n; i++) {
      const st = T + R.uni(10, 30) * 1000 + (i * dur) / n;
      const p = newPod(w, s, st, v, s.rs);
      p.effect = effect;
      created.push(p);
      const o = old[i];
      if (o) o.end = st + R.uni(15, 40) * 1000;
    }
  }
  return { version: v, prev, created };
}

export function addChange(w: World, changes: Change[], kind: ChangeKind, name: string, T: number, data: Omit<ChangeData, 'team'>): Change {
  const { R, org, ns } = w;
  const id = R.pick([() => `chg-${R.hex(8)}`, () => `${R.hex(12)}`, () => R.uuid()])();
  // Every source is drawn, whichever the kind (the draws stay in step).
  const sources: Record<ChangeKind, string> = {
    deploy: R.pick([`//argocd.${org}.io/${ns}/${name}`, `//github.com/${org}/${name}/actions`, `/ci/${name}`]),
    config: R.pick([`//config.${org}.io/${name}`, `/config/${name}`, `//k8s/${ns}/configmap/${name}`]),
    flag: `//launchdarkly.com/${org}/production`,
    scale: `//k8s/${ns}/hpa/${name}`,
    infra: R.pick([`//terraform.${org}.io/${name}`, `//aws/rds/${name}`, `/infra/${name}`]),
  };
  const c: Change = { specversion: '1.0', id, source: sources[kind], type: `com.${org}.change.${kind}`, subject: name, time: iso(Math.round(T / 1000) * 1000), datacontenttype: 'application/json', data: { team: svc(w, name).team, ...data } };
  changes.push(c);
  return c;
}

/** A change that does no harm: a release whose pods behave as before, a scale-up, a flag, a config key, or datastore upkeep. */
function harmless(w: World, changes: Change[], name: string, T: number): Change {
  const { R } = w;
  const s = svc(w, name);
  const kind = s.kind === 'ds' ? R.pick(['infra', 'config'] as const) : R.weighted<ChangeKind>([['deploy', 0.45], ['config', 0.25], ['flag', 0.15], ['scale', 0.15]]);
  if (kind === 'deploy') {
    const style = R.chance(0.3) ? 'canary' : 'rolling';
    const d = deploy(w, s, T, style, R.uni(60, 180) * 1000, null);
    const vtxt = R.chance(0.4) ? `v${d.version}` : d.version;
    return addChange(w, changes, 'deploy', name, T, { version: vtxt, summary: style === 'canary' ? `${name} canary ${vtxt}` : `deploy ${name} ${d.version}` });
  }
  if (kind === 'scale') {
    const cur = w.pods.filter((p) => p.svc === name && alive(p, T));
    newPod(w, s, T + R.uni(20, 60) * 1000, s.version, s.rs);
    return addChange(w, changes, 'scale', name, T, { summary: `${name}: replicas ${cur.length} → ${cur.length + 1}` });
  }
  if (kind === 'flag') {
    const key = R.pick(['dark-mode', 'new-recs-widget', 'fast-path', 'beta-banner', 'async-audit-log']);
    return addChange(w, changes, 'flag', name, T, { summary: `flag ${key}@production: ${R.pick(['off → on', 'on → off', 'rollout 10% → 50%'])}`, keys: [key] });
  }
  if (kind === 'infra') return addChange(w, changes, 'infra', name, T, { summary: R.pick([`${name}: minor engine upgrade`, `${name}: rotate TLS certificate`, `${name}: backup window moved`]) });
  const key = R.pick(['logging.level.root', 'cache.ttl', 'server.tomcat.threads.max', 'feature.audit.enabled', 'tracing.sampler.ratio']);
  return addChange(w, changes, 'config', name, T, { summary: `${name}: set ${key} ${R.pick(['INFO → DEBUG', '30s → 60s', '0.1 → 0.05', 'false → true'])}`, keys: [key] });
}

interface PlanItem { readonly T: number; readonly svc: string; readonly run: () => void }

/**
 * Every pod-changing action, the culprit's release (scenarios a, b) included, planned and then run
 * in time order so that each deploy sees the pods alive at its time. Returns the ids of the
 * harmless changes close to the culprit.
 */
export function planChanges(w: World, plot: Plot, changes: Change[]): string[] {
  const { R, T_c, T_p } = w;
  const plans: PlanItem[] = [];
  const pd = plot.pendingDeploy;
  if (pd) {
    plans.push({ T: T_c, svc: pd.s.name, run: () => {
      const d = deploy(w, pd.s, T_c, pd.style, pd.dur, pd.eff);
      const vtxt = R.chance(0.4) ? `v${d.version}` : d.version;
      plot.culprit = addChange(w, changes, 'deploy', pd.s.name, T_c, { version: vtxt, summary: pd.style === 'canary' ? `${pd.s.name} canary ${vtxt} (1 of ${pd.s.npods + 1} pods)` : `rolling update ${pd.s.name} ${d.prev} → ${d.version}` });
      plot.notes.push(`${pd.style} of ${pd.s.name} ${d.prev} → ${d.version}; new pods ${d.created.map((p) => p.name).join(', ')}`);
    } });
  }
  const others = R.shuffle(w.svcs.filter((s) => s.name !== plot.culpritSvc));
  const nClose = R.int(1, 4);
  const close: Change[] = [];
  for (let i = 0; i < nClose && i < others.length; i++) {
    const T = T_c + R.uni(-120, 120) * 1000;
    const name = others[i]!.name;
    plans.push({ T, svc: name, run: () => { close[i] = harmless(w, changes, name, T); } });
  }
  const nSpread = R.int(3, 15);
  const H0 = T_p - w.histMin * 60000;
  for (let i = 0, made = 0; i < nSpread * 4 && made < nSpread; i++) {
    const s = R.pick(w.svcs);
    const T = R.uni(H0 + 60e3, T_p - 30e3);
    if (s.name === plot.culpritSvc && T > T_c - 300e3) continue;
    if (Math.abs(T - T_c) < 150e3) continue;
    if (plans.some((pl) => pl.svc === s.name && Math.abs(pl.T - T) < 300e3)) continue;
    plans.push({ T, svc: s.name, run: () => void harmless(w, changes, s.name, T) });
    made++;
  }
  plans.sort((a, b) => a.T - b.T);
  for (const pl of plans) pl.run();
  for (const p of w.pods) if (p.end <= p.start) p.end = p.start + 30e3;
  return close.map((c) => c.id);
}
