import type { ChangeEvent, Topology } from '../domain/types';

/** How the planted cause hurts the victim. */
export const MECHANISMS = [
  'caller_connections', // (a) a caller's config change multiplies its connections to the victim (the fd story)
  'fd_leak', // (b) a deploy of the victim leaks file descriptors
  'memory_leak', // (c) a deploy of the victim leaks memory
  'flag_fanout', // (d) a flag two hops upstream multiplies traffic that fans out to the victim
  'slow_dependency', // (e) a dependency slowed by an infra/config change; the victim holds more connections to it
] as const;
export type Mechanism = (typeof MECHANISMS)[number];

/** Knobs of `simulate`; everything not given is drawn from the seed. */
export interface SimOptions {
  readonly seed: number;
  readonly mechanism?: Mechanism;
  /** Number of services. @default drawn in 8..40 */
  readonly services?: number;
  /** Number of teams. @default drawn in 4..10 (at most the number of services) */
  readonly teams?: number;
  /** Unrelated background changes. @default 0.5–5 per service, within 10..200 */
  readonly changes?: number;
  /** Sampling interval, ms. @default 60 000 mostly, sometimes 15 000 or 300 000 */
  readonly stepMs?: number;
  /** Data span, ms. @default 7 h */
  readonly spanMs?: number;
  /** Instances per service, inclusive range. @default [1, 4] */
  readonly instances?: readonly [number, number];
}

/** Which labels the scenario's telemetry carries (real fleets differ; the correlator must cope). */
export interface LabelStyle {
  readonly version: boolean;
  readonly instanceId: boolean;
  readonly environment: boolean;
  /** How a connection series names its peer. */
  readonly peer: 'server.address' | 'host:port' | 'fqdn' | 'peer.service' | 'none';
}

/** One metric of one instance, sampled on the scenario's grid. */
export interface MetricStream {
  readonly name: string;
  readonly unit: string;
  /** gauge → level; sum → monotonic cumulative counter (written as OTLP sum, temporality 2). */
  readonly kind: 'gauge' | 'sum';
  readonly attrs: Readonly<Record<string, string>>;
  /** One value per grid step; NaN = no sample. */
  readonly values: Float64Array;
  /** Written as asInt. */
  readonly int: boolean;
}

/** The telemetry of one process: its resource attributes change when its version changes. */
export interface InstanceStream {
  readonly service: string;
  readonly instance: string;
  /** Resource attributes in force from `from` (epoch ms) on, sorted by `from`. */
  readonly segments: readonly { readonly from: number; readonly resource: Readonly<Record<string, string>> }[];
  readonly metrics: readonly MetricStream[];
}

export interface Truth {
  readonly scenario: string;
  readonly seed: number;
  readonly mechanism: Mechanism;
  readonly victim: string;
  /** The alert time, epoch ms. */
  readonly at: number;
  /** Suggested analysis window (at − start) and look-ahead (end − at), ms. */
  readonly windowMs: number;
  readonly afterMs: number;
  readonly cause: { readonly id: string; readonly service: string; readonly team: string; readonly type: string; readonly time: number };
  /** When the first effect appears, epoch ms. */
  readonly onset: number;
  /** Planted decoys: the victim's coincident deploy, its rollback, a neighbour's change… */
  readonly redHerrings: readonly { readonly id: string; readonly role: string }[];
  readonly labels: LabelStyle;
  readonly stepMs: number;
  /** Metric of the victim that hits its limit. */
  readonly metric: string;
  readonly limit: number;
}

export interface Scenario {
  readonly id: string;
  readonly seed: number;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly stepMs: number;
  readonly topology: Topology;
  readonly changes: readonly ChangeEvent[];
  readonly streams: readonly InstanceStream[];
  readonly truth: Truth;
}
