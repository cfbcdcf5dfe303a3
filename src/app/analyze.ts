import { createHash } from 'node:crypto';
import { consolidateChanges } from '../changes/merge';
import { analyze, type MetricRule } from '../correlate';
import type { Topology } from '../domain/types';
import { systemClock, type Clock, type Store, type StoredAnalysis } from '../ports';

/** How far before the window changes are read: rollbacks name earlier deploys, and the version history needs them. @default 6 h */
export const CHANGE_LOOKBACK_MS = 6 * 3600_000;

export interface AnalysisRequest {
  readonly service: string;
  /** epoch ms */
  readonly at: number;
  /** Look-back before `at`, ms. */
  readonly windowMs: number;
  /** Look-ahead after `at`, ms. */
  readonly afterMs: number;
  /** A shop's own metric names as golden signals (config/metrics.yaml). */
  readonly metricRules?: readonly MetricRule[];
}

/** Deterministic id of an analysis: the same question asked twice overwrites one row. */
export function analysisId(req: AnalysisRequest): string {
  const h = createHash('sha256').update(`${req.service}\u0000${req.at}\u0000${req.windowMs}\u0000${req.afterMs}`).digest('hex');
  return `an-${h.slice(0, 20)}`;
}

/**
 * Analyse `req.service` around `req.at` from whatever the store holds: points in
 * [at − window, at + after), changes from a little earlier, the same correlator as the CLI, then
 * store the result (idempotently, by its deterministic id). Used by the CLI, the HTTP API, Slack
 * and the embedded demo.
 */
export async function analyzeFromStore(store: Store, topology: Topology, req: AnalysisRequest, clock: Clock = systemClock): Promise<StoredAnalysis> {
  const from = req.at - req.windowMs;
  const to = req.at + req.afterMs;
  const [series, changes] = await Promise.all([store.queryPoints({ from, to }), store.queryChanges({ from: from - CHANGE_LOOKBACK_MS, to })]);
  // One change reported by several sources (a deployment and its rollout) is one candidate.
  const a = analyze({ series, changes: consolidateChanges(changes), topology, service: req.service, at: req.at, windowMs: req.windowMs, afterMs: req.afterMs, metricRules: req.metricRules ?? [] });
  const stored: StoredAnalysis = { ...a, id: analysisId(req), createdAt: clock.now() };
  await store.insertAnalysis(stored);
  return stored;
}
