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
    onset: 1.915,
    delayed: -0.655,
    before: 0.004,
    recency: 1.02,
    between: 0.232,
    self: 1.489,
    near: 3.004,
    victimHop: 1.654,
    chain: 3.642,
    interior: 2.196,
    interiorChange: -0.288,
    isVictim: 4.524,
    dist1: 0.632,
    dist2: -0.888,
    dist3plus: -4.428,
    unlinked: -0.089,
    elsewhere: -2.223,
    fanInUp: -2.837,
    fanInDown: 2.233,
    soleCaller: 0.479,
    rollback: 2.986,
    version: 1.501,
    isRollback: -3.004,
    linkedOnset: -3.084,
    ownOnset: 1.856,
  },
  none: 5.19,
  fittedOn: 'bench/correlate/fit.ts: 200 scenarios, seeds 1..200, every 10th with the cause unrecorded, L2 0.02',
};
