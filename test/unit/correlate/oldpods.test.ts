import assert from 'node:assert/strict';
import { analyzeContext } from '../../../src/correlate/analyze';
import { candidateEvidence } from '../../../src/correlate/features';
import { oldPodsWorse } from '../../../src/correlate/features/oldpods';
import type { SeriesData } from '../../../src/ports';
import { at, bp, change, ctxOf, MIN, series } from './helpers';

// checkout-api (the service asked about) releases 2.0 at 13:50; the question comes at 14:00 with an hour of history.
const DEPLOY = change('checkout-2', 'checkout-api', 'deploy', at('13:50'), { version: '2.0' });
const LAT = 'http.server.request.duration';
const HOUR_AGO = at('13:00');
const PAGE = at('14:00');
const pod = (id: string, version: string, f: (t: number) => number, from = HOUR_AGO, to = PAGE): SeriesData =>
  series('checkout-api', LAT, { 'service.instance.id': id, 'service.version': version }, f, { from, to, int: false, noise: 0.004 });
const flat = (v: number) => (): number => v;
/** `v`, times `factor` from `t1` on. */
const jump = (v: number, factor: number, t1: number) => (t: number): number => (t < t1 ? v : v * factor);
const ctx = (s: SeriesData[], changes = [DEPLOY]) => ctxOf(s, changes, [], { at: PAGE, windowMs: 60 * MIN, afterMs: 0 });

describe('correlate: old pods worse after a release', () => {
  it('old pods three times slower a minute after a rolling release, the new pod as fast as before: the release is cleared', () => {
    const s = [pod('old-a', '1.0', jump(0.2, 3, at('13:51'))), pod('old-b', '1.0', jump(0.21, 3, at('13:51'))), pod('new-c', '2.0', flat(0.2), at('13:50'))];
    const o = oldPodsWorse(ctx(s), DEPLOY);
    assert.ok(o.value > 0.9, `value ${o.value}`);
    assert.equal(o.instances, 2);
  });

  it('regression: the paged service\'s own rolling release was blamed for a slowdown its old pods shared (own change and its burst counted in full)', () => {
    const s = [pod('old-a', '1.0', jump(0.2, 3, at('13:51'))), pod('old-b', '1.0', jump(0.21, 3, at('13:51'))), pod('new-c', '2.0', flat(0.2), at('13:50'))];
    const e = candidateEvidence(ctx(s), DEPLOY);
    assert.ok(e.x.isVictim < 0.1, `isVictim ${e.x.isVictim}`);
    assert.ok(e.a.acuteSelf < 0.1, `acuteSelf ${e.a.acuteSelf}`);
  });

  it('regression: nor do its callers\' calls to it slowing count for the release (were counted in full: an independent generator\'s rolling release 0.95 wrong)', () => {
    const calls = series('web', `http.client.request.duration.mean`, { 'server.address': 'checkout-api' }, jump(0.2, 3, at('13:51')), { from: HOUR_AGO, to: PAGE, int: false, noise: 0.004 });
    const cleared = candidateEvidence(ctx([pod('old-a', '1.0', jump(0.2, 3, at('13:51'))), pod('old-b', '1.0', jump(0.21, 3, at('13:51'))), pod('new-c', '2.0', flat(0.2), at('13:50')), calls]), DEPLOY);
    assert.ok(cleared.a.acuteCallers < 0.1, `acuteCallers ${cleared.a.acuteCallers}`);
    // Old pods as before and the new one slow: the callers' slower calls are the release's.
    const bad = candidateEvidence(ctx([pod('old-a', '1.0', flat(0.2)), pod('old-b', '1.0', flat(0.21)), pod('new-c', '2.0', jump(0.2, 6, at('13:51')), at('13:50')), calls]), DEPLOY);
    assert.ok(bad.a.acuteCallers > 0.3, `acuteCallers ${bad.a.acuteCallers}`);
  });

  it("the cleared release's report says what cleared it, not that evidence is missing (it said both)", () => {
    const s = [pod('old-a', '1.0', jump(0.2, 3, at('13:51'))), pod('old-b', '1.0', jump(0.21, 3, at('13:51'))), pod('new-c', '2.0', flat(0.2), at('13:50'))];
    const own = analyzeContext(ctx(s)).suspects.find((x) => x.id === DEPLOY.id);
    const lines = own?.evidence.join('\n') ?? '';
    assert.match(lines, /instances still on the old version got worse too/);
    assert.doesNotMatch(lines, /evidence missing/);
  });

  it('an in-place rollout: the instance not yet switched got slower before its own switch', () => {
    const inPlace = (id: string, v: number, switchAt: number): SeriesData[] => [
      pod(id, '1.0', jump(v, 3, at('13:51')), HOUR_AGO, switchAt),
      pod(id, '2.0', flat(v * 3), switchAt, PAGE),
    ];
    const s = [...inPlace('a', 0.2, at('13:50')), ...inPlace('b', 0.21, at('13:57'))];
    assert.ok(oldPodsWorse(ctx(s), DEPLOY).value > 0.9);
  });

  it('a bad canary: old pods as before, the new pod slow, is not cleared', () => {
    const s = [pod('old-a', '1.0', flat(0.2)), pod('old-b', '1.0', flat(0.21)), pod('new-c', '2.0', flat(0.6), at('13:50'))];
    assert.equal(oldPodsWorse(ctx(s), DEPLOY).value, 0);
  });

  it('old pods slower but the new ones far slower still over the same minutes: the canary verdict stands', () => {
    const s = [pod('old-a', '1.0', jump(0.2, 1.6, at('13:51'))), pod('old-b', '1.0', jump(0.21, 1.6, at('13:51'))), pod('new-c', '2.0', flat(1.5), at('13:50'))];
    assert.equal(oldPodsWorse(ctx(s), DEPLOY).value, 0);
  });

  it('a slowdown already under way before the release is not cleared by it (nor blamed on it)', () => {
    const rising = (t: number): number => 0.2 * (t < at('13:40') ? 1 : 1 + (t - at('13:40')) / (5 * MIN));
    const s = [pod('old-a', '1.0', rising), pod('old-b', '1.0', rising), pod('new-c', '2.0', flat(0.2), at('13:50'))];
    assert.equal(oldPodsWorse(ctx(s), DEPLOY).value, 0);
  });

  it('one of three old pods slow (a bad node) is not the service', () => {
    const s = [pod('old-a', '1.0', jump(0.2, 3, at('13:51'))), pod('old-b', '1.0', flat(0.21)), pod('old-d', '1.0', flat(0.2)), pod('new-c', '2.0', flat(0.2), at('13:50'))];
    assert.equal(oldPodsWorse(ctx(s), DEPLOY).value, 0);
  });

  it('a change naming no version, or series without versions, clears nothing', () => {
    const s = [pod('old-a', '1.0', jump(0.2, 3, at('13:51'))), pod('old-b', '1.0', jump(0.21, 3, at('13:51')))];
    const cfg = change('cfg', 'checkout-api', 'config', at('13:50'));
    assert.equal(oldPodsWorse(ctx(s, [cfg]), cfg).value, 0);
    const bare = [series('checkout-api', LAT, { 'service.instance.id': 'x' }, jump(0.2, 3, at('13:51')), { from: HOUR_AGO, to: PAGE, int: false, noise: 0.004 })];
    assert.equal(oldPodsWorse(ctx(bare), DEPLOY).value, 0);
  });
});

