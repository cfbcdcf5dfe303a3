import type { Analysis, ChangeEvent, Point, SeriesRef, Topology } from '../domain/types';
import type { SeriesData } from '../ports';
import { effectKeyOf, proposalChange, type ReplayResult } from '../whatif/replay';
import type { Prediction, Proposal } from '../whatif/types';
import { pushTo } from '../whatif/util';
import { buildTimeline } from './build';
import { COLORS } from './charts';
import { renderHtml, type ChartAssets } from './html';
import { renderMarkdown } from './markdown';
import { replayFrame, type ChartedEffect } from './replay-frame';
import { MAX_KEY_SERIES, MAX_POINTS_PER_SERIES, type KeySeries, type Timeline } from './types';

/**
 * The replay of a proposal as a timeline page: the recorded window with the predicted effects
 * injected, run through the same timeline code as `epicenter timeline` — events, the correlator's
 * suspects at the page, charts — with charts of recorded vs predicted series and their limits
 * instead of the postmortem's key series, and a first section saying whether it would have paged
 * and whether epicenter would have named the change.
 */
export interface ReplayPageInput {
  readonly proposal: Proposal;
  readonly prediction: Prediction;
  readonly result: ReplayResult;
  /** The recorded change log (the proposal is added to it). */
  readonly changes: readonly ChangeEvent[];
  readonly topology: Topology;
  readonly from: number;
  readonly to: number;
}

const RECORDED_COLOR = '#64748b';
const PREDICTED_COLOR = COLORS.topSuspect;

/** Highest value over the series at each time bucket: limits are per process, so the worst instance is what pages. */
function envelope(series: readonly SeriesData[], stepMs: number): Point[] {
  const top = new Map<number, number>();
  for (const s of series) {
    for (const p of s.points) {
      const b = Math.floor(p.t / stepMs) * stepMs;
      const v = top.get(b);
      if (v === undefined || p.v > v) top.set(b, p.v);
    }
  }
  return [...top.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v }));
}

const peakOf = (pts: readonly Point[], from: number): number => pts.reduce((m, p) => (p.t >= from ? Math.max(m, p.v) : m), -Infinity);

/** One chart per effect (breaches first, as the prediction orders them) that has recorded series in the window. */
function effectCharts(input: ReplayPageInput, analysis: Analysis): { keySeries: KeySeries[]; charted: ChartedEffect[] } {
  const { proposal: p, result } = input;
  const known = new Set([...input.topology.services.map((s) => s.name), ...result.recorded.map((s) => s.series.service)]);
  const keyOf = effectKeyOf(known);
  const group = (list: readonly SeriesData[]): Map<string, SeriesData[]> => {
    const m = new Map<string, SeriesData[]>();
    for (const s of list) pushTo(m, keyOf(s.series), s);
    return m;
  };
  const recorded = group(result.recorded);
  const injected = group(result.injected);
  const stepMs = Math.max(60_000, Math.ceil((input.to - input.from) / MAX_POINTS_PER_SERIES / 60_000) * 60_000);
  const keySeries: KeySeries[] = [];
  const charted: ChartedEffect[] = [];
  for (const e of input.prediction.effects) {
    if (keySeries.length >= MAX_KEY_SERIES) break;
    const k = keyOf({ service: e.service, metric: e.metric, labels: e.peer === undefined ? {} : { 'server.address': e.peer }, id: '' });
    const rec = recorded.get(k);
    const inj = injected.get(k);
    if (rec === undefined || inj === undefined || keySeries.some((x) => x.key === k)) continue;
    const refs: SeriesRef[] = rec.map((s) => s.series);
    const ids = new Set(refs.map((r) => r.id));
    const before = envelope(rec, stepMs);
    const after = envelope(inj, stepMs);
    const title = `${e.metric}${e.peer === undefined ? '' : ` → ${e.peer}`} · highest instance`;
    const paged = result.page !== undefined && result.page.service === e.service && result.page.metric === e.metric;
    keySeries.push({
      key: k, service: e.service, metric: e.metric, ...(refs[0]?.unit === undefined ? {} : { unit: refs[0].unit }),
      role: e.service === p.service ? 'suspect' : 'victim', title: `${e.service} · ${title}`,
      lines: [
        { label: 'recorded', series: refs, points: before, color: RECORDED_COLOR },
        { label: 'predicted (replayed)', series: refs, points: after, color: PREDICTED_COLOR },
      ],
      breakpoints: analysis.breakpoints.filter((b) => ids.has(b.series.id)),
      recoveries: [],
      ...(paged ? { paged: true } : {}),
      ...(e.limit === undefined ? {} : { limit: e.limit }),
    });
    charted.push({ effect: e, recordedPeak: peakOf(before, p.time), replayedPeak: peakOf(after, p.time), unit: refs[0]?.unit });
  }
  return { keySeries, charted };
}

/** The replay as a Timeline (the page's data) and the frame of its first section. */
export function buildReplayTimeline(input: ReplayPageInput): { timeline: Timeline; charted: ChartedEffect[] } {
  const { proposal: p, result } = input;
  const page = result.page;
  const analysis: Analysis = result.analysis ?? { service: p.service, at: p.time, from: input.from, to: input.to, suspects: [], breakpoints: [] };
  const tl = buildTimeline({
    service: page?.service ?? p.service,
    at: page?.at ?? p.time,
    analysis,
    changes: [...input.changes.filter((c) => c.id !== p.id), proposalChange(p)],
    breakpoints: [],
    series: result.injected,
    topology: input.topology,
    ...(page === undefined ? {} : { alert: { name: `${page.metric} reaches its limit (replayed)`, startsAt: page.at }, pagedMetric: page.metric }),
  });
  const { keySeries, charted } = effectCharts(input, analysis);
  // Without a page there is no alert: drop the stand-in "asked about" row buildTimeline always adds.
  const events = page === undefined ? tl.events.filter((e) => e.kind !== 'alert') : tl.events;
  return { timeline: { ...tl, events, keySeries, chartEnd: input.to }, charted };
}

export interface RenderedReplay {
  readonly markdown: string;
  readonly html: string;
  readonly timeline: Timeline;
}

/** Markdown and self-contained HTML of the replay, through the timeline's renderers. */
export function renderReplay(input: ReplayPageInput, assets: ChartAssets): RenderedReplay {
  const { timeline, charted } = buildReplayTimeline(input);
  const frame = replayFrame(input.proposal, input.prediction, input.result, charted);
  return { markdown: renderMarkdown(timeline, frame), html: renderHtml(timeline, assets, frame), timeline };
}
