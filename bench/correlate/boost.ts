/**
 * Gradient-boosted trees on top of the fitted conditional logit: each round fits one small
 * regression tree to the Newton step of the softmax log-likelihood (gradient p − y, Hessian
 * p(1 − p) per candidate), shrunk by `eta`. Trees are kept small and few so that they correct
 * interactions the linear part cannot express rather than memorise scenarios.
 */
import { softmaxWithNone } from '../../src/correlate/score';
import { treeValue, type Tree } from '../../src/correlate/trees';
import { dot, fitLogit, type Group } from './logit';

/** A tree over feature indices (fit.ts names the features when it writes the model). */
export type IndexTree = Tree<number>;

export interface BoostOptions {
  readonly rounds: number;
  readonly depth: number;
  readonly eta: number;
  /** L2 penalty on leaf values (XGBoost's lambda). */
  readonly lambda: number;
}
export const BOOST_DEFAULTS: BoostOptions = { rounds: 100, depth: 2, eta: 0.1, lambda: 5 };

/** Up to 24 candidate thresholds per feature: midpoints between its distinct values, evenly spaced. */
function thresholds(rows: readonly (readonly number[])[], k: number): number[][] {
  const out: number[][] = [];
  for (let f = 0; f < k; f++) {
    const vals = [...new Set(rows.map((x) => x[f] ?? 0))].sort((a, b) => a - b);
    const step = Math.max(1, Math.floor(vals.length / 24));
    const cut: number[] = [];
    for (let i = 0; i + 1 < vals.length; i += step) cut.push(((vals[i] ?? 0) + (vals[i + 1] ?? 0)) / 2);
    out.push(cut);
  }
  return out;
}

interface Rows {
  readonly x: readonly (readonly number[])[];
  readonly g: Float64Array;
  readonly h: Float64Array;
  readonly cuts: readonly number[][];
}

function bin(cuts: readonly number[], v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= (cuts[mid] ?? 0)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function bestSplit(d: Rows, idx: readonly number[], G: number, H: number, lambda: number): { f: number; t: number } | undefined {
  let best: { gain: number; f: number; t: number } | undefined;
  const parent = (G * G) / (H + lambda);
  d.cuts.forEach((cuts, f) => {
    if (cuts.length === 0) return;
    const gb = new Float64Array(cuts.length + 1);
    const hb = new Float64Array(cuts.length + 1);
    for (const r of idx) {
      const b = bin(cuts, d.x[r]?.[f] ?? 0);
      gb[b] = (gb[b] ?? 0) + (d.g[r] ?? 0);
      hb[b] = (hb[b] ?? 0) + (d.h[r] ?? 0);
    }
    let gl = 0;
    let hl = 0;
    for (let c = 0; c < cuts.length; c++) {
      gl += gb[c] ?? 0;
      hl += hb[c] ?? 0;
      const hr = H - hl;
      if (hl < 1 || hr < 1) continue;
      const gain = (gl * gl) / (hl + lambda) + ((G - gl) * (G - gl)) / (hr + lambda) - parent;
      if (gain > (best?.gain ?? 0)) best = { gain, f, t: cuts[c] ?? 0 };
    }
  });
  return best;
}

function grow(d: Rows, idx: readonly number[], depth: number, o: BoostOptions): IndexTree {
  let G = 0;
  let H = 0;
  for (const r of idx) {
    G += d.g[r] ?? 0;
    H += d.h[r] ?? 0;
  }
  const leaf = { v: (-G / (H + o.lambda)) * o.eta };
  const split = depth > 0 && idx.length >= 20 ? bestSplit(d, idx, G, H, o.lambda) : undefined;
  if (split === undefined) return leaf;
  const left = idx.filter((r) => (d.x[r]?.[split.f] ?? 0) <= split.t);
  const right = idx.filter((r) => (d.x[r]?.[split.f] ?? 0) > split.t);
  return { f: split.f, t: split.t, l: grow(d, left, depth - 1, o), r: grow(d, right, depth - 1, o) };
}

/** Boost from the linear logits `base(x)`; `none` is the fixed logit of "none of these". */
export function fitBoost(groups: readonly Group[], base: (x: readonly number[]) => number, none: number, k: number, o: BoostOptions = BOOST_DEFAULTS): IndexTree[] {
  const x = groups.flatMap((grp) => grp.x);
  const z = Float64Array.from(x, base);
  const d: Rows = { x, g: new Float64Array(x.length), h: new Float64Array(x.length), cuts: thresholds(x, k) };
  const all = x.map((_, i) => i);
  const trees: IndexTree[] = [];
  for (let round = 0; round < o.rounds; round++) {
    let off = 0;
    for (const grp of groups) {
      const n = grp.x.length;
      softmaxWithNone(z.subarray(off, off + n), none).forEach((p, j) => {
        d.g[off + j] = p - (j === grp.y ? 1 : 0);
        d.h[off + j] = Math.max(p * (1 - p), 1e-6);
      });
      off += n;
    }
    const tree = grow(d, all, o.depth, o);
    trees.push(tree);
    for (let i = 0; i < x.length; i++) z[i] = (z[i] ?? 0) + treeValue(tree, x[i] ?? []);
  }
  return trees;
}

export interface Scorer {
  /** Linear weights, then the "none" logit last. */
  readonly theta: readonly number[];
  readonly trees: readonly IndexTree[];
  readonly score: (x: readonly number[]) => number;
  readonly meanLogLik: number;
}

/** The whole scorer as the correlator uses it: the conditional logit, then boosted trees on top (none when rounds = 0). */
export function fitScorer(groups: readonly Group[], k: number, lambda: number, o: BoostOptions = BOOST_DEFAULTS): Scorer {
  const { theta, meanLogLik } = fitLogit(groups, k, lambda);
  const linear = (x: readonly number[]): number => dot(x, theta);
  const trees = o.rounds > 0 ? fitBoost(groups, linear, theta[k] ?? 0, k, o) : [];
  const score = (x: readonly number[]): number => trees.reduce((s, t) => s + treeValue(t, x), linear(x));
  return { theta, trees, score, meanLogLik };
}
