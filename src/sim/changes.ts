import type { ChangeEvent, ChangeType } from '../domain/types';
import type { QuantifiedEvent, Quantities } from '../domain/quantities';
import type { Rng } from './prng';
import { addRamp, type Effects } from './effects';
import type { SimService, World } from './world';

const SOURCES: Record<ChangeType, string> = {
  deploy: '//ci.example.com/pipelines',
  config: '//config.example.com/audit',
  flag: '//flags.example.com/audit',
  scale: '//k8s.example.com/autoscaler',
  infra: '//infra.example.com/terraform',
  rollback: '//ci.example.com/pipelines',
};
const CONFIG_KEYS = [
  'http.client.max_connections_per_host', 'http.client.keepalive', 'http.client.timeout_ms', 'db.pool.max', 'db.pool.min',
  'cache.ttl_seconds', 'retry.max_attempts', 'log.level', 'worker.concurrency', 'batch.size', 'rate_limit.rps', 'tls.session_cache',
];
const FLAGS = ['new-recs', 'fast-checkout', 'async-tax', 'bulk-sync', 'edge-cache', 'v2-pricing', 'prefetch-images', 'split-payments'];

/** Builds change events and keeps each service's current version, so deploys and rollbacks name real versions. */
export class ChangeLog {
  readonly events: ChangeEvent[] = [];
  /** Latest release made per service. */
  private readonly versions = new Map<string, string>();

  /**
   * `style` (a varied regime's deploy style) sets how every release rolls out, whatever the caller
   * asked: 'rolling' new pods a minute or two apart, 'canary' one new pod first and the rest 5–20 min later.
   */
  constructor(private readonly rng: Rng, private readonly w: World, private readonly fx: Effects, private readonly style?: 'in-place' | 'rolling' | 'canary') {
    for (const s of w.services) this.versions.set(s.name, s.version);
  }

  private push(s: SimService, type: ChangeType, time: number, summary: string, extra: Partial<ChangeEvent> = {}): ChangeEvent {
    const ev: ChangeEvent = {
      id: `chg-${this.rng.hex()}`, source: SOURCES[type], type, rawType: `com.example.change.${type}`,
      service: s.name, team: s.team, time: Math.round(time), summary, ...extra,
    };
    this.events.push(ev);
    return ev;
  }

  /** A deploy rolled out instance by instance (`staggerMs` apart), each instance restarting. Versions only grow, so one version names one release even after rollbacks. */
  deploy(s: SimService, at: number, stagger: number, canary?: number): ChangeEvent {
    const time = Math.round(at); // the event's time, exactly: rollbacks look up what ran before it
    const pods = this.style === 'rolling' || this.style === 'canary';
    const staggerMs = pods ? this.rng.uniform(0.5, 2.5) * 60_000 : stagger;
    const canaryMs = this.style === 'canary' ? this.rng.uniform(5, 20) * 60_000 : pods ? undefined : canary;
    const prev = this.versions.get(s.name) ?? s.version;
    const [maj, min, patch] = prev.split('.').map(Number);
    const next = this.rng.chance(0.6) ? `${maj}.${min}.${(patch ?? 0) + 1}` : `${maj}.${(min ?? 0) + 1}.0`;
    this.versions.set(s.name, next);
    this.fx.rollouts.push(canaryMs === undefined ? { service: s.name, time, version: next, staggerMs } : { service: s.name, time, version: next, staggerMs, canaryMs });
    return this.push(s, 'deploy', time, `deploy ${s.name} ${next}`, { version: next });
  }

  /** Roll `deploy` back to the version before it. */
  rollback(s: SimService, deploy: ChangeEvent, at: number, staggerMs: number): ChangeEvent {
    const time = Math.round(at);
    const before = [...this.fx.rollouts].filter((r) => r.service === s.name && r.time < deploy.time).sort((a, b) => a.time - b.time).pop()?.version ?? s.version;
    this.fx.rollouts.push({ service: s.name, time, version: before, staggerMs });
    return this.push(s, 'rollback', time, `rollback ${s.name} to ${before}`, { version: before, revertOf: deploy.id });
  }

