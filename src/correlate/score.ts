import { FEATURES, type CandidateEvidence } from './features';
import { MODEL, type Model } from './model';
import { treeValue } from './trees';

/** The candidate's logit: the linear evidence weights plus the boosted trees' corrections. */
export function logit(e: CandidateEvidence, model: Model = MODEL): number {
  let z = 0;
  for (const f of FEATURES) z += model.weights[f] * e.x[f];
  for (const t of model.trees) z += treeValue(t, e.x);
  return z;
}

/**
 * Scores that mean what they say: a softmax over the candidates plus a "none of these" option,
 * so each score estimates P(this change is the cause | evidence) and they sum to at most 1.
 */
export function scoreAll(evidence: readonly CandidateEvidence[], model: Model = MODEL): number[] {
  const z = evidence.map((e) => logit(e, model));
  const top = Math.max(model.none, ...z);
  const ez = z.map((v) => Math.exp(v - top));
  const total = ez.reduce((s, v) => s + v, Math.exp(model.none - top));
  return ez.map((v) => v / total);
}