describe('correlate: old pods worse long after a release', () => {
  // payments releases 2.0 on one new pod at 13:20; at 13:50 every payments pod, old and new, gets three times slower, and so do checkout-api's calls to it.
  const CANARY = change('payments-2', 'payments', 'deploy', at('13:20'), { version: '2.0' });
  const payPod = (id: string, version: string, from = HOUR_AGO): SeriesData =>
    series('payments', LAT, { 'service.instance.id': id, 'service.version': version }, jump(0.1, 3, at('13:50')), { from, to: PAGE, int: false, noise: 0.002 });
  const calls = series('checkout-api', 'http.client.request.duration', { 'server.address': 'payments' }, jump(0.12, 3, at('13:50')), { from: HOUR_AGO, to: PAGE, int: false, noise: 0.002 });
  const own = series('checkout-api', LAT, {}, jump(0.2, 2.5, at('13:51')), { from: HOUR_AGO, to: PAGE, int: false, noise: 0.004 });
  const pods = [payPod('old-a', '1.0'), payPod('old-b', '1.0'), payPod('new-c', '2.0', at('13:20'))];
  const late = (): ReturnType<typeof ctxOf> => ctxOf([...pods, calls, own], [CANARY], [bp(calls, at('13:50'), 'level_up', 0.12, 0.36), bp(own, at('13:51'), 'level_up', 0.2, 0.5), ...pods.map((p) => bp(p, at('13:50'), 'level_up', 0.1, 0.3))], { at: PAGE, windowMs: 60 * MIN, afterMs: 0 });

  it('a slowdown that began half an hour after the canary, on its old pods as much as on its new one: compared from the onset, the release is cleared', () => {
    const o = oldPodsWorse(late(), CANARY);
    assert.ok(o.value > 0.9, `value ${o.value}`);
  });

  it('regression: nor is what it passed up the calls its doing (its callers\' calls to it slowing counted in full)', () => {
    const e = candidateEvidence(late(), CANARY);
    assert.ok(e.path.near.value > 0.5, `the link moved: ${e.path.near.value}`);
    assert.ok(e.x.near < 0.1, `near ${e.x.near}`);
    assert.ok(e.x.linkedOnset < 0.1, `linkedOnset ${e.x.linkedOnset}`);
  });
});
