import assert from 'node:assert/strict';
import { canaryComparison, canaryEvidence, serviceLevel } from '../../../src/correlate/features/canary';
import type { SeriesData } from '../../../src/ports';
import { at, change, ctxOf, MIN, series } from './helpers';

// checkout-api releases 2.0 at 13:50; the question is asked at 14:00 with an hour of history and no data after.
const DEPLOY = change('checkout-2', 'checkout-api', 'deploy', at('13:50'), { version: '2.0' });
const LAT = 'http.server.request.duration';
const pod = (id: string, version: string, f: (t: number) => number, from: number, to: number, labels: Record<string, string> = {}, metric = LAT): SeriesData =>
  series('checkout-api', metric, { 'service.instance.id': id, 'service.version': version, ...labels }, f, { from, to, int: false, noise: 0.004 });
const flat = (v: number) => (): number => v;
const ctx = (s: SeriesData[]) => ctxOf(s, [DEPLOY], [], { at: at('14:00'), windowMs: 60 * MIN, afterMs: 0 });
const evidence = (s: SeriesData[]) => canaryEvidence(ctx(s), DEPLOY);
const byVersion = (s: SeriesData[]) => canaryComparison(ctx(s), DEPLOY);
const HOUR_AGO = at('13:00');
const PAGE = at('14:00');
/** Two old pods replaced a minute after the release by two new ones at `factor` × their latency. */
const replaced = (factor: number): SeriesData[] => [
  pod('old-a', '1.0', flat(0.2), HOUR_AGO, at('13:51')),
  pod('old-b', '1.0', flat(0.21), HOUR_AGO, at('13:51')),
  pod('new-c', '2.0', flat(0.2 * factor), at('13:50'), PAGE),
  pod('new-d', '2.0', flat(0.21 * factor), at('13:50'), PAGE),
];

