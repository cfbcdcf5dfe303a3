import { consolidateChanges } from '../changes/merge';
import type { Topology } from '../domain/types';
import { EpicenterError } from '../errors';
import type { Store, StoredAnalysis } from '../ports';
import { loadChartAssets } from './assets';
import { buildTimeline } from './build';
import { renderHtml, type ChartAssets } from './html';
import { renderMarkdown } from './markdown';
import type { Timeline, TimelineAlert } from './types';

/** What a timeline is asked for. Times epoch ms. */
export interface TimelineQuery {
  readonly service: string;
  /** The time asked about (alert or page time), epoch ms. */
  readonly at: number;
  /** Look-back before `at`, ms (config analysis.windowMs, default 6 h). */
  readonly windowMs: number;
  /** Look-ahead after `at`, ms (config analysis.afterMs, default 1 h). */
  readonly afterMs: number;
  /** The alert that paged, when known (Slack/Alertmanager callers). */
  readonly alert?: TimelineAlert;
}

/** Same shape as `analyzeFromStore` in src/app/analyze.ts, so callers pass it straight in. */
export type AnalyzeFn = (
  store: Store,
  topology: Topology,
  q: { service: string; at: number; windowMs: number; afterMs: number },
) => Promise<StoredAnalysis>;

export interface RenderedTimeline {
  readonly markdown: string;
  readonly html: string;
  readonly timeline: Timeline;
}

/**
 * The stored analysis of `service` closest to `at` (its `at` within the look-back window), for
 * callers that do not pass an analyze function. Throws NOT_FOUND when there is none.
 */
export async function storedAnalysisNear(store: Store, q: TimelineQuery): Promise<StoredAnalysis> {
  const recent = await store.recentAnalyses({ service: q.service, limit: 200 });
  const near = recent
    .filter((a) => a.at >= q.at - q.windowMs && a.at <= q.at + q.afterMs)
    .sort((a, b) => Math.abs(a.at - q.at) - Math.abs(b.at - q.at) || b.createdAt - a.createdAt)[0];
  if (near === undefined) {
    throw new EpicenterError('NOT_FOUND', `timeline: no stored analysis of service '${q.service}' near ${new Date(q.at).toISOString()}; run an analysis first or pass an analyze function`);
  }
  return near;
}

/**
 * Gather what a timeline needs through the Store port and render it both ways: the analysis
 * (from `analyze`, else the nearest stored one), then — over the analysis window — all changes
 * and breakpoints, and the points of the victim and the top suspect's service.
 */
export async function renderTimeline(
  store: Store,
  topology: Topology,
  q: TimelineQuery,
  analyze?: AnalyzeFn,
  assets: ChartAssets = loadChartAssets(),
): Promise<RenderedTimeline> {
  const base = { service: q.service, at: q.at, windowMs: q.windowMs, afterMs: q.afterMs };
  const analysis = analyze === undefined ? await storedAnalysisNear(store, q) : await analyze(store, topology, base);
  // Store ranges are [from, to): widen by 1 ms so events exactly at the window end are kept.
  const range = { from: analysis.from, to: analysis.to + 1 };
  const top = analysis.suspects[0];
  const services = [...new Set([q.service, ...(top === undefined ? [] : [top.service, ...(top.bursts ?? []).map((b) => b.series.service)])])];
  const [changes, breakpoints, series] = await Promise.all([
    store.queryChanges(range),
    store.queryBreakpoints(range),
    store.queryPoints({ ...range, services }),
  ]);
  const timeline = buildTimeline({
    service: q.service,
    at: q.at,
    analysis,
    changes: consolidateChanges(changes),
    breakpoints,
    series,
    topology,
    ...(q.alert === undefined ? {} : { alert: q.alert }),
  });
  return { markdown: renderMarkdown(timeline), html: renderHtml(timeline, assets), timeline };
}
