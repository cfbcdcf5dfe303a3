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
    onset: -1.29,
    delayed: 0.972,
    before: -2.111,
    recency: 1.663,
    afterOnset: 1.88,
    linkBefore: -0.012,
    between: 1.594,
    self: 0.878,
    near: 3.378,
    victimHop: -1.946,
    chain: 4.696,
    interior: 6.187,
    interiorChange: 0.58,
    isVictim: 6.045,
    dist1: -0.368,
    dist2: -3.676,
    dist3plus: -4.87,
    unlinked: -1.564,
    elsewhere: 1.689,
    fanInUp: 1.657,
    fanInDown: 6.124,
    soleCaller: 0.113,
    upOutbound: -2.539,
    upTraffic: 8.343,
    rollback: 4.126,
    version: 1.872,
    isRollback: -5.376,
    linkedOnset: -0.135,
    ownOnset: 2.605,
    passThrough: -5.421,
    ownTraffic: -0.853,
    mixedPath: -8.66,
    ownElsewhere: -13.312,
    downThrough: -3.693,
    fanOutDown: 1.597,
  },
  none: 5.979,
  fittedOn: 'bench/correlate/fit.ts: 800 scenarios, seeds 1..800, mechanisms balanced, every 10th with the cause unrecorded, L2 0.02',
};
