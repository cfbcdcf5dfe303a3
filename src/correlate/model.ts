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
    onset: -1.038,
    delayed: 0.738,
    before: -2.661,
    recency: 1.733,
    afterOnset: 1.876,
    linkBefore: 0.083,
    between: 1.524,
    self: 1.134,
    near: 3.64,
    victimHop: -1.423,
    chain: 4.333,
    interior: 6.315,
    interiorChange: 0.408,
    isVictim: 6.001,
    dist1: -0.359,
    dist2: -3.633,
    dist3plus: -4.786,
    unlinked: -1.502,
    elsewhere: 1.671,
    fanInUp: 1.549,
    fanInDown: 6.192,
    soleCaller: 0.07,
    upOutbound: -2.45,
    upTraffic: 8.288,
    rollback: 4.364,
    version: 2.468,
    isRollback: -5.012,
    linkedOnset: -0.749,
    ownOnset: 3.663,
    passThrough: -5.484,
    ownTraffic: -1.107,
    mixedPath: -8.452,
    ownElsewhere: -13.669,
    downThrough: -3.612,
    fanOutDown: 1.679,
    instanceOrder: -1.394,
  },
  none: 6.001,
  fittedOn: 'bench/correlate/fit.ts: 800 scenarios, seeds 1..800, mechanisms balanced, every 10th with the cause unrecorded, L2 0.02',
};
