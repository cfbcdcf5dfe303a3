/**
 * A random incident world for `npm run bench:otel`, independent of src/sim: services calling each
 * other, Kubernetes pods coming and going, a crowded change log, and one cause. Only the shape is
 * drawn here; ./telemetry.ts writes what OTel instrumentations would record of it.
 */
import { createRng, type Rng } from '../../src/sim/prng';

const NAMES = ['web', 'gateway', 'cart', 'checkout', 'payment', 'catalog', 'search', 'inventory', 'shipping', 'auth', 'pricing', 'reviews', 'orders', 'users', 'notify'];
/** How the instrumentation names and marks things (see ./telemetry.ts). */
export const STYLES = ['semconv', 'old', 'rpc', 'prom'] as const;
export type Style = (typeof STYLES)[number];
/**
 * canary: one new pod of a new version fails or slows; rolling: every pod replaced by bad ones;
 * config: all pods of a service worsen; pool: a caller's config opens many more connections to a
 * service it calls, whose file descriptors and latency follow minutes later (the founding story).
 */
export const MECHANISMS = ['canary', 'rolling', 'config', 'pool'] as const;
export type Mechanism = (typeof MECHANISMS)[number];

export interface Pod { readonly svc: string; readonly id: string; readonly version: string; readonly from: number; to: number; readonly bad: boolean }
export interface Change { readonly id: string; readonly svc: string; readonly type: string; readonly time: number; readonly data: Readonly<Record<string, unknown>> }

export interface World {
  readonly rng: Rng;
  readonly svcs: readonly string[];
  readonly entry: string;
  /** caller → callee → calls per request */
  readonly calls: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly depth: ReadonlyMap<string, number>;
  /** seconds */
  readonly step: number;
  readonly t0: number;
  readonly end: number;
  readonly page: number;
  readonly style: Style;
  readonly clientSide: boolean;
  readonly resources: boolean;
  readonly cumulative: boolean;
  readonly topology: 'full' | 'sparse' | 'none';
  readonly mechanism: Mechanism;
  readonly effect: 'errors' | 'latency' | 'both';
  /** The service whose change is the cause, and the one that breaks (they differ for `pool`). */
  readonly culprit: string;
  readonly broken: string;
  readonly cause: string;
  /** epoch s: when the broken service worsens; for `pool`, when the connections rise. */
  readonly onset: number;
  readonly pushAt: number;
  readonly base: ReadonlyMap<string, number>;
  readonly entryRate: number;
  readonly badLatency: number;
  readonly badFailure: number;
  readonly propagate: number;
  readonly poolFactor: number;
  readonly pods: readonly Pod[];
  readonly changes: readonly Change[];
  /**
   * How pods' resources are labelled: `sdk`, by the SDK (service.name, service.instance.id,
   * service.version, k8s.pod.name); `k8s`, by the Collector's k8sattributes processor on top —
   * namespace, workload, ReplicaSet (its hash per version), node and start time per pod, the
   * image tag — and then half the time with no service.version (the tag is the version) and half
   * the time with no service.instance.id. Drawn from a stream of its own, so that the rest of a
   * seed's world is the same either way. `micrometer`: of the Prometheus-named worlds, half are
   * Spring Boot services scraped by the Prometheus receiver instead, and half the rest Go services
   * instrumented with client_golang, their failures counted in `http_requests_total` only (`counter`;
   * see telemetry.ts). `versionless`: one world in five names no version at all (no
   * service.version, no image tag), as many SDKs are set up.
   */
  readonly labels: { readonly style: 'sdk' | 'k8s'; readonly version: boolean; readonly instanceId: boolean; readonly nodes: number; readonly micrometer: boolean; readonly counter: boolean; readonly versionless: boolean };
}

/** The call graph: each service after the first is called by one or two earlier ones. */
function callGraph(rng: Rng, svcs: readonly string[]): Map<string, Map<string, number>> {
  const calls = new Map<string, Map<string, number>>(svcs.map((s) => [s, new Map<string, number>()]));
  for (let i = 1; i < svcs.length; i++) {
    const me = svcs[i] as string;
    calls.get(svcs[rng.int(0, i - 1)] as string)?.set(me, rng.chance(0.3) ? 2 : 1);
    const other = calls.get(svcs[rng.int(0, i - 1)] as string);
    if (i >= 2 && rng.chance(0.3) && other !== undefined && !other.has(me)) other.set(me, 1);
  }
  return calls;
}

