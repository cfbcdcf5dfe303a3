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
    onset: 2, delayed: 1, before: -3, recency: 0.5, between: 0.5, self: 0.5, near: 2, victimHop: 2, chain: 1, interior: 0.5, interiorChange: -1,
    isVictim: 0, dist1: 0, dist2: -0.5, dist3plus: -1.5, unlinked: -3, elsewhere: -2, rollback: 2, version: 2, isRollback: -1,
    linkedOnset: 3, ownOnset: 1,
  },
  none: 0,
  fittedOn: 'hand-set starting point',
};
