/**
 * The world of one blind incident: services of an online shop calling each other and their
 * datastores, each service's traffic, latency and error levels, its pods, and how the telemetry of
 * this world is shaped (protocols, which calls have client metrics, resource metrics or not, names).
 * Nothing here knows the correlator; the whole generator was written from the README and
 * docs/inputs.md alone (see ./generate.ts).
 */
import { makeRng, type Rng } from './rng';

const ENTRY = ['frontend', 'web', 'api-gateway', 'storefront', 'edge-gateway', 'bff-web', 'mobile-bff'];
const APPS = ['checkout', 'cart', 'payments', 'orders', 'inventory', 'catalog', 'search', 'recommendations', 'shipping', 'pricing',
  'user-profile', 'auth', 'notifications', 'reviews', 'ads', 'currency', 'fraud-check', 'loyalty', 'order-sync', 'tax',
  'promotions', 'wishlist', 'media', 'session', 'quotes', 'billing', 'ledger', 'accounts', 'fulfillment', 'returns',
  'product-details', 'email', 'geo', 'identity'];
const STORES: readonly (readonly [string, string])[] = [['payments-db', 'postgresql'], ['orders-db', 'postgresql'], ['cart-redis', 'redis'], ['catalog-db', 'postgresql'],
  ['session-cache', 'redis'], ['users-db', 'mysql'], ['inventory-db', 'postgresql'], ['search-es', 'elasticsearch'],
  ['product-cache', 'memcached'], ['ledger-db', 'postgresql'], ['reviews-mongo', 'mongodb'], ['pricing-cache', 'redis']];
const TEAMS = ['storefront', 'checkout', 'payments', 'catalog', 'growth', 'fulfilment', 'identity', 'platform', 'search', 'core-services', 'data', 'mobile'];
const ROUTES = {
  GET: ['/api/{id}', '/api/items', '/health/ready', '/v1/{resource}/{id}', '/list', '/'],
  POST: ['/api/submit', '/v1/{resource}', '/batch'],
} as const;

/** (a) canary on new pods, (b) rolling deploy, (c) caller config loads a callee, (d) infra change on a leaf datastore, (e) no trace in the metrics. */
export const SCENARIOS = ['a', 'b', 'c', 'd', 'e'] as const;
export type Scenario = (typeof SCENARIOS)[number];
export type Kind = 'entry' | 'app' | 'ds';
export type Proto = 'http' | 'grpc';
export type Lang = 'java' | 'go' | 'nodejs' | 'python' | 'dotnet';
export type ProtoMode = 'http' | 'grpc' | 'mixed';

export interface Route { readonly method: 'GET' | 'POST'; readonly route: string; w: number }

export interface Svc {
  readonly name: string;
  readonly kind: Kind;
  readonly idx: number;
  readonly parents: string[];
  readonly children: string[];
  /** datastores only, e.g. postgresql */
  readonly dbSystem: string;
  team: string;
  /** not for datastores */
  proto: Proto;
  lang: Lang;
  /** own latency, s */
  own: number;
  baseErr: number;
  p4xx: number;
  /** log-normal spread of a latency sample */
  sigma: number;
  /** slow drift of the request rate and latency: amplitude, period (ms), phase, linear trend per hour */
  rateA: number; rateP: number; ratePh: number; rateLin: number;
  latA: number; latP: number; latPh: number;
  npods: number;
  version: string;
  routes: Route[];
  rpcService: string;
  cpuPerReq: number; memBase: number; fdBase: number; cpuLimit: number;
  podSeq: number;
  /** the current ReplicaSet hash */
  rs: string;
}

export interface Edge { readonly from: string; readonly to: string; readonly fan: number; readonly seq: number; readonly prop: number; client: boolean }
export interface PodEffect { readonly err: number; readonly lat: number }
export interface Pod {
  readonly svc: string;
  readonly name: string;
  readonly id: string;
  readonly version: string;
  readonly start: number;
  end: number;
  readonly w: number;
  readonly node: string;
  phase: number;
  effect: PodEffect | null;
  preexisting: boolean;
}