  config(s: SimService, time: number, key?: string): ChangeEvent {
    const k = key ?? this.rng.pick(CONFIG_KEYS);
    const a = this.rng.int(2, 32);
    return this.push(s, 'config', time, `${s.name}: set ${k} ${a} → ${a * this.rng.int(2, 8)}`, { keys: [k] });
  }

  flag(s: SimService, time: number): ChangeEvent {
    return this.push(s, 'flag', time, `flag '${this.rng.pick(FLAGS)}' on for ${this.rng.pick([5, 10, 25, 50, 100])}% in ${s.name}`);
  }

  scale(s: SimService, time: number): ChangeEvent {
    const n = s.instances;
    return this.push(s, 'scale', time, `scale ${s.name} ${n} → ${n + this.rng.int(1, 4)} replicas`);
  }

  /** Give a logged event its true quantities (and a summary saying the same numbers); draws nothing. */
  quantify(ev: ChangeEvent, summary: string, quantities: Quantities): QuantifiedEvent {
    const q: QuantifiedEvent = { ...ev, summary, quantities };
    const i = this.events.indexOf(ev);
    if (i >= 0) this.events[i] = q;
    return q;
  }

  infra(s: SimService, time: number): ChangeEvent {
    return this.push(s, 'infra', time, this.rng.pick([`move ${s.name} to new node pool`, `resize ${s.name} volume`, `upgrade ${s.name} sidecar`, `rotate ${s.name} certificates`]));
  }
}

/**
 * Unrelated changes spread over [from, to): most do nothing visible, some shift their own
 * service's threads, CPU or memory a little (harmless but real breakpoints the correlator must not blame).
 */
export function backgroundChanges(rng: Rng, w: World, fx: Effects, log: ChangeLog, count: number, from: number, to: number): void {
  const times = Array.from({ length: count }, () => rng.uniform(from, to)).sort((a, b) => a - b);
  for (const t of times) {
    const s = rng.pick(w.services);
    const type = rng.weighted([['deploy', 0.4], ['config', 0.25], ['flag', 0.15], ['scale', 0.1], ['infra', 0.06], ['rollback', 0.04]] as const);
    if (type === 'deploy' || type === 'rollback') {
      const d = log.deploy(s, t, rng.uniform(0, 5) * 60_000, rng.chance(0.2) ? rng.uniform(15, 60) * 60_000 : undefined);
      if (rng.chance(0.3)) setMem(fx, s, d.version ?? '', rng.uniform(0.85, 1.2));
      if (type === 'rollback' && t + 20 * 60_000 < to) log.rollback(s, d, t + rng.uniform(10, 90) * 60_000, rng.uniform(0, 3) * 60_000);
    } else if (type === 'config') {
      log.config(s, t);
      if (rng.chance(0.2)) addRamp(fx.threads, s.name, { t0: t, rampMs: 60_000, factor: rng.uniform(0.8, 1.25), staggerMs: 0 });
    } else if (type === 'flag') {
      log.flag(s, t);
    } else if (type === 'scale') {
      log.scale(s, t);
      addRamp(fx.threads, s.name, { t0: t, rampMs: rng.uniform(1, 5) * 60_000, factor: rng.uniform(0.6, 1.6), staggerMs: 0 });
    } else {
      log.infra(s, t);
      if (rng.chance(0.2)) addRamp(fx.latency, s.name, { t0: t, rampMs: 120_000, factor: rng.uniform(1.05, 1.3), staggerMs: 0 });
    }
  }
}

export function setMem(fx: Effects, s: SimService, version: string, factor: number): void {
  let m = fx.memByVersion.get(s.name);
  if (m === undefined) fx.memByVersion.set(s.name, (m = new Map<string, number>()));
  m.set(version, factor);
}