function depths(svcs: readonly string[], calls: ReadonlyMap<string, ReadonlyMap<string, number>>): Map<string, number> {
  const depth = new Map<string, number>([[svcs[0] as string, 0]]);
  for (const s of svcs) for (const c of calls.get(s)?.keys() ?? []) if ((depth.get(c) ?? Infinity) > (depth.get(s) ?? 0) + 1) depth.set(c, (depth.get(s) ?? 0) + 1);
  return depth;
}

export function drawWorld(seed: number): World {
  const rng = createRng(seed);
  const svcs = rng.shuffle(NAMES).slice(0, rng.int(5, 8));
  const entry = svcs[0] as string;
  const calls = callGraph(rng, svcs);
  const step = rng.weighted([[10, 1], [15, 1], [30, 1], [60, 3], [300, 1]] as const);
  const historyMin = step === 300 ? rng.int(90, 180) : rng.int(30, 60);
  const t0 = Date.UTC(2026, 4, rng.int(1, 28), rng.int(0, 20), 0) / 1000;
  const style = rng.pick(STYLES);
  const clientSide = rng.chance(0.6);
  const resources = rng.chance(0.5);
  const cumulative = rng.chance(0.7);
  const topology = rng.pick(['full', 'sparse', 'none'] as const);
  const mechanism = rng.pick(MECHANISMS);
  const effect = rng.pick(['errors', 'latency', 'both'] as const);
  // The cause is mostly below the entry service, sometimes the entry itself.
  let culprit = rng.chance(0.15) ? entry : (svcs[rng.int(1, svcs.length - 1)] as string);
  let broken = culprit;
  if (mechanism === 'pool') {
    culprit = rng.pick(svcs.filter((s) => (calls.get(s)?.size ?? 0) > 0));
    broken = rng.pick([...(calls.get(culprit)?.keys() ?? [])]);
  }
  const change = t0 + historyMin * 60 - rng.int(6, 10) * 60 + rng.int(0, 59);
  const lag = mechanism === 'config' ? rng.int(0, 90) : mechanism === 'pool' ? rng.int(60, 240) : rng.int(30, 90);
  const pushAt = change + rng.int(10, 40);
  const onset = change + lag;
  const page = onset + rng.int(2, 5) * 60 + rng.int(0, 59);
  const world = {
    rng, svcs, entry, calls, depth: depths(svcs, calls), step, t0, end: Math.max(page, t0 + historyMin * 60), page, style, clientSide, resources, cumulative, topology, mechanism, effect, culprit, broken,
    onset, pushAt, base: new Map(svcs.map((s) => [s, rng.uniform(0.005, 0.08)])), entryRate: rng.uniform(10, 100),
    badLatency: effect === 'errors' ? 1 : rng.uniform(2, 6), badFailure: effect === 'latency' ? 0 : rng.uniform(0.05, 0.4), propagate: rng.uniform(0.5, 1), poolFactor: rng.uniform(3, 10),
  };
  const { pods, changes, cause } = podsAndChanges(rng, world, change, historyMin);
  const own = createRng(seed * 31 + 7);
  const k8s = own.chance(0.5);
  const drawn = { style: k8s ? ('k8s' as const) : ('sdk' as const), version: !k8s || own.chance(0.5), instanceId: !k8s || own.chance(0.5), nodes: own.int(2, 6), micrometer: style === 'prom' && own.chance(0.5) };
  const counter = style === 'prom' && !drawn.micrometer && own.chance(0.5);
  const labels = { ...drawn, counter, versionless: own.chance(0.2) };
  return { ...world, pods, changes, cause, labels };
}

