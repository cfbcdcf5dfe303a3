/**
 * Fitting the acute weights (src/correlate/acute-model.ts) on real incidents and scoring held-out
 * ones: leave-one-system-out and leave-one-day-out. Each incident gives one group (candidates'
 * vectors, the cause's index) and a copy with the cause removed from the change log (the answer is
 * then "none of these"), so the fit learns how sure to be when nothing explains the trouble.
 */
import { ACUTE_FEATURES, acuteVector, logit, MODEL, modelLogit, softmaxWithNone, withQuiet, type AcuteModel, type CandidateEvidence } from '../../src/correlate';
import { fitLogit, type Group } from '../correlate/logit';

export interface Case {
  readonly key: { readonly system: string; readonly day: string };
  readonly causeId: string;
  readonly evidence: readonly CandidateEvidence[];
}

/** The group of one analysis: the acute vectors, the gated model logit as a fixed offset. */
const group = (ev: readonly CandidateEvidence[], y: number): Group => ({ x: ev.map(acuteVector), y, offset: ev.map((e) => e.gate * modelLogit(e)) });

export function groupsOf(cases: readonly Case[]): Group[] {
  const out: Group[] = [];
  for (const c of cases) {
    out.push(group(c.evidence, c.evidence.findIndex((e) => e.change.id === c.causeId)));
    out.push(group(withQuiet(c.evidence.filter((e) => e.change.id !== c.causeId)), -1));
  }
  return out;
}

/** Acute weights fitted on `cases`, the model's logits and "none" logit held fixed. */
export function fitAcute(cases: readonly Case[], note: string): AcuteModel {
  const { theta } = fitLogit(groupsOf(cases), ACUTE_FEATURES.length, 0.02, 2000, MODEL.none);
  const r = (v: number | undefined): number => Math.round((v ?? 0) * 1000) / 1000;
  const weights = Object.fromEntries(ACUTE_FEATURES.map((f, k) => [f, r(theta[k])])) as Record<(typeof ACUTE_FEATURES)[number], number>;
  return { weights, fittedOn: note };
}

/** Scores of a case's candidates under `m` (same order as its evidence). */
export function scoreCase(c: Case, m: AcuteModel): number[] {
  return softmaxWithNone(c.evidence.map((e) => logit(e, MODEL, m)), MODEL.none);
}
