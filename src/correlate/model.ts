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
    onset: 2.521,
    delayed: 0.684,
    before: 0.635,
    recency: 0.56,
    between: 0.124,
    self: 1.554,
    near: 2.289,
    victimHop: 1.834,
    chain: 3.33,
    interior: 1.23,
    interiorChange: 0.545,
    isVictim: 4.515,
    dist1: 0.625,
    dist2: -0.49,
    dist3plus: -4.619,
    unlinked: -0.259,
    elsewhere: -2.639,
    fanInUp: 1.336,
    fanInDown: 2.863,
    rollback: 2.688,
    version: 0.911,
    isRollback: -3.086,
    linkedOnset: -3.429,
    ownOnset: 1.558,
  },
  none: 5.814,
  fittedOn: 'bench/correlate/fit.ts: 200 scenarios, seeds 1..200, every 10th with the cause unrecorded, L2 0.02',
};