/** Pods of every service, the cause's rollout, and the change log: the cause, 2–4 other changes within ±2 min, a few earlier ones. */
function podsAndChanges(rng: Rng, w: Pick<World, 'svcs' | 'entry' | 'mechanism' | 'culprit' | 't0'>, change: number, historyMin: number): { pods: Pod[]; changes: Change[]; cause: string } {
  const pods: Pod[] = [];
  const podId = (s: string): string => `${s}-${rng.hex()}${rng.int(10, 99)}-${rng.hex().slice(0, 5)}`;
  const version = new Map(w.svcs.map((s) => [s, `${rng.int(1, 4)}.${rng.int(0, 20)}.${rng.int(0, 9)}`]));
  const bump = (s: string): string => {
    const [a, b] = (version.get(s) ?? '1.0.0').split('.');
    return `${a ?? 1}.${Number(b ?? 0) + 1}.0`;
  };
  for (const s of w.svcs) for (let i = rng.int(2, 4); i > 0; i--) pods.push({ svc: s, id: podId(s), version: version.get(s) ?? '', from: w.t0, to: Infinity, bad: false });
  const rollout = (s: string, at: number, bad: boolean, v: string, canary: boolean): void => {
    if (canary) {
      pods.push({ svc: s, id: podId(s), version: v, from: at + rng.int(20, 60), to: Infinity, bad });
      return;
    }
    let t = at + rng.int(10, 40);
    for (const p of pods.filter((x) => x.svc === s)) {
      pods.push({ svc: s, id: podId(s), version: v, from: t, to: Infinity, bad });
      p.to = t + rng.int(10, 40);
      t += rng.int(20, 60);
    }
  };
  // Versions as tools write them: a tag, a bare semver, an image reference, or none at all.
  const versionText = (s: string, v: string): string | undefined => rng.weighted([[`v${v}`, 2], [v, 2], [`registry.example.com/${s}:${v}@sha256:${rng.hex()}${rng.hex()}`, 1], [undefined, 1]] as const);
  const changes: Change[] = [];
  const cause = `chg-${rng.hex()}`;
  if (w.mechanism === 'canary' || w.mechanism === 'rolling') {
    const v = bump(w.culprit);
    rollout(w.culprit, change, true, v, w.mechanism === 'canary');
    const text = versionText(w.culprit, v);
    changes.push({ id: cause, svc: w.culprit, type: 'deploy', time: change, data: { summary: `${w.mechanism} ${w.culprit} ${v}`, ...(text === undefined ? {} : { version: text }) } });
  } else {
    changes.push({ id: cause, svc: w.culprit, type: rng.pick(['config', 'flag']), time: change, data: { summary: w.mechanism === 'pool' ? `${w.culprit}: client.maxConnections 20 → 200` : `${w.culprit}: set cache.ttl 60 → 5` } });
  }
  const others = rng.shuffle(w.svcs.filter((s) => s !== w.culprit));
  for (let i = 0, n = Math.min(others.length, rng.int(2, 4)); i < n; i++) {
    // Half the time the paged service itself released too.
    const s = i === 0 && w.culprit !== w.entry && rng.chance(0.5) ? w.entry : (others[i] as string);
    if (changes.some((c) => c.svc === s)) continue;
    const t = change + rng.int(-120, 120);
    const type = rng.pick(['deploy', 'deploy', 'config', 'flag', 'scale']);
    if (type !== 'deploy') {
      changes.push({ id: `chg-${rng.hex()}`, svc: s, type, time: t, data: { summary: `${type} ${s}` } });
      continue;
    }
    const v = bump(s);
    rollout(s, t, false, v, rng.chance(0.4));
    const text = versionText(s, v);
    changes.push({ id: `chg-${rng.hex()}`, svc: s, type, time: t, data: { summary: `deploy ${s} ${v}`, ...(text === undefined ? {} : { version: text }) } });
  }
  for (let i = rng.int(1, 3); i > 0; i--) {
    const s = rng.pick(w.svcs);
    changes.push({ id: `chg-${rng.hex()}`, svc: s, type: rng.pick(['config', 'flag']), time: w.t0 + rng.int(5, historyMin - 20) * 60, data: { summary: `earlier change of ${s}` } });
  }
  return { pods, changes, cause };
}
