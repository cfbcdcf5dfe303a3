import assert from 'node:assert/strict';
import { buildTimeline } from '../../../src/timeline/build';
import { chartSpecs, type ChartSpec } from '../../../src/timeline/charts';
import { describeBreakpoint, instanceOf, seriesTitle } from '../../../src/timeline/describe';
import { makeSeries } from '../../../src/domain/series';
import { labelWidth, layoutLabels, MIN_PLOT_PX } from '../../../src/timeline/layout';
import { renderMarkdown } from '../../../src/timeline/markdown';
import { fmtSlope, fmtValue } from '../../../src/timeline/units';
import { exampleTimeline } from './example';
import { analysis, bMem, bp, breakpoints, change, changes, input, min } from './fixture';

/** Issue 10, item 14: the page is easy to read — axis, ticks, labels, units, dates, Markdown key series. */

const HOUR = 3_600_000;

/** The labelled markers of a chart as estimated boxes (px at the narrowest plot), by row. */
function labelBoxes(spec: ChartSpec): { row: number; left: number; right: number; text: string }[] {
  const out: { row: number; left: number; right: number; text: string }[] = [];
  for (const a of Object.values(spec.annotations)) {
    const label = a['label'] as { content: string; yAdjust?: number } | undefined;
    if (label === undefined || typeof a['xMin'] !== 'number') continue;
    const w = labelWidth(label.content);
    const centre = ((a['xMin'] - spec.xMin) / (spec.xMax - spec.xMin)) * MIN_PLOT_PX;
    const left = Math.max(0, Math.min(MIN_PLOT_PX - w, centre - w / 2));
    out.push({ row: label.yAdjust ?? 0, left, right: left + w, text: label.content });
  }
  return out;
}

function assertNoOverlap(spec: ChartSpec): void {
  const boxes = labelBoxes(spec);
  for (const a of boxes) {
    assert.ok(a.left >= 0 && a.right <= MIN_PLOT_PX, `label ${a.text} inside the plot`);
    for (const b of boxes) if (a !== b && a.row === b.row) assert.ok(a.right <= b.left || b.right <= a.left, `labels ${a.text} and ${b.text} overlap`);
  }
}

