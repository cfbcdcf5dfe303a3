/**
 * What changes do to the simulated system: multiplicative ramps on edges and services, leaks tied
 * to a version, and the version each instance runs over time (deploys and rollbacks roll out
 * instance by instance, restarting each process).
 */

/** A factor that ramps from 1 to `factor` over `rampMs`, starting at `t0 + i × staggerMs` for instance i, until `until`. */
export interface Ramp {
  readonly t0: number;
  readonly rampMs: number;
  readonly factor: number;
  readonly staggerMs: number;
  readonly until?: number;
}

export interface Leak {
  readonly service: string;
  readonly metric: 'fd' | 'mem';
  /** Growth per hour while an instance runs `version` (reset when the process restarts). */
  readonly perHour: number;
  readonly version: string;
}

export interface Rollout {
  readonly service: string;
  readonly time: number;
  readonly version: string;
  /** Instance i switches at time + i × staggerMs (+ canaryMs for every instance but the first). */
  readonly staggerMs: number;
  /** A canary: instance 0 first, the others this much later. */
  readonly canaryMs?: number;
}

export interface Effects {
  /** `${caller}>${callee}` → factor on the connections the caller's instances hold to the callee. */
  readonly conn: Map<string, Ramp[]>;
  /** `${caller}>${callee}` → factor on calls per request. */
  readonly calls: Map<string, Ramp[]>;
  /** service → factor on its own processing time. */
  readonly latency: Map<string, Ramp[]>;
  /** service → factor on its thread count and CPU (harmless visible effects, e.g. scaling). */
  readonly threads: Map<string, Ramp[]>;
  readonly leaks: Leak[];
  /** service → version → factor on memory (a release that simply uses a little more or less). */
  readonly memByVersion: Map<string, Map<string, number>>;
  readonly rollouts: Rollout[];
  /** service → version → what a bad release does on the instances running it. */
  readonly bad: Map<string, Map<string, BadRelease>>;
  /** Releases come up on NEW pods (new instance ids) that replace the old ones; else instances switch in place. */
  readonly newPods: boolean;
  /** How long an old pod keeps running after its replacement came up, ms. */
  readonly overlapMs: number;
}

/** A bad release, on the instances that run it. */
export interface BadRelease {
  /** Factor on the service's own processing time. */
  readonly latency: number;
  /** Share of requests failing. */
  readonly errors: number;
  /** Factor on CPU use (saturation); 1 when the release burns no extra CPU. */
  readonly cpu: number;
}

export function emptyEffects(newPods = false, overlapMs = 0): Effects {
  return { conn: new Map(), calls: new Map(), latency: new Map(), threads: new Map(), leaks: [], memByVersion: new Map(), rollouts: [], bad: new Map(), newPods, overlapMs };
}

/** What instance `i` of `service` suffers from the release it runs at `t` (undefined: a good release). */
export function badAt(fx: Effects, service: string, initial: string, t: number, i: number): BadRelease | undefined {
  const m = fx.bad.get(service);
  return m === undefined ? undefined : m.get(versionAt(fx.rollouts, service, initial, t, i).version);
}

export function addRamp(m: Map<string, Ramp[]>, key: string, r: Ramp): void {
  const list = m.get(key);
  if (list === undefined) m.set(key, [r]);
  else list.push(r);
}

/** Product of the ramps in force at `t` for instance `i`. */
export function rampFactor(ramps: readonly Ramp[] | undefined, t: number, i: number): number {
  if (ramps === undefined) return 1;
  let f = 1;
  for (const r of ramps) {
    const start = r.t0 + i * r.staggerMs;
    if (t < start || (r.until !== undefined && t >= r.until + i * r.staggerMs)) continue;
    const frac = r.rampMs <= 0 ? 1 : Math.min(1, (t - start) / r.rampMs);
    f *= 1 + (r.factor - 1) * frac;
  }
  return f;
}

/** Mean of rampFactor over `n` instances (what a callee sees from all of them). */
export function meanRampFactor(ramps: readonly Ramp[] | undefined, t: number, n: number): number {
  if (ramps === undefined) return 1;
  let s = 0;
  for (let i = 0; i < n; i++) s += rampFactor(ramps, t, i);
  return s / n;
}

/** Version of instance `i` of `service` at `t`, and when it last switched (restart), given its initial version. */
export function versionAt(rollouts: readonly Rollout[], service: string, initial: string, t: number, i: number): { version: string; since: number } {
  let version = initial;
  let since = -Infinity;
  for (const r of rollouts) {
    if (r.service !== service) continue;
    const at = r.time + i * r.staggerMs + (i > 0 ? (r.canaryMs ?? 0) : 0);
    if (at <= t && at > since) {
      version = r.version;
      since = at;
    }
  }
  return { version, since };
}
