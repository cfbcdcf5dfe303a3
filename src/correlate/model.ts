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
    onset: 1.239,
    delayed: -0.895,
    before: -1.173,
    recency: 2.499,
    afterOnset: 2.713,
    linkBefore: -0.165,
    between: -0.634,
    self: 1.061,
    near: 4.046,
    victimHop: 1.647,
    chain: 3.43,
    interior: 2.698,
    interiorChange: 0.315,
    isVictim: 5.056,
    dist1: 1.191,
    dist2: -1.313,
    dist3plus: -5.654,
    unlinked: -0.033,
    elsewhere: -2.794,
    fanInUp: -2.552,
    fanInDown: 1.515,
    soleCaller: 0.65,
    upOutbound: -1.489,
    upTraffic: 4.162,
    rollback: 3.904,
    version: 0.686,
    isRollback: -3.791,
    linkedOnset: -2.453,
    ownOnset: 3.156,
    passThrough: 0,
    ownTraffic: 0,
    mixedPath: 0,
    governs: 0,
    ownElsewhere: 0,
  },
  none: 6.154,
  fittedOn: 'bench/correlate/fit.ts: 360 scenarios, seeds 1..360, every 10th with the cause unrecorded, L2 0.02',
};
