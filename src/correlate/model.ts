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
    onset: 2.209,
    delayed: -0.669,
    before: -0.004,
    recency: 0.593,
    between: 0.202,
    self: 1.484,
    near: 2.865,
    victimHop: 1.613,
    chain: 3.944,
    interior: 2.313,
    interiorChange: -0.486,
    isVictim: 4.405,
    dist1: 0.614,
    dist2: -0.802,
    dist3plus: -4.346,
    unlinked: -0.088,
    elsewhere: -2.219,
    fanInUp: -0.438,
    soleCaller: 1,
    fanInDown: 1.619,
    rollback: 3.632,
    version: 1.247,
    isRollback: -2.968,
    linkedOnset: -3.054,
    ownOnset: 2.157,
  },
  none: 5.177,
  fittedOn: 'bench/correlate/fit.ts: 200 scenarios, seeds 1..200, every 10th with the cause unrecorded, L2 0.02',
};
