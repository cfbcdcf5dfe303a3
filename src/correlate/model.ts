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
    onset: 3.142,
    delayed: -1.099,
    before: 0.869,
    recency: 0.507,
    between: -0.246,
    self: 1.133,
    near: 3.22,
    victimHop: 2.299,
    chain: 3.982,
    interior: 2.446,
    interiorChange: -0.115,
    isVictim: 4.757,
    dist1: 0.84,
    dist2: -1.051,
    dist3plus: -4.861,
    unlinked: -0.048,
    elsewhere: -2.559,
    fanInUp: -2.195,
    fanInDown: 1.423,
    soleCaller: 0.062,
    upOutbound: -1.079,
    upTraffic: 3.581,
    rollback: 3.832,
    version: 0.562,
    isRollback: -3.455,
    linkedOnset: -3.67,
    ownOnset: 2.613,
  },
  none: 5.407,
  fittedOn: 'bench/correlate/fit.ts: 240 scenarios, seeds 1..240, every 10th with the cause unrecorded, L2 0.02',
};
