import assert from 'node:assert/strict';
import { candidateEvidence, fanIn } from '../../../src/correlate';
import { changesBetween, delayedAlignment, onsetAlignment, troubleBefore } from '../../../src/correlate/features/onset';
import { pathEvidence } from '../../../src/correlate/features/path';
import { edgeElsewhere } from '../../../src/correlate/features/edges';
import { rollbackEvidence } from '../../../src/correlate/features/rollback';
import { at, bp, change, CONNS, ctxOf, FD, MIN, series, step } from './helpers';

// The fd story, by hand: order-sync's config change at 12:30 multiplies its connections to
// checkout-api (12:33); checkout-api's fds jump at 12:35 towards the 1024 limit; checkout-api
// deploys at 12:34 and rolls back at 13:10 without effect; web's connections stay flat.
const fds = series('checkout-api', FD, {}, step(540, 1000, at('12:35')));
const osConns = series('order-sync', CONNS, { 'server.address': 'checkout-api' }, step(20, 300, at('12:33')));
const webConns = series('web', CONNS, { 'server.address': 'checkout-api' }, () => 30);
const cfg = change('cfg', 'order-sync', 'config', at('12:30'));
const dep = change('dep', 'checkout-api', 'deploy', at('12:34'), { version: '2.14.0' });
const rb = change('rb', 'checkout-api', 'rollback', at('13:10'), { version: '2.13.4', revertOf: 'dep' });
const webChange = change('webcfg', 'web', 'config', at('12:31'));
const far = change('far', 'search', 'config', at('12:32'));
const early = change('early', 'payments', 'deploy', at('10:30'), { version: '9.0.0' });
const story = (): ReturnType<typeof ctxOf> =>
  ctxOf([fds, osConns, webConns], [cfg, dep, rb, webChange, far, early], [bp(fds, at('12:35')), bp(osConns, at('12:33'))]);

describe('evidence: onset alignment', () => {
  const ctx = story();
  it('is high for a change minutes before the victim breaks, whatever the page time', () => {
    assert.ok(onsetAlignment(ctx, cfg).value > 0.8, String(onsetAlignment(ctx, cfg).value));
    assert.equal(ctx.onset, at('12:35'));
  });
  it('is zero for a change after the onset', () => {
    assert.equal(onsetAlignment(ctx, change('late', 'order-sync', 'config', at('13:00'))).value, 0);
  });
  it('decays with delay, but the delayed-effect kernel still credits hours', () => {
    assert.ok(onsetAlignment(ctx, early).value < 0.2);
    assert.ok(delayedAlignment(ctx, early).value > 0.5);
  });
  it('counts trouble that predates the change against it', () => {
    const late = change('late', 'order-sync', 'config', at('13:00'));
    assert.ok(troubleBefore(ctx, late).value > 0.9);
    assert.equal(troubleBefore(ctx, cfg).value, 0);
  });
});

describe('evidence: onset of the trouble', () => {
  it('regression: a request rate that fell earlier does not date the trouble when its latency rose later (was: the dip was the onset, so the cause "came after the trouble")', () => {
    const rate = series('checkout-api', 'http.server.request.duration.count', {}, step(20, 14, at('12:20')), { int: false, noise: 0.3 });
    const latency = series('checkout-api', 'http.server.request.duration.mean', {}, step(0.4, 0.8, at('12:35')), { int: false, noise: 0.01 });
    const slow = change('slow', 'payments', 'config', at('12:33'));
    const ctx = ctxOf([rate, latency], [slow], [bp(rate, at('12:20'), 'level_down', 20, 14), bp(latency, at('12:35'), 'level_up', 0.4, 0.8)]);
    assert.equal(ctx.onset, at('12:35'));
    assert.equal(troubleBefore(ctx, slow).value, 0);
    // With nothing else moving, the dip is all there is to date.
    assert.equal(ctxOf([rate], [slow], [bp(rate, at('12:20'), 'level_down', 20, 14)]).onset, at('12:20'));
  });
  it('regression: with no lasting move confirmed yet, the trouble began with the paged service\'s own burst, not at the page (was: the page time, so a release after the burst read as "before the trouble")', () => {
    const page = at('12:40');
    const latency = series('checkout-api', 'http.server.request.duration.mean', {}, step(0.4, 1.6, at('12:36')), { int: false, noise: 0.01, to: page + MIN });
    const after = change('after', 'search', 'config', at('12:38'));
    const ctx = ctxOf([latency], [after], [], { at: page, afterMs: 0 });
    assert.equal(ctx.trouble.length, 0);
    assert.equal(ctx.onset, at('12:36'));
    // An earlier burst that was over by then is another episode, not the trouble paged about.
    const twice = series('checkout-api', 'http.server.request.duration.mean', {}, (t) => (t >= at('12:28') && t < at('12:31')) || t >= at('12:36') ? 1.6 : 0.4, { int: false, noise: 0.01, to: page + MIN });
    assert.equal(ctxOf([twice], [after], [], { at: page, afterMs: 0 }).onset, at('12:36'));
    // Nothing burst: the page is all there is to date.
    const flat = series('checkout-api', 'http.server.request.duration.mean', {}, () => 0.4, { int: false, noise: 0.01, to: page + MIN });
    assert.equal(ctxOf([flat], [after], [], { at: page, afterMs: 0 }).onset, page);
  });
  it('regression: a request rate that fell long before does not date the trouble when only a burst of latency followed it (was: the onset, after a scale-out halved each pod\'s calls, so the cause "came after the trouble")', () => {
    const page = at('12:40');
    const rate = series('checkout-api', 'http.server.request.duration.count', {}, step(20, 14, at('12:10')), { int: false, noise: 0.3, to: page + MIN });
    const latency = series('checkout-api', 'http.server.request.duration.mean', {}, step(0.4, 1.6, at('12:36')), { int: false, noise: 0.01, to: page + MIN });
    const slow = change('slow', 'payments', 'config', at('12:35'));
    const ctx = ctxOf([rate, latency], [slow], [bp(rate, at('12:10'), 'level_down', 20, 14)], { at: page, afterMs: 0 });
    assert.equal(ctx.onset, at('12:36'));
    assert.equal(troubleBefore(ctx, slow).value, 0);
  });
});