describe('timeline readability (issue 10, item 14)', function () {
  this.timeout(120_000);

  it('the x axis spans the data, not the hours of window before it, and ends a little after the page', () => {
    const t = buildTimeline(input({ analysis: { ...analysis, from: min(-360), to: min(120) } }));
    const [spec] = chartSpecs(t);
    assert.equal(spec?.xMin, min(-60), 'starts at the first point present');
    assert.ok(spec !== undefined && spec.xMax >= min(10) && spec.xMax <= min(30), `ends after the story (the fixing rollback at +10): ${new Date(spec?.xMax ?? 0).toISOString()}`);
  });

  it('ticks sit on round times', async () => {
    const { timeline } = await exampleTimeline();
    for (const spec of [...chartSpecs(timeline), ...chartSpecs(buildTimeline(input()))]) {
      assert.ok(spec.xTicks.length >= 3 && spec.xTicks.length <= 9, `${spec.xTicks.length} ticks`);
      const step = (spec.xTicks[1] ?? 0) - (spec.xTicks[0] ?? 0);
      assert.ok([10, 15, 30, 60].map((m) => m * 60_000).includes(step), `round step ${step}`);
      for (const x of spec.xTicks) assert.equal(x % step, 0, `tick ${new Date(x).toISOString()} on a multiple of the step`);
    }
    const [ex] = chartSpecs(timeline);
    assert.equal(new Date(ex?.xMin ?? 0).toISOString(), '2026-03-12T09:30:00.000Z', 'the bundled data starts at 09:30');
    assert.ok((ex?.xMax ?? Infinity) <= Date.UTC(2026, 2, 12, 14, 30), 'ends a little after the last rollback (14:05), not at 15:30');
  });

  it('change labels do not overlap or leave the plot; on a busy system other changes fold into faint ticks', async () => {
    assert.deepEqual(layoutLabels([{ time: 0, text: '#1 config order-sync', priority: 1 }, { time: 60_000, text: 'page', priority: 0 }, { time: 10 * HOUR, text: 'rollback x', priority: 3 }], { min: 0, max: 10 * HOUR }), [1, 0, 0]);
    const { timeline } = await exampleTimeline();
    for (const spec of chartSpecs(timeline)) assertNoOverlap(spec);
    const busy = Array.from({ length: 40 }, (_, i) => change(`noise-${i}`, i % 2 === 0 ? 'B' : 'db', 'config', -59 + i * 2, { team: 'team-x', summary: `tweak ${i}` }));
    const t = buildTimeline(input({ changes: [...changes, ...busy] }));
    for (const spec of chartSpecs(t)) {
      assertNoOverlap(spec);
      assert.ok(spec.otherChanges.length >= 40, 'the other changes are ticks');
      const lines = Object.keys(spec.annotations).filter((k) => k.startsWith('change_'));
      assert.deepEqual(lines, [], 'no full-height line per unrelated change');
      assert.deepEqual(labelBoxes(spec).map((b) => b.text).sort(), ['#1 config B', '#2', 'onset', 'page', 'recovered', 'rollback A', 'rollback B'], 'only the story is labelled');
    }
  });

  it('bytes and durations read in units: MiB on the memory chart and in the text', async () => {
    assert.equal(fmtValue(429 * 2 ** 20, 'By'), '429 MiB');
    assert.equal(fmtValue(3.5 * 2 ** 30, 'By'), '3.5 GiB');
    assert.equal(fmtValue(0.25, 's'), '250 ms');
    assert.equal(fmtValue(1024, '{file}'), '1,024');
    assert.equal(fmtSlope(-157e6, 'By'), '−2.5 MiB/min');
    assert.match(describeBreakpoint(bp(bMem, -10, 'level_up', 4e8, 5e8)), /level up 381 MiB → 477 MiB/);
    const { timeline } = await exampleTimeline();
    const mem = chartSpecs(timeline).find((s) => s.title.startsWith('process.memory.usage'));
    assert.equal(mem?.unit, 'MiB');
    assert.ok(mem.lines.every((l) => l.points.every((p) => p.y < 1024)), 'values drawn in MiB');
  });

  it('exhaustion times carry a date', () => {
    const t = buildTimeline(input());
    const fdRow = t.events.find((e) => e.kind === 'breakpoint' && e.ref === breakpoints[1]!.series.id);
    assert.match(fdRow?.text ?? '', /reaches limit 1,024 ≈2024-05-01 14:32Z/);
  });

  it('Markdown key series name the instance and show slope changes as slopes per minute', async () => {
    const md = renderMarkdown(buildTimeline(input()));
    const key = md.slice(md.indexOf('## Key series'));
    assert.match(key, /- 13:52:00 a-1: trend flat → \+10\/min at 600; reaches limit 1,024 ≈2024-05-01 14:32Z/);
    assert.doesNotMatch(key, /\(120 → 600\)/, 'not level → level for a slope change');
    const { markdown } = await exampleTimeline();
    const ex = markdown.slice(markdown.indexOf('## Key series'));
    assert.match(ex, /- 13:14:00 checkout-api-99e68: level up 461 → 1,013; at 99% of its limit 1,024/);
    assert.match(ex, /order-sync-626ef: trend \+0\.00762\/min → \+88\.5\/min at 25\.1/);
  });
});

describe('timeline titles of Kubernetes pods', () => {
  it('name the pod as the instance and leave node, workload and image out of the title', () => {
    const labels = { 'service.name': 'checkout', 'k8s.pod.name': 'checkout-7d9f8c6b5-x2x4q', 'k8s.node.name': 'node-3', 'k8s.namespace.name': 'shop', 'k8s.deployment.name': 'checkout', 'container.image.tag': '2.0', 'server.address': 'payments' };
    const ref = makeSeries('http.client.request.duration', labels);
    assert.equal(seriesTitle(ref), 'http.client.request.duration{server.address=payments}');
    assert.equal(instanceOf(ref), 'checkout-7d9f8c6b5-x2x4q');
  });
});
