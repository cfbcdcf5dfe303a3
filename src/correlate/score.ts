import { ACUTE, type AcuteModel } from './acute-model';
import { ACUTE_FEATURES, FEATURES, type CandidateEvidence } from './features';
import { MODEL, type Model } from './model';
import { treeValue } from './trees';

/** The simulator-fitted part of the logit: linear evidence weights plus the boosted trees' corrections. */
export function modelLogit(e: CandidateEvidence, model: Model = MODEL): number {
  let z = 0;
  for (const f of FEATURES) z += model.weights[f] * e.x[f];
  for (const t of model.trees) z += treeValue(t, e.x);
  return z;
}

/** The candidate's logit: the model's (as far as breakpoints back it, `gate`), plus the acute evidence weighed on real incidents. */
export function logit(e: CandidateEvidence, model: Model = MODEL, acute: AcuteModel = ACUTE): number {
  let z = e.gate * modelLogit(e, model);
  for (const f of ACUTE_FEATURES) z += acute.weights[f] * e.a[f];
  return z;
}

/**
 * Scores that mean what they say: a softmax over the candidates plus a "none of these" option,
 * so each score estimates P(this change is the cause | evidence) and they sum to at most 1.
 */
export function scoreAll(evidence: readonly CandidateEvidence[], model: Model = MODEL, acute: AcuteModel = ACUTE): number[] {
  return softmaxWithNone(evidence.map((e) => logit(e, model, acute)), model.none);
}

/** P(candidate i) from logits `z` beside a "none of these" logit, shifted by the largest for stability. */
export function softmaxWithNone(z: ArrayLike<number>, none: number): number[] {
  let top = none;
  for (let i = 0; i < z.length; i++) top = Math.max(top, z[i] ?? 0);
  const ez = Array.from(z, (v) => Math.exp(v - top));
  const total = ez.reduce((s, v) => s + v, Math.exp(none - top));
  return ez.map((v) => v / total);
}
