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
    onset: 1.901,
    delayed: 1.383,
    before: -0.162,
    recency: 0.647,
    between: -0.522,
    self: -0.398,
    near: 2.014,
    victimHop: 1.887,
    chain: 3.636,
    interior: -0.13,
    interiorChange: -0.273,
    isVictim: 3.912,
    dist1: 0.006,
    dist2: -0.052,
    dist3plus: -3.968,
    unlinked: 0,
    elsewhere: -2.99,
    fanInUp: -2,
    fanInDown: 2,
    rollback: 1.257,
    version: 2.111,
    isRollback: -2.949,
    linkedOnset: -1.044,
    ownOnset: 1.689,
  },
  none: 5.359,
  fittedOn: 'bench/correlate/fit.ts: 120 scenarios, seeds 1..120, every 10th with the cause unrecorded, L2 0.02',
};
