import assert from 'node:assert/strict';
import { makeSeries } from '../../../src/domain/series';
import type { Point } from '../../../src/domain/types';
import { buildTimeline } from '../../../src/timeline/build';
import { chartSpecs } from '../../../src/timeline/charts';
import { renderHtml } from '../../../src/timeline/html';
import { renderMarkdown } from '../../../src/timeline/markdown';
import { verdict } from '../../../src/timeline/verdict';
import { exampleTimeline, truth } from './example';
import { analysis, AT, bp, breakpoints, fds, input, min, series } from './fixture';

/**
 * Issue 10, item 13: the timeline tells the story of the trouble that paged — its onset, its
 * recovery (or that there was none), the page itself, and a headline that matches the score.
 */

const FAKE_ASSETS = { chartJs: '', annotationPlugin: '' };

function points(from: number, to: number, f: (m: number) => number): Point[] {
  const out: Point[] = [];
  for (let m = from; m <= to; m += 0.5) out.push({ t: min(m), v: f(m) });
  return out;
}

/** A's fds climb to the limit and stay there (crash dips every 10 min); A's db pool dips and comes back. */
function stuckAtLimit() {
  const pool = makeSeries('db.client.connection.count', { 'service.name': 'A', 'service.instance.id': 'a-1' }, 'A', '{connection}');
  const stuck = points(-60, 30, (m) => (m < -38 ? 120 : Math.min(1020, 120 + (m + 38) * 18) - (m > 0 && Math.round(m) % 10 === 0 ? 400 : 0)));
  return input({
    series: [{ series: fds, points: stuck }, { series: pool, points: points(-60, 30, (m) => (m >= -20 && m < -5 ? 4 : 12)) }, ...series.slice(1)],
    breakpoints: [breakpoints[0]!, breakpoints[1]!, bp(pool, -20, 'level_down', 12, 4), bp(pool, -5, 'level_up', 4, 12)],
  });
}

describe('timeline story (issue 10, item 13)', function () {
  this.timeout(120_000);
  it('recovery means the paged trouble went away: never "recovered" while the fds sit at the limit', () => {
    const t = buildTimeline(stuckAtLimit());
    assert.deepEqual(t.events.filter((e) => e.kind === 'recovery'), [], 'the db pool coming back is not the recovery');
    assert.ok(t.keySeries.every((k) => k.recoveries.length === 0));
    const v = verdict(t);
    assert.ok(!v.notes.some((n) => n.startsWith('Recovery')), v.notes.join(' | '));
    assert.ok(v.notes.some((n) => /^No recovery by 15:00:00/.test(n)), v.notes.join(' | '));
    assert.ok(!Object.keys(chartSpecs(t)[0]!.annotations).some((k) => k.startsWith('recovery')));
  });

  it('the bundled incident does not recover: the fds stay at the 1024 limit through the rollbacks', async () => {
    const { timeline: t, markdown } = await exampleTimeline();
    assert.equal(t.trouble?.metric, truth.metric);
    assert.deepEqual(t.events.filter((e) => e.kind === 'recovery').map((e) => e.text), []);
    assert.doesNotMatch(markdown, /Recovery at/);
    assert.match(markdown, /No recovery by 15:29:00/);
    assert.equal(t.events.find((e) => e.ref === 'chg-bf841585')?.helped, false, "checkout-api's rollback did not help");
  });

  it('the onset is the first breakpoint of the paged series, not a step on an unrelated edge', () => {
    const edge = makeSeries('http.client.open_connections', { 'service.name': 'A', 'service.instance.id': 'a-1', 'server.address': 'db' }, 'A', '{connection}');
    const t = buildTimeline(
      input({
        series: [...series, { series: edge, points: points(-60, 30, (m) => (m < -45 ? 8 : 30)) }],
        breakpoints: [...breakpoints, bp(edge, -45, 'level_up', 8, 30, { confidence: 0.95 })],
      }),
    );
    assert.equal(t.onset, min(-38));
    assert.equal(t.trouble?.first.series.id, fds.id);
  });

  it('on the bundled incident the onset is the fd climb, after the cause', async () => {
    const { timeline: t } = await exampleTimeline();
    assert.equal(t.trouble?.first.series.metric, truth.metric);
    assert.equal(new Date(t.onset ?? 0).toISOString(), '2026-03-12T13:07:00.000Z');
    assert.ok((t.onset ?? 0) > truth.cause.time, 'trouble begins after the cause');
  });

  it('the page always has a row and a marker, also without --alert', () => {
    const t = buildTimeline(input({ alert: undefined }));
    const page = t.events.filter((e) => e.kind === 'alert');
    assert.deepEqual(page.map((e) => [e.time, e.detail]), [[AT, 'page']]);
    for (const spec of chartSpecs(t)) assert.equal((spec.annotations['page'] as { xMin: number }).xMin, AT);
    assert.match(renderMarkdown(t), /\| 14:30:00 \| T±0 \| team-a \| A \| alert \| page: A asked about/);
    const alerted = buildTimeline(input());
    assert.equal(alerted.events.filter((e) => e.kind === 'alert').length, 1, 'with an alert, the alert is the page');
  });

  it('the headline follows the score: no "Most likely cause" over a 4% suspect', () => {
    const weak = analysis.suspects.map((s, i) => ({ ...s, score: i === 0 ? 0.04 : 0.01 }));
    const t = buildTimeline(input({ analysis: { ...analysis, suspects: weak } }));
    const md = renderMarkdown(t);
    assert.doesNotMatch(md, /Most likely cause/);
    assert.match(md, /## No clear cause/);
    assert.match(md, /\*\*No clear cause; top suspect at 4%\*\*: config change on B/);
    const html = renderHtml(t, FAKE_ASSETS);
    assert.match(html, /<section class="verdict none" id="verdict"><h2>No clear cause<\/h2>/);
    assert.match(renderMarkdown(buildTimeline(input())), /## Most likely cause\n\n\*\*config change on B\*\*/, 'a strong suspect (87%) is named as the cause');
  });
});