export interface World {
  readonly seed: number;
  readonly R: Rng;
  readonly svcs: readonly Svc[];
  readonly byName: ReadonlyMap<string, Svc>;
  readonly edges: readonly Edge[];
  readonly scenario: Scenario;
  readonly protoMode: ProtoMode;
  /** share of service→service calls whose caller records client metrics */
  readonly clientFrac: number;
  /** callers record db.client.operation.duration */
  readonly dbClient: boolean;
  /** resource metrics (CPU, memory, pools, file descriptors) besides the golden signals */
  readonly resources: boolean;
  readonly cpuName: 'container.cpu.usage' | 'k8s.pod.cpu.utilization';
  readonly memName: 'container.memory.usage' | 'process.memory.usage';
  readonly fdsOn: boolean;
  readonly poolName: 'db.client.connections.usage' | 'db.client.connection.count';
  readonly instStyle: 'uuid' | 'pod';
  readonly addrStyle: 'short' | 'fqdn';
  readonly ns: string;
  readonly org: string;
  /** ms; may be coarsened to fit the size budget */
  step: number;
  /** minutes of history; may be shortened to fit the size budget */
  histMin: number;
  /** the page and the culprit change, epoch ms */
  readonly T_p: number;
  readonly T_c: number;
  /** requests per second at the entry service */
  readonly R0: number;
  /** extra latency of a fresh pod, decaying over a minute */
  readonly warmW: number;
  readonly pods: Pod[];
}

export const svc = (w: World, name: string): Svc => w.byName.get(name)!;
export const edge = (w: World, from: string, to: string): Edge => w.edges.find((e) => e.from === from && e.to === to)!;
export const nonDs = (w: World): Svc[] => w.svcs.filter((s) => s.kind !== 'ds');
export const addrOf = (w: World, n: string): string => (w.addrStyle === 'short' ? n : `${n}.${w.ns}.svc.cluster.local`);
export const clamp = (x: number, a: number, b: number): number => Math.max(a, Math.min(b, x));
export const ramp = (t: number, start: number, dur: number): number => clamp((t - start) / Math.max(1, dur), 0, 1);
const camel = (s: string): string => s.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

/** Walk up k callers at random from `name`: [name, caller, caller's caller, …]. */
export function ancestorsAt(w: World, name: string, k: number): string[] {
  let cur = name;
  const up = [cur];
  for (let i = 0; i < k; i++) {
    const ps = svc(w, cur).parents;
    if (!ps.length) break;
    cur = w.R.pick(ps);
    up.push(cur);
  }
  return up;
}

/** Every downward call path from `name` of exactly d calls. */
export function descPaths(w: World, name: string, d: number): string[][] {
  const out: string[][] = [];
  const rec = (cur: string, p: string[]): void => {
    if (p.length === d + 1) {
      out.push(p);
      return;
    }
    for (const c of svc(w, cur).children) rec(c, [...p, c]);
  };
  rec(name, [name]);
  return out;
}

/** Shortest downward distance a → b in calls, or null. */
export function downDistance(w: World, a: string, b: string): number | null {
  const q: [string, number][] = [[a, 0]];
  const seen = new Set([a]);
  while (q.length) {
    const [x, d] = q.shift()!;
    if (x === b) return d;
    for (const c of svc(w, x).children) {
      if (!seen.has(c)) {
        seen.add(c);
        q.push([c, d + 1]);
      }
    }
  }
  return null;
}

function blankSvc(name: string, kind: Kind, idx: number, dbSystem = ''): Svc {
  return { name, kind, idx, parents: [], children: [], dbSystem, team: '', proto: 'http', lang: 'go', own: 0, baseErr: 0, p4xx: 0, sigma: 0, rateA: 0, rateP: 1, ratePh: 0, rateLin: 0, latA: 0, latP: 1, latPh: 0, npods: 0, version: '', routes: [], rpcService: '', cpuPerReq: 0, memBase: 0, fdBase: 0, cpuLimit: 1, podSeq: 0, rs: '' };
}

