import type { Analysis, Suspect } from '../domain/types';
import { buildContext, type AnalyzeInput, type Context } from './context';
import { explain, rivalLine } from './explain';
import { acuteBursts } from './explain-acute';
import { acuteView, candidateEvidence, fanIn, lullView, surgeView, victimSide, withQuiet, type CandidateEvidence } from './features';
import { MODEL, type Model } from './model';
import { scoreAll } from './score';

/** Suspects returned, best first. @default 10 */
export const MAX_SUSPECTS = 10;

/**
 * Name the change most likely causing `service`'s trouble at `at`: detect breakpoints (the same
 * detector as the pipeline) in [at − windowMs, at + afterMs) around the service's neighbourhood,
 * gather evidence for every change up to `at`, and rank by a calibrated score with reasons.
 */
export function analyze(input: AnalyzeInput, model: Model = MODEL): Analysis {
  return analyzeContext(buildContext(input), model);
}

/** Rank the candidates of an already built context (tests build one from hand-made breakpoints). */
export function analyzeContext(ctx: Context, model: Model = MODEL): Analysis {
  const ev = contextEvidence(ctx);
  const scores = scoreAll(ev, model);
  const order = ev.map((e, i) => ({ e, score: scores[i] ?? 0 })).sort((a, b) => b.score - a.score || b.e.change.time - a.e.change.time);
  const suspects: Suspect[] = order.slice(0, MAX_SUSPECTS).map(({ e, score }) => {
    const s: Suspect = {
      id: e.change.id,
      service: e.change.service,
      team: e.change.team ?? ctx.graph.owner(e.change.service) ?? 'unknown',
      type: e.change.type,
      time: e.change.time,
      score,
      evidence: explain(ctx, e, model),
    };
    const bursts = acuteBursts(ctx, e);
    return bursts.length === 0 ? s : { ...s, bursts };
  });
  const first = suspects[0];
  const rival = first === undefined ? undefined : rivalLine(ctx, order[0]!.e.change, order.slice(1));
  if (first !== undefined && rival !== undefined) suspects[0] = { ...first, evidence: [...first.evidence, rival] };
  return { service: ctx.victim, at: ctx.at, from: ctx.from, to: ctx.to, suspects, breakpoints: ctx.breakpoints };
}

/** The evidence for every candidate, unscored: what the fitting script and the benchmark learn from. */
export function gatherEvidence(input: AnalyzeInput): { ctx: Context; evidence: CandidateEvidence[] } {
  const ctx = buildContext(input);
  return { ctx, evidence: contextEvidence(ctx) };
}

/** The evidence for every candidate of a built context (the fan-in and victim side are shared by all). */
export function contextEvidence(ctx: Context): CandidateEvidence[] {
  const fan = fanIn(ctx);
  const vs = victimSide(ctx);
  const view = acuteView(ctx);
  const surges = surgeView(ctx);
  const lulls = lullView(ctx);
  return withQuiet(ctx.candidates.map((c) => candidateEvidence(ctx, c, fan, vs, view, surges, lulls)));
}
