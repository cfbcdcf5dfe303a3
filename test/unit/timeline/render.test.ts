import assert from 'node:assert/strict';
import { isEpicenterError } from '../../../src/errors';
import type { StoredAnalysis } from '../../../src/ports';
import { MemoryStore } from '../../../src/store/memory';
import { buildTimeline } from '../../../src/timeline/build';
import { renderHtml } from '../../../src/timeline/html';
import { renderMarkdown } from '../../../src/timeline/markdown';
import { renderTimeline, storedAnalysisNear } from '../../../src/timeline/render';
import { analysis, AT, breakpoints, changes, input, min, series, topology } from './fixture';

const FAKE_ASSETS = { chartJs: '/* chart.js */', annotationPlugin: '/* annotation */' };
const HOSTILE = 'pool size | <img src=x onerror=alert(1)> </script><script>alert(2)</script>';

function hostileInput() {
  return input({ changes: changes.map((c) => (c.id === 'cfg-b-1' ? { ...c, summary: HOSTILE } : c)) });
}

function dataBlock(html: string): { from: number; to: number; charts: { canvasId: string; annotations: Record<string, unknown>; points: unknown[] }[] } {
  const m = /<script type="application\/json" id="timeline-data">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'data block present');
  return JSON.parse(m[1]!) as ReturnType<typeof dataBlock>;
}

describe('timeline/renderMarkdown', () => {
  it('names the top suspect first and lists every event in a table row', () => {
    const t = buildTimeline(input());
    const md = renderMarkdown(t);
    const cause = md.indexOf('## Most likely cause');
    assert.ok(md.indexOf('config change on B**', cause) > cause);
    assert.match(md, /change id cfg-b-1/);
    const rows = md.split('\n').filter((l) => /^\| \d\d:\d\d:\d\d \|/.test(l));
    assert.equal(rows.length, t.events.length);
    assert.match(md, /\*\*suspect #1 \(87%\)\*\*/);
    assert.match(md, /The rollback on A at 14:20:00 did not help/);
  });

  it('escapes hostile text so it cannot break the table or inject HTML', () => {
    const md = renderMarkdown(buildTimeline(hostileInput()));
    const row = md.split('\n').find((l) => l.startsWith('|') && l.includes('pool size'));
    assert.ok(row);
    assert.equal(row.split(/(?<!\\)\|/).length, 8, 'still 6 cells');
    assert.doesNotMatch(md, /<img|<\/?script/);
  });
});

describe('timeline/renderHtml', () => {
  it('is one self-contained page: no external src/href, assets and data inlined', () => {
    const html = renderHtml(buildTimeline(input()), FAKE_ASSETS);
    assert.match(html, /^<!doctype html>/);
    assert.doesNotMatch(html, /\s(src|href)\s*=/i);
    assert.ok(html.includes('/* chart.js */') && html.includes('/* annotation */'));
    assert.ok(html.indexOf('/* chart.js */') < html.indexOf('/* annotation */'), 'Chart.js loads before the plugin');
  });

  it('has one canvas per key series and chart specs with breakpoint, change, alert and limit annotations', () => {
    const t = buildTimeline(input());
    const html = renderHtml(t, FAKE_ASSETS);
    assert.equal((html.match(/<canvas /g) ?? []).length, t.keySeries.length);
    const data = dataBlock(html);
    assert.equal(data.charts.length, 2);
    const fdChart = data.charts[0]!;
    const keys = Object.keys(fdChart.annotations);
    for (const k of ['bp_0', 'alert', 'limit']) assert.ok(keys.includes(k), `has ${k}: ${keys.join(',')}`);
    assert.ok(keys.some((k) => k.startsWith('suspect1_')));
    assert.ok(keys.some((k) => k.startsWith('rollback_')));
    assert.equal(data.from, t.from);
  });

  it('escapes hostile text everywhere, including inside the JSON data block', () => {
    const html = renderHtml(buildTimeline(hostileInput()), FAKE_ASSETS);
    assert.doesNotMatch(html, /<img src=x/);
    assert.equal((html.match(/<script/g) ?? []).length, 4, 'only our own four script elements');
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  it('renders an empty incident without charts or suspects', () => {
    const t = buildTimeline(input({ analysis: { ...analysis, suspects: [] }, breakpoints: [], series: [], changes: [], alert: undefined }));
    const html = renderHtml(t, FAKE_ASSETS);
    assert.match(html, /No suspect change found/);
    assert.doesNotMatch(html, /<canvas/);
  });
});

describe('timeline/renderTimeline', () => {
  async function loaded(): Promise<MemoryStore> {
    const store = new MemoryStore();
    await store.insertChanges(changes);
    await store.insertBreakpoints(breakpoints);
    await store.insertPoints(series.flatMap((s) => s.points.map((p) => ({ series: s.series, t: p.t, v: p.v }))));
    return store;
  }
  const stored: StoredAnalysis = { ...analysis, id: 'A@x', createdAt: min(31) };
  const q = { service: 'A', at: AT, windowMs: 3600_000, afterMs: 1800_000 };

  it('gathers changes, breakpoints and points from the store and renders both formats', async () => {
    const store = await loaded();
    let asked: unknown;
    const r = await renderTimeline(store, topology, q, (_s, _t, qq) => ((asked = qq), Promise.resolve(stored)), FAKE_ASSETS);
    assert.deepEqual(asked, q);
    assert.equal(r.timeline.keySeries.length, 2);
    assert.ok(r.timeline.events.some((e) => e.ref === 'rb-b-1'), 'a change at the window end is kept');
    assert.match(r.markdown, /# Postmortem timeline: A/);
    assert.match(r.html, /<canvas id="chart-1"/);
  });

  it('falls back to the stored analysis nearest to `at`, and says so when there is none', async () => {
    const store = await loaded();
    await assert.rejects(storedAnalysisNear(store, q), (e) => isEpicenterError(e) && e.code === 'NOT_FOUND' && /no stored analysis of service 'A'/.test(e.message));
    await store.insertAnalysis({ ...stored, id: 'far', at: min(-50), createdAt: min(40) });
    await store.insertAnalysis(stored);
    assert.equal((await storedAnalysisNear(store, q)).id, 'A@x');
    const r = await renderTimeline(store, topology, q, undefined, FAKE_ASSETS);
    assert.equal(r.timeline.suspects[0]?.id, 'cfg-b-1');
  });
});