/** 8–30 services: one entry, apps, 15–30 % datastores; each app called by an earlier service (sometimes two), each datastore by 1–3 apps. */
function drawGraph(R: Rng): { svcs: Svc[]; edges: Edge[] } {
  const N = R.int(8, 30);
  const nDS = clamp(Math.round(N * R.uni(0.15, 0.3)), 1, STORES.length);
  const nApp = N - 1 - nDS;
  const entryName = R.pick(ENTRY);
  const appNames = R.shuffle(APPS).slice(0, nApp);
  const stores = R.shuffle(STORES).slice(0, nDS);
  const svcs: Svc[] = [blankSvc(entryName, 'entry', 0)];
  for (const n of appNames) svcs.push(blankSvc(n, 'app', svcs.length));
  for (const [n, sys] of stores) svcs.push(blankSvc(n, 'ds', svcs.length, sys));
  const edges: Edge[] = [];
  const addEdge = (p: Svc, c: Svc): void => {
    if (p.children.includes(c.name)) return;
    edges.push({ from: p.name, to: c.name, fan: p.kind === 'entry' ? R.uni(0.2, 1.0) : R.uni(0.3, 1.6), seq: R.uni(0.5, 1), prop: R.uni(0.5, 1), client: false });
    p.children.push(c.name);
    c.parents.push(p.name);
  };
  for (const s of svcs) {
    if (s.kind === 'entry') continue;
    if (s.kind === 'app') {
      const earlier = svcs.slice(0, s.idx).filter((x) => x.kind !== 'ds');
      const p1 = R.chance(0.5) ? earlier[Math.max(0, earlier.length - R.int(1, 3))]! : R.pick(earlier);
      addEdge(p1, s);
      if (earlier.length > 1 && R.chance(0.3)) {
        const p2 = R.pick(earlier);
        if (p2 !== p1) addEdge(p2, s);
      }
    } else {
      const apps = svcs.filter((x) => x.kind === 'app');
      const cand = apps.length ? apps : svcs.filter((x) => x.kind !== 'ds');
      const k = Math.min(cand.length, R.int(1, 3));
      for (const p of R.shuffle(cand).slice(0, k)) addEdge(p, s);
    }
  }
  return { svcs, edges };
}

function drawLevels(R: Rng, s: Svc, ns: string): void {
  s.own = s.kind === 'ds' ? Math.exp(R.uni(Math.log(0.0005), Math.log(0.008))) : s.kind === 'entry' ? R.uni(0.004, 0.03) : Math.exp(R.uni(Math.log(0.003), Math.log(0.06)));
  s.baseErr = s.kind === 'ds' ? 0 : R.chance(0.5) ? R.uni(0.0002, 0.003) : 0;
  s.p4xx = s.kind === 'ds' ? 0 : R.chance(0.6) ? R.uni(0.002, 0.02) : 0;
  s.sigma = R.uni(0.03, 0.14);
  s.rateA = R.uni(0.03, 0.15); s.rateP = R.uni(40, 180) * 60000; s.ratePh = R.uni(0, 6.28); s.rateLin = R.uni(-0.1, 0.1);
  s.latA = R.uni(0.01, 0.06); s.latP = R.uni(20, 90) * 60000; s.latPh = R.uni(0, 6.28);
  s.npods = s.kind === 'entry' ? R.int(2, 4) : s.kind === 'ds' ? R.int(1, 3) : R.int(1, 4);
  s.version = `${R.int(1, 5)}.${R.int(0, 30)}.${R.int(0, 9)}`;
  s.routes = [];
  if (s.kind !== 'ds') {
    const nr = R.int(1, 2);
    for (let i = 0; i < nr; i++) {
      const method = i === 0 ? 'GET' : R.pick(['GET', 'POST'] as const);
      const route = s.proto === 'grpc' ? `${R.pick(['Get', 'List', 'Create', 'Update', 'Check'])}${camel(s.name).replace(/s$/, '')}` : R.pick(ROUTES[method]).replace('{resource}', s.name.split('-')[0]!);
      s.routes.push({ method, route, w: i === 0 ? 1 : R.uni(0.1, 0.6) });
    }
    const tw = s.routes.reduce((a, r) => a + r.w, 0);
    for (const r of s.routes) r.w /= tw;
    s.rpcService = `${ns}.${camel(s.name)}Service`;
  }
  s.cpuPerReq = R.uni(0.0005, 0.004); s.memBase = R.uni(150, 900) * 2 ** 20; s.fdBase = R.int(40, 300);
  s.cpuLimit = R.pick([0.5, 1, 2, 4]);
}

