import assert from 'node:assert/strict';
import { renderReplay } from '../../../src/timeline';
import { buildSnapshot, predict, type Proposal } from '../../../src/whatif';
import { replay } from '../../../src/whatif/replay';
import { HOUR, T0, TOPOLOGY, twoServices } from '../whatif/fixtures';

const AT = T0 + 27 * HOUR;
const FROM = T0 + 20 * HOUR;
const TO = T0 + 32 * HOUR;
const EVIL = '<img src=x onerror=alert(1)></script><script>alert(2)</script> | **bold**';

function page(to: number, summary = 'a: pool 10 → n') {
  const p: Proposal = { id: 'p-pool', type: 'config', service: 'a', team: 'alpha', summary, time: AT, keys: ['http.client.pool.min_idle'], quantities: { settings: [{ key: 'http.client.pool.min_idle', from: 10, to, peer: 'b' }] } };
  const series = twoServices(32);
  const prediction = predict(buildSnapshot({ series, changes: [], topology: TOPOLOGY, until: AT }), p);
  const result = replay({ series, changes: [], topology: TOPOLOGY, proposal: p, prediction, from: FROM, to: TO });
  return renderReplay({ proposal: p, prediction, result, changes: [], topology: TOPOLOGY, from: FROM, to: TO }, { chartJs: '/*chart*/', annotationPlugin: '/*annotation*/' });
}

describe('timeline: the what-if replay page', () => {
  it('charts recorded vs replayed series of each predicted effect with the limit, and says it would have paged and named the change', () => {
    const r = page(400);
    assert.match(r.markdown, /\*\*Would have paged\*\*: b process\.open\\_file\\_descriptor\.count reaches/);
    assert.match(r.markdown, /epicenter would have named it: #1 suspect/);
    const fd = r.timeline.keySeries.find((k) => k.service === 'b' && k.metric === 'process.open_file_descriptor.count');
    assert.ok(fd !== undefined);
    assert.equal(fd.limit, 1024);
    assert.equal(fd.paged, true);
    assert.deepEqual(fd.lines.map((l) => l.label), ['recorded', 'predicted (replayed)']);
    const [rec, pred] = fd.lines.map((l) => Math.max(...l.points.filter((x) => x.t >= AT).map((x) => x.v)));
    assert.ok(rec! < 1024 && pred! >= 1024, `${rec} → ${pred}`);
    assert.equal(r.timeline.chartEnd, TO);
    assert.match(r.html, /<section class="verdict" id="replay">/);
    assert.match(r.html, /<section class="verdict" id="verdict">/, 'the correlator\'s verdict follows');
  });

  it('without a page: says so, shows no correlator verdict and no page marker', () => {
    const r = page(12);
    assert.match(r.markdown, /\*\*Would not have paged\*\*/);
    assert.doesNotMatch(r.html, /id="verdict"/);
    assert.ok(r.timeline.events.every((e) => e.kind !== 'alert'));
  });

  it('escapes a hostile proposal summary in both renderings', () => {
    const r = page(400, EVIL);
    assert.ok(!r.html.includes('<img src=x') && !r.html.includes('<script>alert'), 'no markup from the summary');
    assert.ok(r.html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!r.markdown.includes('<img') && r.markdown.includes('\\*\\*bold\\*\\*'));
  });
});
