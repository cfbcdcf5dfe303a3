/** Postmortem timelines: build (pure), render to Markdown and self-contained HTML, gather from a Store. */
export { buildTimeline } from './build';
export { renderMarkdown } from './markdown';
export { renderHtml, type ChartAssets } from './html';
export { renderTimeline, storedAnalysisNear, type AnalyzeFn, type RenderedTimeline, type TimelineQuery } from './render';
export { loadChartAssets } from './assets';
export { escapeHtml, escapeMarkdown, jsonForScript } from './escape';
export { fmtStamp } from './format';
export type { EventKind, KeySeries, PageFrame, Timeline, TimelineAlert, TimelineEvent, TimelineInput } from './types';
export { buildReplayTimeline, renderReplay, type ReplayPageInput, type RenderedReplay } from './replay';