/** Draw everything of an incident but its changes: graph, teams, telemetry shape, times, levels. Pods are added by ./changes.ts. */
export function drawWorld(seed: number): World {
  const R = makeRng(seed);
  const { svcs, edges } = drawGraph(R);
  const byName = new Map(svcs.map((s) => [s.name, s]));
  const teamPool = R.shuffle(TEAMS);
  let ti = 0;
  for (const s of svcs) {
    if (s.kind === 'ds') s.team = R.chance(0.6) ? 'platform' : (byName.get(s.parents[0] ?? '')?.team ?? 'platform');
    else {
      s.team = teamPool[ti % teamPool.length]!;
      if (R.chance(0.6)) ti++;
    }
  }
  // Scenario shares are balanced by seed, 1 in 10 invisible (one draw is spent to keep the stream as written).
  R.u();
  const scenario: Scenario = seed % 10 === 5 ? 'e' : (['a', 'b', 'c', 'd'] as const)[(seed + Math.floor(seed / 10)) % 4]!;
  const protoMode = R.weighted<ProtoMode>([['http', 0.5], ['grpc', 0.25], ['mixed', 0.25]]);
  for (const s of svcs) {
    if (s.kind === 'ds') continue;
    s.proto = s.kind === 'entry' ? 'http' : protoMode === 'http' ? 'http' : protoMode === 'grpc' ? 'grpc' : R.pick(['http', 'grpc'] as const);
    s.lang = R.pick(['java', 'go', 'nodejs', 'python', 'dotnet'] as const);
  }
  const clientFrac = R.pick([0, 0.3, 0.6, 1]);
  const dbClient = R.chance(0.75);
  const resources = scenario === 'a' ? R.chance(0.2) : R.chance(0.5);
  const cpuName = R.pick(['container.cpu.usage', 'k8s.pod.cpu.utilization'] as const);
  const memName = R.pick(['container.memory.usage', 'process.memory.usage'] as const);
  const fdsOn = R.chance(0.6);
  const poolName = R.pick(['db.client.connections.usage', 'db.client.connection.count'] as const);
  const instStyle = R.pick(['uuid', 'pod'] as const);
  const addrStyle = R.chance(0.8) ? 'short' : 'fqdn';
  const ns = R.pick(['shop', 'prod', 'default', 'ecommerce']);
  for (const e of edges) e.client = byName.get(e.to)!.kind === 'ds' ? dbClient : R.chance(clientFrac);
  const org = R.pick(['acme', 'shopco', 'example', 'globex']);

  const step = R.pick([10, 15, 30, 60]) * 1000;
  const histMin = R.int(30, 120);
  const T_p = Date.UTC(2026, R.int(0, 2), R.int(1, 28), R.int(0, 23), R.int(0, 59), R.int(0, 59));
  const T_c = T_p - R.int(120, 600) * 1000; // the page comes 2–10 min after the culprit

  const R0 = Math.exp(R.uni(Math.log(20), Math.log(400)));
  for (const s of svcs) drawLevels(R, s, ns);
  const warmW = R.chance(0.6) ? R.uni(0.1, 0.5) : 0;
  return { seed, R, svcs, byName, edges, scenario, protoMode, clientFrac, dbClient, resources, cpuName, memName, fdsOn, poolName, instStyle, addrStyle, ns, org, step, histMin, T_p, T_c, R0, warmW, pods: [] };
}
