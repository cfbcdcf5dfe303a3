/**
 * The what-if model: a compact, versioned snapshot of the running system, proposals (a change
 * event with quantities) and predictions. Plain data, JSON-serialisable; times are epoch ms.
 */

export const SNAPSHOT_VERSION = 1;

/** What a series measures, by semantic conventions (see ./classify.ts). */
export type Role = 'fd' | 'fdLimit' | 'connections' | 'threads' | 'memory' | 'traffic' | 'active' | 'other';

/** A series aggregated over a service's instances: mean per instance. */
export interface SeriesModel {
  readonly service: string;
  readonly metric: string;
  readonly role: Role;
  /** The service at the other end (connection series). */
  readonly peer?: string;
  /** Robust level of the last hour (per instance). */
  readonly level: number;
  /** Median per hour of day (UTC), absolute; null when the history is shorter than a day. */
  readonly profile: readonly number[] | null;
  /** Highest hourly median seen (the daily peak when a profile exists). */
  readonly peak: number;
  /** Robust σ of sample-to-sample noise. */
  readonly noise: number;
  /** Theil–Sen slope of hourly medians after removing the daily profile, per hour; 0 without a profile. */
  readonly trend: number;
  /** Fit quality of the trend (R² of the hourly medians on the line). */
  readonly trendR2: number;
  /** The instance furthest above the mean and by how much (limits are per process). */
  readonly worst?: { readonly instance: string; readonly offset: number };
  readonly n: number;
  /** Set on a series that named no peer and was split evenly over this many dependencies. */
  readonly split?: number;
}

export type LimitSource = 'topology' | 'reported' | 'default';

export interface ServiceModel {
  readonly name: string;
  readonly team: string;
  /** Instances seen reporting in the last hour of data (at least 1). */
  readonly instances: number;
  /** Calls declared in the topology and seen in data (connection series with a peer). */
  readonly deps: readonly string[];
  readonly limits: Readonly<Record<string, { readonly value: number; readonly source: LimitSource }>>;
}

/** target ≈ intercept + slope × driver, fitted robustly (Theil–Sen) on time-aligned history. */
export interface Coupling {
  readonly kind: 'fd~held' | 'threads~traffic' | 'memory~traffic' | 'conns~traffic';
  readonly service: string;
  readonly metric: string;
  /** For conns~traffic: the callee. */
  readonly peer?: string;
  /** What drives it, for people: e.g. "connections held (outbound + inbound)". */
  readonly driver: string;
  readonly slope: number;
  readonly intercept: number;
  readonly r2: number;
  readonly n: number;
  /** Relative spread of the driver over the history: a fit over a flat driver says little. */
  readonly driverSpread: number;
}

export type { DeclaredEffect, Quantities, Setting } from '../domain/quantities';
import type { Quantities } from '../domain/quantities';

/** One measured effect of a past change on one series. */
export interface MeasuredEffect {
  readonly service: string;
  readonly metric: string;
  readonly peer?: string;
  readonly before: number;
  readonly after: number;
  /** after / before, and its ~95 % interval from the noise. */
  readonly factor: number;
  readonly low: number;
  readonly high: number;
}

export interface Impact {
  readonly id: string;
  readonly type: string;
  readonly service: string;
  readonly time: number;
  readonly keys: readonly string[];
  readonly quantities?: Quantities;
  /** Effects outside their noise on the service and its neighbours. */
  readonly effects: readonly MeasuredEffect[];
}

export interface Snapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly kind: 'epicenter.snapshot';
  readonly from: number;
  readonly to: number;
  readonly stepMs: number;
  readonly services: readonly ServiceModel[];
  readonly series: readonly SeriesModel[];
  readonly couplings: readonly Coupling[];
  readonly impacts: readonly Impact[];
  /** Fleet load index per hour of day (1 = typical), null under a day of history. */
  readonly load: readonly number[] | null;
}

export interface Proposal {
  readonly id: string;
  readonly type: string;
  readonly service: string;
  readonly team?: string;
  /** When it would ship, epoch ms (the CloudEvent time). */
  readonly time: number;
  readonly summary?: string;
  readonly keys: readonly string[];
  readonly quantities: Quantities;
}

export interface Breach {
  readonly service: string;
  readonly metric: string;
  readonly instance?: string;
  readonly limit: number;
  readonly predicted: number;
  readonly low: number;
  readonly high: number;
  /** ISO 8601: the first time the prediction reaches the limit. */
  readonly at: string;
  readonly path: readonly string[];
  readonly team: string;
}

export interface PredictedEffect {
  readonly service: string;
  readonly metric: string;
  readonly peer?: string;
  readonly instance?: string;
  /** Peak over the horizon without and with the change. */
  readonly baseline: number;
  readonly predicted: number;
  readonly low: number;
  readonly high: number;
  readonly at: string;
  readonly limit?: number;
  readonly headroom?: number;
  readonly path: readonly string[];
  readonly team: string;
  readonly status: 'breach' | 'risk' | 'ok';
}

export interface Prediction {
  /**
   * `unknown`: nothing crosses a limit, but a service the change acts on reports none of the
   * resources that run out (fds, connections, threads, memory), so "safe" would be a guess.
   */
  readonly verdict: 'breach' | 'risk' | 'safe' | 'unknown';
  /** Services the change acts on that report no resource counters (see `verdict`), with their teams. */
  readonly blind: readonly { readonly service: string; readonly team: string }[];
  readonly breaches: readonly Breach[];
  readonly effects: readonly PredictedEffect[];
  readonly assumptions: readonly string[];
}

/** A what-if verdict as stored (ClickHouse `whatif_verdicts`), for dashboards and pages of recent verdicts. */
export interface StoredVerdict {
  /** When the what-if ran, epoch ms. */
  readonly at: number;
  /** What ran it: `cli` or `http`. */
  readonly origin: string;
  readonly proposal: Pick<Proposal, 'id' | 'service' | 'type' | 'team' | 'summary' | 'time'>;
  readonly verdict: Prediction['verdict'];
  readonly breaches: readonly Breach[];
  /** Effects with status `risk`. */
  readonly risks: number;
}