describe('correlate: canary and service-level evidence', () => {
  it('a rolling deploy while the service slows for another reason is no evidence (old pods sampled early, new ones late)', () => {
    const rising = (t: number): number => 0.2 + (t >= at('13:50') ? (0.3 * (t - at('13:50'))) / (10 * MIN) : 0);
    const s = [
      pod('old-a', '1.0', rising, HOUR_AGO, at('13:53')),
      pod('old-b', '1.0', rising, HOUR_AGO, at('13:55')),
      pod('new-c', '2.0', rising, at('13:50'), PAGE),
      pod('new-d', '2.0', rising, at('13:52'), PAGE),
    ];
    assert.equal(byVersion(s).value, 0);
  });

  it('at a 5-minute step a new pod has one sample by the page: against how far old pods strayed in the half hour before, it counts at half weight', () => {
    const every5 = (x: SeriesData): SeriesData => ({ ...x, points: x.points.filter((p) => p.t % (5 * MIN) === 0) });
    // Three old pods, each at its own level; the new one's first sample at 13:55, after the 13:50 release.
    const olds = [pod('old-a', '1.0', flat(0.2), HOUR_AGO, PAGE), pod('old-b', '1.0', flat(0.21), HOUR_AGO, PAGE), pod('old-c', '1.0', flat(0.19), HOUR_AGO, PAGE)];
    const withNew = (factor: number) => byVersion([...olds, pod('new-d', '2.0', flat(0.2 * factor), at('13:55'), PAGE)].map(every5));
    const slow = withNew(2.4);
    assert.ok(slow.value > 0.3 && slow.value <= 0.5, JSON.stringify(slow));
    assert.equal(slow.lone, true);
    assert.equal(withNew(1.2).value, 0, 'within warming up');
    // Two old pods over ten minutes: too few strays for one sample's rank to reach p 0.05.
    const few = [pod('old-a', '1.0', flat(0.2), at('13:45'), PAGE), pod('old-b', '1.0', flat(0.21), at('13:45'), PAGE), pod('new-d', '2.0', flat(0.48), at('13:55'), PAGE)].map(every5);
    assert.equal(byVersion(few).value, 0);
  });

  it('at a 5-minute step a new pod failing in its only sample counts too, in requests failing; a point below the ceiling does not', () => {
    const OK = 'http.server.success.ratio';
    const every5 = (x: SeriesData): SeriesData => ({ ...x, points: x.points.filter((p) => p.t % (5 * MIN) === 0) });
    const okPod = (id: string, version: string, v: number, from: number): SeriesData =>
      series('checkout-api', OK, { 'service.instance.id': id, 'service.version': version }, flat(v), { from, to: PAGE, int: false, noise: 0.05 });
    const olds = [okPod('old-a', '1.0', 99.6, HOUR_AGO), okPod('old-b', '1.0', 99.5, HOUR_AGO), okPod('old-c', '1.0', 99.7, HOUR_AGO)];
    const withNew = (v: number) => byVersion([...olds, okPod('new-d', '2.0', v, at('13:55'))].map(every5));
    const failing = withNew(90);
    assert.ok(failing.value > 0.3 && failing.value <= 0.5, JSON.stringify(failing));
    assert.equal(failing.lone, true);
    assert.equal(withNew(99).value, 0, 'half a point of requests');
  });

  it('Kubernetes pods as the k8sattributes processor labels them: node, start time and ReplicaSet differ per pod, the version is the image tag', () => {
    const k8sPod = (name: string, node: string, tag: string, f: (t: number) => number, from: number, to: number): SeriesData =>
      series('checkout-api', LAT, { 'k8s.pod.name': name, 'k8s.node.name': node, 'k8s.pod.start_time': String(from), 'k8s.replicaset.name': `checkout-api-${tag === '2.0' ? '7d9f8c6b5' : '5c4b7f9d8'}`, 'container.image.tag': tag }, f, { from, to, int: false, noise: 0.004 });
    const s = [
      k8sPod('checkout-api-5c4b7f9d8-a', 'node-1', '1.0', flat(0.2), HOUR_AGO, PAGE),
      k8sPod('checkout-api-5c4b7f9d8-b', 'node-2', '1.0', flat(0.21), HOUR_AGO, PAGE),
      k8sPod('checkout-api-7d9f8c6b5-c', 'node-3', '2.0', flat(0.6), at('13:50'), PAGE),
    ];
    const e = byVersion(s);
    assert.ok(e.value > 0.9, JSON.stringify(e));
    assert.equal(e.kind, 'canary');
  });

  it('a new pod warming up (20 % slower) is no evidence', () => {
    const s = [pod('old-a', '1.0', flat(0.2), HOUR_AGO, PAGE), pod('old-b', '1.0', flat(0.205), HOUR_AGO, PAGE), pod('new-c', '2.0', flat(0.24), at('13:50'), PAGE)];
    assert.equal(evidence(s).value, 0);
  });

  it('one old pod against one new pod cannot tell the version from the pod: no canary evidence', () => {
    const s = [pod('old-a', '1.0', flat(0.2), HOUR_AGO, PAGE), pod('new-c', '2.0', flat(0.6), at('13:50'), PAGE)];
    assert.equal(byVersion(s).value, 0);
  });

  it('compares calls to the same peer: a new pod calling only the slow peer is no evidence', () => {
    const peer = (p: string) => ({ 'server.address': p });
    const CLIENT = 'http.client.request.duration';
    const s = [
      pod('old-a', '1.0', flat(0.01), HOUR_AGO, PAGE, peer('cache'), CLIENT),
      pod('old-a', '1.0', flat(0.5), HOUR_AGO, PAGE, peer('payments'), CLIENT),
      pod('old-b', '1.0', flat(0.01), HOUR_AGO, PAGE, peer('cache'), CLIENT),
      pod('old-b', '1.0', flat(0.5), HOUR_AGO, PAGE, peer('payments'), CLIENT),
      pod('new-c', '2.0', flat(0.5), at('13:50'), PAGE, peer('payments'), CLIENT),
    ];
    assert.equal(evidence(s).value, 0);
  });

  it('regression: a deploy event naming v2.0 is compared on pods reporting 2.0 (was: no new-version pod found, no evidence)', () => {
    const tagged = change('checkout-2', 'checkout-api', 'deploy', at('13:50'), { version: 'v2.0' });
    const s = [pod('old-a', '1.0', flat(0.2), HOUR_AGO, PAGE), pod('old-b', '1.0', flat(0.21), HOUR_AGO, PAGE), pod('new-c', '2.0', flat(0.6), at('13:50'), PAGE)];
    const c = ctxOf(s, [tagged], [], { at: at('14:00'), windowMs: 60 * MIN, afterMs: 0 });
    assert.ok(canaryComparison(c, tagged).value > 0.9, String(canaryComparison(c, tagged).value));
  });

  describe('a deploy event naming no version, or not the one its pods report', () => {
    const s = [pod('old-a', '1.0', flat(0.2), HOUR_AGO, PAGE), pod('old-b', '1.0', flat(0.21), HOUR_AGO, PAGE), pod('new-c', '2.0', flat(0.6), at('13:50'), PAGE)];
    const judge = (deploy: ReturnType<typeof change>) => {
      const c = ctxOf(s, [deploy], [], { at: at('14:00'), windowMs: 60 * MIN, afterMs: 0 });
      const released = c.candidates.find((x) => x.id === deploy.id);
      assert.ok(released !== undefined);
      return { version: released.version, value: canaryComparison(c, released).value };
    };
    it('regression: is compared on the version its new pods came up with (was: no version, no canary)', () => {
      const r = judge(change('checkout-2', 'checkout-api', 'deploy', at('13:50')));
      assert.equal(r.version, '2.0');
      assert.ok(r.value > 0.9, String(r.value));
    });
    it('regression: a commit for a version, while the pods report 2.0, is read as 2.0', () => {
      assert.equal(judge(change('checkout-2', 'checkout-api', 'deploy', at('13:50'), { version: '9f3c2ab' })).version, '2.0');
    });
    it('a version the pods report is kept; nothing new coming up leaves the event as it is', () => {
      assert.equal(judge(change('checkout-2', 'checkout-api', 'deploy', at('13:50'), { version: 'v2.0' })).version, 'v2.0');
      assert.equal(judge(change('checkout-1', 'checkout-api', 'deploy', at('13:20'))).version, undefined);
      assert.equal(judge(change('cfg', 'checkout-api', 'config', at('13:50'))).version, undefined);
    });
  });

  it('new pods three times slower than two old ones over the same minutes incriminate the release', () => {
    const s = [pod('old-a', '1.0', flat(0.2), HOUR_AGO, PAGE), pod('old-b', '1.0', flat(0.21), HOUR_AGO, PAGE), pod('new-c', '2.0', flat(0.6), at('13:50'), PAGE)];
    const e = evidence(s);
    assert.ok(e.value > 0.9, `value ${e.value}`);
    assert.ok((e.p ?? 1) <= 0.05);
  });

  it('service level: a release whose new pods replaced every old one and are slow shows all instances after vs before', () => {
    const e = evidence(replaced(3));
    assert.equal(e.kind, 'service');
    assert.ok(e.value > 0.9, `value ${e.value}`);
  });

  it('service level: new pods like the old ones are no evidence', () => {
    assert.equal(evidence(replaced(1)).value, 0);
  });

  it('service level: a rise already under way before the release is not its doing', () => {
    const rising = (t: number): number => 0.2 * (t < at('13:40') ? 1 : 1 + (t - at('13:40')) / (5 * MIN));
    const s = [pod('a', '1.0', rising, HOUR_AGO, PAGE), pod('b', '1.0', rising, HOUR_AGO, at('13:52')), pod('c', '2.0', rising, at('13:51'), PAGE)];
    assert.equal(serviceLevel(ctx(s), DEPLOY).value, 0);
  });

  it('regression: a second release of the service 20 s later leaves the first its minutes: its bad new pods are judged (was: cut to the one sample before the second release, too few to judge)', () => {
    const second = change('checkout-3', 'checkout-api', 'deploy', at('13:50') + 20_000, { version: '3.0' });
    const s = [
      pod('old-a', '1.0', flat(0.2), HOUR_AGO, PAGE),
      pod('old-b', '1.0', flat(0.21), HOUR_AGO, PAGE),
      pod('new-c', '2.0', flat(0.6), at('13:51'), PAGE),
      pod('new-d', '3.0', flat(0.2), at('13:52'), PAGE),
    ];
    const c = ctxOf(s, [DEPLOY, second], [], { at: at('14:00'), windowMs: 60 * MIN, afterMs: 0 });
    assert.ok(canaryComparison(c, DEPLOY).value > 0.9, String(canaryComparison(c, DEPLOY).value));
    assert.equal(canaryComparison(c, second).value, 0);
  });

  it("service level: what follows the service's next release is that release's doing", () => {
    const next = change('checkout-3', 'checkout-api', 'deploy', at('13:54'), { version: '3.0' });
    const slowAfter = (t: number): number => (t >= at('13:54') ? 0.6 : 0.2);
    const s = [pod('a', '1.0', flat(0.2), HOUR_AGO, at('13:51')), pod('b', '2.0', slowAfter, at('13:50'), PAGE), pod('c', '2.0', slowAfter, at('13:50'), PAGE)];
    const c = ctxOf(s, [DEPLOY, next], [], { at: at('14:00'), windowMs: 60 * MIN, afterMs: 0 });
    assert.equal(serviceLevel(c, DEPLOY).value, 0);
    assert.ok(serviceLevel(c, next).value > 0.5);
  });

  it('service level: slower only because its calls to a dependency slowed as much is slowness from below, not the release', () => {
    const slow = (base: number) => (t: number): number => (t >= at('13:51') ? 3 * base : base);
    const calls = (id: string, version: string, from: number, to: number) => pod(id, version, slow(0.1), from, to, { 'server.address': 'payments' }, 'http.client.request.duration');
    const s = [
      pod('old-a', '1.0', slow(0.2), HOUR_AGO, at('13:51')),
      pod('old-b', '1.0', slow(0.21), HOUR_AGO, at('13:51')),
      pod('new-c', '2.0', slow(0.2), at('13:50'), PAGE),
      pod('new-d', '2.0', slow(0.21), at('13:50'), PAGE),
      calls('old-a', '1.0', HOUR_AGO, at('13:51')),
      calls('new-c', '2.0', at('13:50'), PAGE),
    ];
    assert.ok(serviceLevel(ctx(s.slice(0, 4)), DEPLOY).value > 0.5, 'without client series the rise is the release\'s');
    assert.equal(serviceLevel(ctx(s), DEPLOY).value, 0);
  });

  it('a step every pod took during a rolling deploy is no evidence (was: new pods, sampled mostly after the step, looked worse)', () => {
    const step = (t: number): number => (t >= at('13:55') ? 0.6 : 0.2);
    // Old pods leave and new ones arrive two minutes apart: in the minutes both report, most old samples come before the step and most new ones after it.
    const s = [
      pod('old-a', '1.0', step, HOUR_AGO, at('13:53')),
      pod('old-b', '1.0', step, HOUR_AGO, at('13:55')),
      pod('old-c', '1.0', step, HOUR_AGO, at('13:57')),
      pod('old-d', '1.0', step, HOUR_AGO, at('13:59')),
      pod('new-e', '2.0', step, at('13:51'), PAGE),
      pod('new-f', '2.0', step, at('13:53'), PAGE),
      pod('new-g', '2.0', step, at('13:55'), PAGE),
      pod('new-h', '2.0', step, at('13:57'), PAGE),
    ];
    assert.equal(byVersion(s).value, 0);
  });

  it('new pods slower than old ones in the same minutes still incriminate the release when every pod steps up', () => {
    const step = (t: number): number => (t >= at('13:56') ? 0.6 : 0.2);
    const s = [
      pod('old-a', '1.0', step, HOUR_AGO, PAGE),
      pod('old-b', '1.0', (t) => step(t) * 1.02, HOUR_AGO, PAGE),
      pod('new-c', '2.0', (t) => 3 * step(t), at('13:51'), PAGE),
    ];
    assert.ok(byVersion(s).value > 0.9, String(byVersion(s).value));
  });

  it('an error ratio doubling from 0.1 % to 0.2 % on new pods is no evidence (was: relative to a level near zero)', () => {
    const ERR = 'http.server.error.ratio';
    const errPod = (id: string, version: string, v: number, from: number): SeriesData =>
      series('checkout-api', ERR, { 'service.instance.id': id, 'service.version': version }, flat(v), { from, to: PAGE, int: false, noise: 0.00002 });
    const s = [errPod('old-a', '1.0', 0.001, HOUR_AGO), errPod('old-b', '1.0', 0.0011, HOUR_AGO), errPod('new-c', '2.0', 0.0022, at('13:50'))];
    assert.equal(byVersion(s).value, 0);
    const bad = [...s.slice(0, 2), errPod('new-c', '2.0', 0.05, at('13:50'))];
    assert.ok(byVersion(bad).value > 0.9, String(byVersion(bad).value));
  });

  describe('a success ratio is read from its ceiling: the share of requests that failed', () => {
    const OK = 'http.server.success.ratio';
    const okPod = (id: string, version: string, f: (t: number) => number, from: number, to = PAGE): SeriesData =>
      series('checkout-api', OK, { 'service.instance.id': id, 'service.version': version }, f, { from, to, int: false, noise: 0.05 });
    it('regression: new pods at 81 % against old ones at 99.6 % incriminate the release (was: a 19 % dip, within warm-up, and the ratio "cleared")', () => {
      const s = [okPod('old-a', '1.0', flat(99.6), HOUR_AGO), okPod('old-b', '1.0', flat(99.5), HOUR_AGO), okPod('new-c', '2.0', flat(81), at('13:50'))];
      const e = byVersion(s);
      assert.ok(e.value > 0.9, String(e.value));
      assert.ok(Math.abs((e.newMedian ?? 0) - 81) < 1 && Math.abs((e.oldMedian ?? 0) - 99.5) < 1, 'the report quotes the ratios, not the failing shares');
      assert.ok(!(e.cleared ?? []).includes(OK));
    });
    it('new pods half a point lower are no evidence (under one percentage point of requests)', () => {
      const s = [okPod('old-a', '1.0', flat(99.6), HOUR_AGO), okPod('old-b', '1.0', flat(99.5), HOUR_AGO), okPod('new-c', '2.0', flat(99.1), at('13:50'))];
      assert.equal(evidence(s).value, 0);
    });
    it('service level: every pod replaced by new ones failing 6 % of requests instead of 0.5 % incriminates the release', () => {
      const s = [okPod('old-a', '1.0', flat(99.5), HOUR_AGO, at('13:51')), okPod('old-b', '1.0', flat(99.5), HOUR_AGO, at('13:51')), okPod('new-c', '2.0', flat(94), at('13:50')), okPod('new-d', '2.0', flat(94), at('13:50'))];
      const e = serviceLevel(ctx(s), DEPLOY);
      assert.ok(e.value > 0.9, String(e.value));
      assert.ok(Math.abs((e.newMedian ?? 0) - 94) < 1, String(e.newMedian));
    });
    it('service level: failing more while its calls to a dependency take three times as long is trouble from below, not the release', () => {
      const s = [okPod('old-a', '1.0', flat(99.5), HOUR_AGO, at('13:51')), okPod('old-b', '1.0', flat(99.5), HOUR_AGO, at('13:51')), okPod('new-c', '2.0', flat(94), at('13:50')), okPod('new-d', '2.0', flat(94), at('13:50'))];
      const calls = (id: string, version: string, v: number, from: number, to: number) => pod(id, version, flat(v), from, to, { 'server.address': 'payments' }, 'http.client.request.duration');
      const slowBelow = [...s, calls('old-a', '1.0', 0.1, HOUR_AGO, at('13:51')), calls('new-c', '2.0', 0.3, at('13:50'), PAGE)];
      assert.equal(serviceLevel(ctx(slowBelow), DEPLOY).value, 0);
    });
  });

  it('new pods no worse than old ones over the same minutes clear the release of the whole service slowing meanwhile (was: service-level before/after blamed it)', () => {
    const step = (t: number): number => (t >= at('13:53') ? 0.6 : 0.2);
    const s = [
      pod('old-a', '1.0', step, HOUR_AGO, PAGE),
      pod('old-b', '1.0', (t) => step(t) * 1.02, HOUR_AGO, PAGE),
      pod('new-c', '2.0', (t) => step(t) * 1.01, at('13:50'), PAGE),
    ];
    assert.ok(serviceLevel(ctx(s), DEPLOY).value > 0.5, 'the service as a whole did get slower after the release');
    assert.equal(evidence(s).value, 0);
    assert.ok(byVersion(s).cleared?.includes(LAT));
  });

  it('a caller\'s new pods faring worse on calls to a service whose own release, just before, made its new pods worse: that release\'s doing, not the caller\'s', () => {
    // checkout-api's new pods' calls to payments take 0.4 s against 0.2 s from its old pods (they reach payments' bad pod more);
    // payments released 3.0 at 13:48, its new pod at 0.5 s against 0.1 s.
    const call = (id: string, version: string, v: number, from: number) => pod(id, version, flat(v), from, PAGE, { 'server.address': 'payments' }, 'http.client.request.duration');
    const pay = (id: string, version: string, v: number, from: number) => series('payments', LAT, { 'service.instance.id': id, 'service.version': version }, flat(v), { from, to: PAGE, int: false, noise: 0.004 });
    const s = [
      call('old-a', '1.0', 0.2, HOUR_AGO), call('old-b', '1.0', 0.21, HOUR_AGO), call('new-c', '2.0', 0.4, at('13:50')), call('new-d', '2.0', 0.42, at('13:50')),
      pay('p-1', '2.9', 0.1, HOUR_AGO), pay('p-2', '2.9', 0.11, HOUR_AGO), pay('p-3', '2.9', 0.1, HOUR_AGO), pay('p-4', '3.0', 0.5, at('13:48')), pay('p-5', '3.0', 0.52, at('13:48')),
    ];
    const payDeploy = change('payments-3', 'payments', 'deploy', at('13:48'), { version: '3.0' });
    const judged = (changes: ReturnType<typeof change>[]) => canaryComparison(ctxOf(s, changes, [], { at: PAGE, windowMs: 60 * MIN, afterMs: 0 }), DEPLOY).value;
    assert.ok(judged([DEPLOY]) > 0.5, `alone: ${judged([DEPLOY])}`);
    assert.ok(canaryComparison(ctxOf(s, [DEPLOY, payDeploy], [], { at: PAGE, windowMs: 60 * MIN, afterMs: 0 }), payDeploy).value > 0.5, 'payments\' own new pods are worse');
    assert.equal(judged([DEPLOY, payDeploy]), 0);
  });
});
