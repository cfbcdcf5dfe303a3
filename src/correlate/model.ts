import type { FeatureName } from './features';

/**
 * Coefficients of the conditional-logit scorer. Fitted offline on simulator scenarios by
 * bench/correlate/fit.ts (fitting seeds are disjoint from the benchmark's) — do not edit by hand;
 * re-run the script. `none` is the logit of "none of these changes" (a cause missing from the log).
 */
export interface Model {
  readonly weights: Readonly<Record<FeatureName, number>>;
  readonly none: number;
  readonly fittedOn: string;
}

export const MODEL: Model = {
  weights: {
    onset: 2.671,
    delayed: -1.16,
    before: 1.121,
    recency: 0.956,
    between: -0.2,
    self: 1.067,
    near: 4.139,
    victimHop: 1.866,
    chain: 3.457,
    interior: 2.665,
    interiorChange: 0.206,
    isVictim: 5.075,
    dist1: 1.126,
    dist2: -1.273,
    dist3plus: -5.64,
    unlinked: -0.034,
    elsewhere: -2.792,
    fanInUp: -2.607,
    fanInDown: 1.438,
    soleCaller: 0.616,
    upOutbound: -1.539,
    upTraffic: 4.163,
    rollback: 3.95,
    version: 0.772,
    isRollback: -3.871,
    linkedOnset: -2.901,
    ownOnset: 2.987,
  },
  none: 5.945,
  fittedOn: 'bench/correlate/fit.ts: 360 scenarios, seeds 1..360, every 10th with the cause unrecorded, L2 0.02',
};
