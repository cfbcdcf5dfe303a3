import type { FeatureName } from './features';

/**
 * One regression tree of the boosted part of the scorer: a split on one evidence feature, or a
 * leaf adding `v` to the candidate's logit. Small trees (depth 2) let the scorer weigh pairs of
 * evidence together, e.g. "the victim holds more connections to a dependency" means something
 * else when its request rate rose too.
 */
export type Tree<K extends string | number = FeatureName> =
  | { readonly f: K; readonly t: number; readonly l: Tree<K>; readonly r: Tree<K> }
  | { readonly v: number };

/** Walks `tree` on `x`, keyed by feature name (the shipped model) or by index (a feature vector while fitting). */
export function treeValue<K extends string | number>(tree: Tree<K>, x: Readonly<Record<K, number>>): number {
  let n = tree;
  while (!('v' in n)) n = x[n.f] <= n.t ? n.l : n.r;
  return n.v;
}
