import assert from 'node:assert/strict';
import { edgeElsewhere, slowedBy } from '../../../src/correlate/features/edges';
import { fanIn } from '../../../src/correlate/features/fanin';
import { pathEvidence } from '../../../src/correlate/features/path';
import { at, bp, change, CONNS, ctxOf, FD, series, step } from './helpers';

// checkout-api releases at 12:34. Its callers' connections to it (web's) grow at 12:36: either web
// pushes more, or checkout-api answers slower and every caller holds its connections longer.
const dep = change('dep', 'checkout-api', 'deploy', at('12:34'), { version: '2.14.0' });
const fds = series('checkout-api', FD, {}, step(540, 900, at('12:36')));
const webConns = series('web', CONNS, { 'server.address': 'checkout-api' }, step(30, 90, at('12:36')));

function withVictim(metric: string, from: string, levels: [number, number]) {
  const s = series('checkout-api', metric, {}, step(levels[0], levels[1], at(from)), { noise: levels[0] * 0.02, int: false });
  return ctxOf([fds, webConns, s], [dep], [bp(fds, at('12:36')), bp(webConns, at('12:36')), bp(s, at(from))]);
}

describe('evidence: a caller link that grew because the victim slowed (Little\'s law)', () => {
  it('regression: callers holding more connections to a victim whose in-flight requests rose with them no longer clear the victim\'s own release', () => {
    const ctx = withVictim('http.server.active_requests', '12:36', [20, 60]);
    const link = ctx.signals.find((s) => s.service === 'web');
    assert.ok(link !== undefined);
    assert.ok(slowedBy(ctx, dep, link) > 0.8, String(slowedBy(ctx, dep, link)));
    assert.ok(edgeElsewhere(ctx, dep, pathEvidence(ctx, dep), fanIn(ctx)).value < 0.2, JSON.stringify(edgeElsewhere(ctx, dep, pathEvidence(ctx, dep), fanIn(ctx)).value));
  });
  it('reads the victim\'s own latency (server side) the same way', () => {
    const ctx = withVictim('http.server.request.duration.p99', '12:35', [0.2, 0.9]);
    assert.ok(edgeElsewhere(ctx, dep, pathEvidence(ctx, dep), fanIn(ctx)).value < 0.2);
  });
  it('still counts the link when the victim slowed only after it grew (the caller pushed first)', () => {
    const ctx = withVictim('http.server.request.duration.p99', '12:40', [0.2, 0.9]);
    assert.ok(edgeElsewhere(ctx, dep, pathEvidence(ctx, dep), fanIn(ctx)).value > 0.8);
  });
  it('still counts the link when nothing on the victim says it slowed', () => {
    const ctx = withVictim('http.server.request.count', '12:36', [100, 300]);
    assert.ok(edgeElsewhere(ctx, dep, pathEvidence(ctx, dep), fanIn(ctx)).value > 0.8);
  });
});

describe('evidence: every caller\'s link into the victim grew at once (fan-in)', () => {
  // No latency or in-flight series on checkout-api: only its callers' pools say it got slow.
  const syncConns = (to: number) => series('order-sync', CONNS, { 'server.address': 'checkout-api' }, step(20, to, at('12:36')));
  it('regression: both callers holding more connections at once do not clear the victim\'s own release (was: each caller\'s link another explanation)', () => {
    const s = syncConns(70);
    const ctx = ctxOf([fds, webConns, s], [dep], [bp(fds, at('12:36')), bp(webConns, at('12:36')), bp(s, at('12:36'))]);
    assert.deepEqual([...fanIn(ctx).moved].sort(), ['order-sync', 'web']);
    assert.ok(edgeElsewhere(ctx, dep, pathEvidence(ctx, dep), fanIn(ctx)).value < 0.2, String(edgeElsewhere(ctx, dep, pathEvidence(ctx, dep), fanIn(ctx)).value));
  });
  it('one caller of two pushing harder is still another explanation', () => {
    const s = syncConns(20);
    const ctx = ctxOf([fds, webConns, s], [dep], [bp(fds, at('12:36')), bp(webConns, at('12:36'))]);
    assert.deepEqual(fanIn(ctx).moved, ['web']);
    assert.ok(edgeElsewhere(ctx, dep, pathEvidence(ctx, dep), fanIn(ctx)).value > 0.8);
  });
});

describe('evidence: a caller link that grew BEFORE the victim\'s own release', () => {
  // web's pool change at 12:00 raises its connections to checkout-api at 12:05; checkout-api's routine
  // release lands at 12:20; its fds climb only after both (the restart hid the rise until then).
  const late = change('late-dep', 'checkout-api', 'deploy', at('12:20'), { version: '2.15.0' });
  const conns = series('web', CONNS, { 'server.address': 'checkout-api' }, step(30, 300, at('12:05')));
  const fd = series('checkout-api', FD, {}, step(540, 900, at('12:22')));
  it('regression: the victim\'s release after a caller began pushing is cleared by that link (was: only links moving after the release counted)', () => {
    const ctx = ctxOf([fd, conns], [late], [bp(fd, at('12:22')), bp(conns, at('12:05'))]);
    assert.ok(edgeElsewhere(ctx, late, pathEvidence(ctx, late), fanIn(ctx)).value > 0.8, String(edgeElsewhere(ctx, late, pathEvidence(ctx, late), fanIn(ctx)).value));
  });
  it('a link that grew more than an hour before the release is another story', () => {
    const early = series('web', CONNS, { 'server.address': 'checkout-api' }, step(30, 300, at('11:00')));
    const ctx = ctxOf([fd, early], [late], [bp(fd, at('12:22')), bp(early, at('11:00'))]);
    assert.ok(edgeElsewhere(ctx, late, pathEvidence(ctx, late), fanIn(ctx)).value < 0.2);
  });
});
