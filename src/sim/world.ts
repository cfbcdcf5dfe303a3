import type { ServiceNode, Topology } from '../domain/types';
import type { Rng } from './prng';
import type { LabelStyle } from './types';

export type ServiceKind = 'frontend' | 'api' | 'worker' | 'db';

/** Steady-state parameters of one simulated service (before seasonality, noise and changes). */
export interface SimService {
  readonly name: string;
  readonly team: string;
  readonly kind: ServiceKind;
  readonly layer: number;
  readonly deps: string[];
  readonly instances: number;
  /** Requests/s entering at this service (frontends, workers), total over instances. */
  readonly entryRate: number;
  /** Calls to each dependency per request handled. */
  readonly fanout: Map<string, number>;
  /** Own processing time, s. */
  latency: number;
  /** Idle connections each instance keeps to each dependency (pool minimum). */
  readonly poolMin: Map<string, number>;
  fdBase: number;
  memBase: number;
  readonly threadBase: number;
  readonly limits: Record<string, number>;
  /** Current version string. */
  readonly version: string;
}

export interface World {
  readonly services: SimService[];
  readonly byName: Map<string, SimService>;
  readonly teams: string[];
  readonly labels: LabelStyle;
}

const DOMAINS = [
  'checkout', 'cart', 'catalog', 'search', 'pricing', 'inventory', 'orders', 'payments', 'shipping', 'billing',
  'accounts', 'auth', 'profile', 'reviews', 'recommend', 'notify', 'email', 'ledger', 'fraud', 'tax', 'promo',
  'coupons', 'wishlist', 'media', 'geo', 'quotes', 'invoices', 'refunds', 'audit', 'sessions', 'loyalty',
  'returns', 'warehouse', 'tracking', 'support', 'ads', 'reporting', 'export', 'scheduler', 'settings',
];
const SUFFIX: Record<ServiceKind, readonly string[]> = {
  frontend: ['web', 'bff', 'gateway'],
  api: ['api', 'svc', 'service'],
  worker: ['worker', 'sync', 'jobs', 'consumer'],
  db: ['db', 'cache', 'store'],
};
const TEAMS = ['storefront', 'checkout', 'fulfilment', 'payments', 'catalog', 'platform', 'identity', 'growth', 'data', 'logistics', 'finance', 'search'];
export const FD_METRIC = 'process.open_file_descriptor.count';
export const MEM_METRIC = 'process.memory.usage';

export function drawLabelStyle(rng: Rng): LabelStyle {
  return {
    version: rng.chance(0.7),
    instanceId: rng.chance(0.9),
    environment: rng.chance(0.5),
    peer: rng.weighted([['server.address', 0.55], ['host:port', 0.15], ['fqdn', 0.1], ['peer.service', 0.1], ['none', 0.1]] as const),
  };
}

/**
 * A layered, DAG-ish call graph with fan-in: frontends and workers on top, databases and caches at
 * the bottom, every non-entry service called by at least one shallower service.
 */
export function buildWorld(rng: Rng, n: number, nTeams: number, instances: readonly [number, number], labels: LabelStyle): World {
  const teams = rng.shuffle(TEAMS).slice(0, Math.min(nTeams, TEAMS.length));
  const domains = rng.shuffle(DOMAINS);
  const nFront = Math.max(1, Math.round(n * rng.uniform(0.06, 0.14)));
  const nLeaf = Math.max(1, Math.round(n * rng.uniform(0.2, 0.3)));
  const nMid = Math.max(1, n - nFront - nLeaf);
  const used = new Set<string>();
  const services: SimService[] = [];
  for (let i = 0; i < nFront + nMid + nLeaf; i++) {
    const layer = i < nFront ? 0 : i < nFront + nMid ? 1 + Math.floor(((i - nFront) * 2) / nMid) : 3;
    const kind: ServiceKind = layer === 0 ? 'frontend' : layer === 3 ? (rng.chance(0.6) ? 'db' : 'api') : rng.chance(0.25) ? 'worker' : 'api';
    let name = '';
    for (let k = 0; name === '' || used.has(name); k++) name = `${domains[(i + k) % domains.length] ?? 'svc'}-${rng.pick(SUFFIX[kind])}${k >= domains.length ? k : ''}`;
    used.add(name);
    const inst = kind === 'db' ? 1 : labels.instanceId ? rng.int(instances[0], instances[1]) : 1;
    const team = teams[Math.min(teams.length - 1, Math.floor((i / (nFront + nMid + nLeaf)) * teams.length + rng.uniform(-0.6, 0.6)))] ?? teams[0] ?? 'platform';
    services.push({
      name, team, kind, layer, deps: [], instances: Math.max(1, inst),
      entryRate: kind === 'frontend' ? rng.uniform(40, 400) : kind === 'worker' ? rng.uniform(3, 40) : 0,
      fanout: new Map(), latency: kind === 'db' ? rng.uniform(0.002, 0.01) : rng.uniform(0.01, 0.06), poolMin: new Map(),
      fdBase: 0, memBase: rng.uniform(150, 1200) * 2 ** 20, threadBase: rng.int(12, 120),
      limits: {}, version: `${rng.int(1, 4)}.${rng.int(0, 30)}.${rng.int(0, 9)}`,
    });
  }
  const byName = new Map(services.map((s) => [s.name, s]));
  const deeper = (l: number): SimService[] => services.filter((s) => s.layer > l);
  for (const s of services) {
    if (s.layer >= 3) continue;
    const pool = deeper(s.layer);
    const near = pool.filter((d) => d.layer === s.layer + 1);
    const k = rng.int(1, Math.min(3, pool.length));
    for (let j = 0; j < k; j++) addDep(rng, s, j === 0 && near.length > 0 ? rng.pick(near) : rng.pick(pool));
  }
  // Fan-in: every service below the top is called by someone shallower.
  for (const s of services) {
    if (s.layer === 0 || s.kind === 'worker' || services.some((c) => c.deps.includes(s.name))) continue;
    const callers = services.filter((c) => c.layer < s.layer && c.kind !== 'db');
    if (callers.length > 0) addDep(rng, rng.pick(callers), s);
  }
  for (const s of services) {
    s.fdBase = rng.int(20, 120);
    s.limits[FD_METRIC] = rng.weighted([[1024, 0.6], [2048, 0.15], [4096, 0.2], [65536, 0.05]] as const);
  }
  return { services, byName, teams, labels };
}

function addDep(rng: Rng, s: SimService, d: SimService): void {
  if (s.deps.includes(d.name) || d === s) return;
  s.deps.push(d.name);
  s.fanout.set(d.name, rng.uniform(0.2, 2));
  s.poolMin.set(d.name, d.kind === 'db' ? rng.int(4, 20) : rng.int(2, 16));
}

export function worldTopology(w: World): Topology {
  const services: ServiceNode[] = w.services.map((s) => ({ name: s.name, team: s.team, dependsOn: [...s.deps], limits: { ...s.limits } }));
  return { services };
}

/** Services in an order where every caller comes before its callees. */
export function callOrder(w: World): SimService[] {
  return [...w.services].sort((a, b) => a.layer - b.layer || a.name.localeCompare(b.name));
}
