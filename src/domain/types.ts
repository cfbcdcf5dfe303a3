/**
 * Plain domain values shared by every layer. This file imports nothing: the pure core
 * (detect, correlate, topology) and the adapters all speak these types.
 *
 * Times are epoch milliseconds (number) everywhere inside epicenter; formats convert at the edge.
 */

/** Attribute map of a series: resource attributes (service.name, service.version, …) merged with point attributes. */
export type Labels = Readonly<Record<string, string>>;

/** Identity of one time series. `id` is the canonical string form, see `seriesId()` in ./series.ts. */
export interface SeriesRef {
  readonly id: string;
  /** The owning service (`service.name`, or collectd host/plugin mapping). */
  readonly service: string;
  readonly metric: string;
  readonly labels: Labels;
  /** Unit as reported by the source, when known (e.g. `{file}`, `By`). */
  readonly unit?: string;
}

/** The first and last sample time seen of a series over some stretch (a batch, a file). */
export interface SeriesSpan {
  readonly series: SeriesRef;
  /** epoch ms */
  first: number;
  /** epoch ms */
  last: number;
}

export interface Point {
  /** epoch ms */
  readonly t: number;
  readonly v: number;
}

/** One decoded sample with the series it belongs to — what formats emit and the pipeline consumes. */
export interface Sample {
  readonly series: SeriesRef;
  readonly t: number;
  readonly v: number;
}

export const CHANGE_TYPES = ['deploy', 'config', 'flag', 'scale', 'infra', 'rollback'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** One report of a change: which source told us, under which id (a change heard from two sources keeps both). */
export interface ChangeOrigin {
  readonly source: string;
  readonly id: string;
  /** What reported it, e.g. `github.deployment_status`, `k8s.Deployment`. */
  readonly kind?: string;
  readonly url?: string;
}

/** A configuration value a change set, when it could be read (`from` absent: newly set; `to` absent: removed). */
export interface SettingChange {
  readonly key: string;
  readonly from?: string;
  readonly to?: string;
}

/** A change event (decoded from CloudEvents 1.0). `source`+`id` identify it uniquely. */
export interface ChangeEvent {
  readonly id: string;
  readonly source: string;
  /** Normalised kind: the suffix of the CloudEvent type after `change.`. */
  readonly type: ChangeType;
  /** The CloudEvent `type` as received, e.g. `com.acme.change.config`. */
  readonly rawType: string;
  /** The service changed (CloudEvent `subject`). */
  readonly service: string;
  readonly team?: string;
  /** epoch ms */
  readonly time: number;
  readonly summary?: string;
  /** Version deployed (deploys). */
  readonly version?: string;
  /** Id of the change a rollback undoes. */
  readonly revertOf?: string;
  /** Config keys touched. */
  readonly keys?: readonly string[];
  /** Values set, when the source or the summary names them (`pool.size: 10 -> 80`). */
  readonly settings?: readonly SettingChange[];
  /** Every source that reported this change (set when sources are merged or a webhook normalised it). */
  readonly origins?: readonly ChangeOrigin[];
}

export const BREAKPOINT_KINDS = ['level_up', 'level_down', 'slope_change', 'variance_change'] as const;
export type BreakpointKind = (typeof BREAKPOINT_KINDS)[number];

export interface Regime {
  /** Robust level (median-like) of the regime, in the series' units. */
  readonly level: number;
  /** Slope in series units per hour. */
  readonly slope: number;
}

/** A trend breakpoint found in one series. */
export interface Breakpoint {
  readonly series: SeriesRef;
  /** First sample of the new regime, epoch ms. */
  readonly time: number;
  /** When the detector was able to say so (stream time of the confirming sample), epoch ms. */
  readonly detectedAt: number;
  readonly kind: BreakpointKind;
  readonly before: Regime;
  readonly after: Regime;
  /** Size of the change in robust units (shift / robust scale of the previous regime). */
  readonly magnitude: number;
  /** In [0,1]. */
  readonly confidence: number;
  /** Projected time at which the series reaches its topology limit, epoch ms, when a limit is known and the trend heads there. */
  readonly exhaustionAt?: number;
  /** The limit used for `exhaustionAt`. */
  readonly limit?: number;
}

export interface ServiceNode {
  readonly name: string;
  readonly team: string;
  /** Services this one calls. */
  readonly dependsOn: readonly string[];
  /** Resource limits keyed by metric name, e.g. `process.open_file_descriptor.count: 1024`. */
  readonly limits: Readonly<Record<string, number>>;
}

export interface Topology {
  readonly services: readonly ServiceNode[];
}

/** A ranked candidate cause. */
export interface Suspect {
  /** The change event's id. */
  readonly id: string;
  readonly service: string;
  readonly team: string;
  readonly type: ChangeType;
  /** epoch ms */
  readonly time: number;
  /** Calibrated confidence in [0,1]. */
  readonly score: number;
  /** Human-readable reasons, each with the numbers behind it. */
  readonly evidence: readonly string[];
  /** The bursts behind its acute evidence (own, its callers' calls to it), for timelines to show and chart. */
  readonly bursts?: readonly Burst[];
}

/** A sustained excursion of one series right after a change (src/detect/acute.ts), as evidence. */
export interface Burst {
  readonly series: SeriesRef;
  /**
   * 'own': the changed service's golden signal; 'callers': a caller's calls (to it, or as a whole);
   * 'callees': the requests arriving at a service it calls, all but stopped (a fall, not a burst).
   */
  readonly role: 'own' | 'callers' | 'callees';
  /** latency, errors, success, saturation… */
  readonly signal: string;
  /** epoch ms: first sample of the burst, last one still beyond the normal range */
  readonly start: number;
  readonly end: number;
  readonly baseline: number;
  /** The sustained value, series units. */
  readonly value: number;
  /** A steady climb from the change on (a leak, `src/detect/ramp.ts`) rather than a jump: no sample far out yet at its start. */
  readonly climb?: boolean;
}

export interface Analysis {
  readonly service: string;
  /** epoch ms: the time asked about (alert / page time). */
  readonly at: number;
  /** Window start/end, epoch ms. */
  readonly from: number;
  readonly to: number;
  readonly suspects: readonly Suspect[];
  /** The breakpoints considered, for timelines and dashboards. */
  readonly breakpoints: readonly Breakpoint[];
}