describe('evidence: changes between a change and the onset', () => {
  it('regression: a release 40 s after another does not make the first "not the last before the trouble" (was: counted between them, as if a clock could order them)', () => {
    const a = change('a', 'order-sync', 'config', at('12:30'));
    const b = change('b', 'web', 'config', at('12:30') + 40_000);
    const d = change('d', 'search', 'config', at('12:33'));
    const ctx = ctxOf([fds, osConns], [a, b, d], [bp(fds, at('12:35')), bp(osConns, at('12:33'))]);
    assert.equal(ctx.onset, at('12:35'));
    assert.deepEqual([a, b, d].map((c) => changesBetween(ctx, c)), [1, 1, 0]);
  });
});

describe('evidence: topology path and edge attribution', () => {
  const ctx = story();
  it('credits the caller whose connections to the victim jumped after its change', () => {
    const p = pathEvidence(ctx, cfg);
    assert.equal(p.dist, 1);
    assert.ok(p.victimHop.value > 0.8 && p.near.value > 0.8);
    assert.equal(p.victimHop.signal?.service, 'order-sync');
  });
  it('gives a linked caller without a moving link nothing', () => {
    const p = pathEvidence(ctx, webChange);
    assert.equal(p.dist, 1);
    assert.equal(p.victimHop.value, 0);
  });
  it('sees another caller\'s jump as an explanation competing with the victim\'s own deploy', () => {
    const p = pathEvidence(ctx, dep);
    assert.equal(p.dist, 0);
    assert.ok(edgeElsewhere(ctx, dep, p, fanIn(ctx)).value > 0.8);
    assert.ok(edgeElsewhere(ctx, cfg, pathEvidence(ctx, cfg), fanIn(ctx)).value < 0.1);
  });
  it('finds a two-hop path through the victim with its call directions', () => {
    const p = pathEvidence(ctx, change('pay', 'payments', 'infra', at('12:30')));
    assert.equal(p.dist, 1);
    assert.equal(p.path[0]?.direction, 'calledBy');
    assert.equal(pathEvidence(ctx, far).dist, Infinity);
  });
});

describe('evidence: rollbacks', () => {
  it('a rollback after which the trend did NOT revert exonerates the change it rolled back', () => {
    const r = rollbackEvidence(story(), dep);
    assert.equal(r.rollback?.id, 'rb');
    assert.equal(r.value, -1);
  });
  it('a rollback after which it DID revert incriminates it', () => {
    const leak = series('checkout-api', FD, {}, (t) => (t < at('12:34') || t >= at('13:12') ? 540 : 540 + (t - at('12:34')) / 6000));
    const ctx = ctxOf([leak], [dep, rb], [bp(leak, at('12:36'), 'slope_change')]);
    const r = rollbackEvidence(ctx, dep);
    assert.ok(r.value > 0.9, JSON.stringify(r));
    assert.ok((r.levels?.mid ?? 0) > (r.levels?.post ?? 0));
  });
  it('a rollback that only undid a harmless move does not incriminate the change while the paged resource stays up', () => {
    // fds near their limit since 12:20 (something else); the release adds memory, the rollback takes it back.
    const fds = series('checkout-api', FD, {}, step(540, 1000, at('12:20')));
    const mem = series('checkout-api', 'process.memory.usage', {}, (t) => (t >= at('12:40') && t < at('13:12') ? 950e6 : 800e6), { noise: 2e6 });
    const ctx = ctxOf([fds, mem], [dep, rb], [bp(fds, at('12:20')), bp(mem, at('12:40'))]);
    assert.ok(rollbackEvidence(ctx, dep).value <= 0, JSON.stringify(rollbackEvidence(ctx, dep)));
  });
  it('a change without a rollback has no rollback evidence', () => {
    assert.equal(rollbackEvidence(story(), cfg).value, 0);
  });
});

describe('evidence: fan-in', () => {
  it('one caller jumping alone is that caller\'s story', () => {
    const f = fanIn(story());
    assert.deepEqual(f.moved, ['order-sync']);
    assert.equal(f.share, 0.5);
  });
  it('every caller jumping together means the victim got slow', () => {
    const webUp = series('web', CONNS, { 'server.address': 'checkout-api' }, step(30, 200, at('12:36')));
    const ctx = ctxOf([fds, osConns, webUp], [cfg], [bp(fds, at('12:35')), bp(osConns, at('12:33')), bp(webUp, at('12:36'))]);
    assert.equal(fanIn(ctx).share, 1);
    assert.equal(candidateEvidence(ctx, cfg).x.fanInUp, 1);
  });
});

describe('evidence: a change with no metric evidence', () => {
  it('has no link, no alignment through a path, and is unlinked', () => {
    const e = candidateEvidence(story(), far);
    assert.equal(e.x.unlinked, 1);
    assert.equal(e.x.near + e.x.victimHop + e.x.chain + e.x.self, 0);
  });
});
