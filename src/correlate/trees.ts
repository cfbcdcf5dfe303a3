import type { FeatureName } from './features';

/**
 * One regression tree of the boosted part of the scorer: a split on one evidence feature, or a
 * leaf adding `v` to the candidate's logit. Small trees (depth 2) let the scorer weigh pairs of
 * evidence together, e.g. "the victim holds more connections to a dependency" means something
 * else when its request rate rose too.
 */
export type Tree =
  | { readonly f: FeatureName; readonly t: number; readonly l: Tree; readonly r: Tree }
  | { readonly v: number };

export function treeValue(tree: Tree, x: Readonly<Record<FeatureName, number>>): number {
  let n = tree;
  while (!('v' in n)) n = x[n.f] <= n.t ? n.l : n.r;
  return n.v;
}
