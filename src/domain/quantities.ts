import type { ChangeEvent } from './types';

/**
 * Quantities a change event may carry in its CloudEvent `data` (what a CI/CD pipeline knows about
 * the change it ships). Read by the what-if model; the correlator does not need them.
 */
export interface Setting {
  readonly key: string;
  readonly from: number | string;
  readonly to: number | string;
  /** Extension: the upstream service the setting configures (a per-client pool). */
  readonly peer?: string;
}

export interface DeclaredEffect {
  readonly metric: string;
  readonly peer?: string;
  readonly factor?: number;
  readonly delta?: number;
}

export interface Quantities {
  readonly settings?: readonly Setting[];
  readonly replicas?: { readonly from: number; readonly to: number };
  /** Extension: `peer` limits the traffic change to calls to that service. */
  readonly traffic?: { readonly factor: number; readonly peer?: string };
  readonly version?: string;
  readonly effects?: readonly DeclaredEffect[];
}

/** A change event with its quantities (the simulator emits these; writers put them in `data`). */
export type QuantifiedEvent = ChangeEvent & { readonly quantities?: Quantities };
