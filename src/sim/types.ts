import type { ChangeEvent, Topology } from '../domain/types';

/** How the planted cause hurts the victim. */
export const MECHANISMS = [
  'caller_connections', // (a) a caller's config change multiplies its connections to the victim (the fd story)
  'fd_leak', // (b) a deploy of the victim leaks file descriptors
  'memory_leak', // (c) a deploy of the victim leaks memory
  'flag_fanout', // (d) a flag two hops upstream multiplies traffic that fans out to the victim
  'slow_dependency', // (e) a dependency slowed by an infra/config change; the victim holds more connections to it
  'canary_release', // (f) a release brought up on NEW pods is slow and failing on them; callers see part of it
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
  /**
   * Draw what real systems vary from the seed (./regime.ts): metric names and units, step, history,
   * deploy style, topology sparsity, golden-signal-only telemetry, simultaneous releases, an early
   * page on the entry service. @default false (the classic regime: our names, 1 min, 6 h, full topology)
   */
  readonly varied?: boolean;
}

/** How the telemetry and the question look in one incident (drawn by ./regime.ts). */
export interface Regime {
  /** Everything as before the regimes existed (then the other fields say so too). */
  readonly classic: boolean;
  /** 'otel': semantic-convention names and units; 'shop': a shop's own names, explained by `Scenario.metricRules`. */
  readonly naming: 'otel' | 'shop';
  readonly stepMs: number;
  /** Look-back the question asks with (at − start of the analysis window), ms. */
  readonly historyMs: number;
  /** 'in-place': instances switch version keeping their id; 'rolling': new pods replace old ones one by one; 'canary': one new pod first, the rest minutes later. */
  readonly deploy: 'in-place' | 'rolling' | 'canary';
  /** Share of declared dependsOn edges dropped (1: none declared; edges then come from client-side series). */
  readonly dropEdges: number;
  /** 'resources': counters only (classic); 'both': counters and golden signals; 'golden': latency, errors and traffic only. */
  readonly signals: 'resources' | 'both' | 'golden';
  /** Other services' releases within 2 min of the cause. */
  readonly simultaneous: number;
  /** 'acute': the effect starts at once and the page comes 2–5 min after the cause; 'limit': when a resource nears its limit. */
  readonly page: 'acute' | 'limit';
  /** The page is on an entry service several hops above the service in trouble. */
  readonly entry: boolean;
}

/** A shop's own metric name read as a golden signal (the config/metrics.yaml rule a user would write). */
export interface MetricNameRule {
  readonly match: string;
  readonly signal: 'latency' | 'errors' | 'success' | 'traffic' | 'saturation' | 'ignore';
  readonly side?: 'server' | 'client';
  readonly bad?: 'up' | 'down' | 'none';
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
  readonly regime: Regime;
  /** Hops from the paged service down to the service in trouble (0: the same). */
  readonly hops: number;
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
  /** The rules that explain the scenario's own metric names (empty with semantic-convention names). */
  readonly metricRules: readonly MetricNameRule[];
}
