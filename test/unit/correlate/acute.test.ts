import assert from 'node:assert/strict';
import { analyze, buildContext, contextEvidence } from '../../../src/correlate';
import { ratioOptions } from '../../../src/correlate/features/acute';
import { callerSide } from '../../../src/correlate/features/sides';
import { zWords } from '../../../src/correlate/explain-acute';
import { ACUTE_DEFAULTS } from '../../../src/detect/acute';
import type { Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { at, change, MIN, series } from './helpers';

// web → checkout-api → payments; the page is on web at 14:00 with one hour of 1-minute history.
const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['checkout-api'], limits: {} },
    { name: 'checkout-api', team: 'checkout', dependsOn: ['payments'], limits: {} },
    { name: 'payments', team: 'payments', dependsOn: [], limits: {} },
  ],
};
const PAGE = at('14:00');
const opts = { from: at('13:00'), to: PAGE + MIN, int: false, noise: 0.02 };
/** Steady at `level`; ×`factor` for the minutes in [from, to). */
const burst = (level: number, factor: number, from: number, to: number) => (t: number): number => (t >= from && t < to ? level * factor : level);
const flat = (level: number) => (): number => level;

const CHANGES = [
  change('pay-infra', 'payments', 'infra', at('13:55')),
  change('checkout-deploy', 'checkout-api', 'deploy', at('13:54')),
  change('web-config', 'web', 'config', at('13:57')),
];
const ask = (s: SeriesData[]) => ({ series: s, changes: CHANGES, topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 });

function quiet(): SeriesData[] {
  return [
    series('payments', 'k8s.pod.cpu_limit_utilization', {}, flat(0.1), opts),
    series('payments', 'http.server.request.duration', {}, flat(0.05), opts),
    series('checkout-api', 'http.server.request.duration', {}, flat(0.2), opts),
    series('checkout-api', 'http.client.request.duration', {}, flat(0.05), opts),
    series('web', 'http.server.request.duration', {}, flat(0.3), opts),
  ];
}

/** payments saturates right after its infra change; its caller's calls to it slow down; web's latency follows. */
function paymentsBurst(checkoutToo = false): SeriesData[] {
  const b = (lvl: number, f: number) => burst(lvl, f, at('13:56'), at('13:59'));
  return [
    series('payments', 'k8s.pod.cpu_limit_utilization', {}, b(0.1, 9), opts),
    series('payments', 'http.server.request.duration', {}, b(0.05, 20), opts),
    series('checkout-api', 'http.server.request.duration', {}, checkoutToo ? b(0.2, 6) : flat(0.2), opts),
    series('checkout-api', 'http.client.request.duration', {}, b(0.05, 20), opts),
    series('web', 'http.server.request.duration', {}, b(0.3, 4), opts),
  ];
}

describe('correlate: acute evidence', () => {
  it('a burst of the changed service right after its change names it, below the entry that only shows the symptom', () => {
    const a = analyze(ask(paymentsBurst()));
    assert.equal(a.suspects[0]?.id, 'pay-infra');
    const ev = contextEvidence(buildContext(ask(paymentsBurst())));
    const pay = ev.find((e) => e.change.id === 'pay-infra');
    const web = ev.find((e) => e.change.id === 'web-config');
    assert.ok((pay?.a.acuteSelf ?? 0) > 0.5);
    assert.ok((pay?.a.acuteCallers ?? 0) > 0.5, 'its caller calls it and slowed down');
    assert.ok((web?.a.acuteSelf ?? 1) < (pay?.a.acuteSelf ?? 0));
  });

  it('a burst from a flat level reads so, not as a robust z of a billion (an idle pool\'s 0 connections, then 1)', () => {
    assert.equal(zWords(1e9), 'from a flat level');
    assert.equal(zWords(48), 'z 48.0');
  });

  it('a service whose own burst has one below it, as early, is a symptom (below)', () => {
    const ev = contextEvidence(buildContext(ask(paymentsBurst(true))));
    const checkout = ev.find((e) => e.change.id === 'checkout-deploy');
    assert.ok((checkout?.acute.below ?? 0) > 0.5);
    assert.equal(analyze(ask(paymentsBurst(true))).suspects[0]?.id, 'pay-infra');
  });

  it('a service pinned at its CPU limit is busy, not waiting: a burst below as early does not make it a symptom (Nezha: Train Ticket food-service CPU contention)', () => {
    const pinned = [...paymentsBurst(true), series('checkout-api', 'k8s.pod.cpu_limit_utilization', {}, burst(0.1, 9.9, at('13:56'), at('13:59')), opts)];
    const checkout = contextEvidence(buildContext(ask(pinned))).find((e) => e.change.id === 'checkout-deploy');
    assert.ok((checkout?.acute.below ?? 1) < 0.2, `below ${checkout?.acute.below}`);
  });

  it('its calls as a whole slowing a sample AFTER its own latency do not make it a symptom (Nezha: CPU contention in currencyservice)', () => {
    // checkout-api's own latency bursts at 13:56; its calls, naming no callee, only from 13:57.
    const own = burst(0.2, 20, at('13:56'), at('13:59'));
    const calls = burst(0.05, 10, at('13:57'), at('13:59'));
    const s = [...quiet().filter((x) => x.series.service !== 'checkout-api'), series('checkout-api', 'http.server.request.duration', {}, own, opts), series('checkout-api', 'http.client.request.duration', {}, calls, opts)];
    const checkout = contextEvidence(buildContext(ask(s))).find((e) => e.change.id === 'checkout-deploy');
    assert.equal(checkout?.acute.below, 0);
    // The same calls slowing with its own latency, in the same sample, still say the trouble may come from below.
    const early = [...s.slice(0, -1), series('checkout-api', 'http.client.request.duration', {}, burst(0.05, 10, at('13:56'), at('13:59')), opts)];
    assert.ok((contextEvidence(buildContext(ask(early))).find((e) => e.change.id === 'checkout-deploy')?.acute.below ?? 0) > 0.3);
  });

  it('nothing moved after any change: every score is low, and they split', () => {
    const a = analyze(ask(quiet()));
    const scores = a.suspects.map((s) => s.score);
    assert.ok(Math.max(...scores) < 0.3, `top score ${Math.max(...scores)}`);
    assert.ok(Math.max(...scores) - Math.min(...scores) < 0.05, 'no evidence separates them');
  });

  it('empty or irrelevant metrics never make a change look certain (issue 10 item 3)', () => {
    for (const s of [[], [series('elsewhere', 'blorp', {}, flat(1), opts)]]) {
      const top = analyze(ask(s)).suspects[0]?.score ?? 0;
      assert.ok(top < 0.3, `top score ${top}`);
    }
  });

  it('a CPU pinned at its limit again counts, however long it was pinned earlier in the hour (Nezha: frontend CPU faults 16 minutes apart)', () => {
    // payments at a quarter of its CPU limit, pinned at it for eight minutes at 13:30 (an earlier incident), pinned again after its change.
    const cpu = (t: number): number => ((t >= at('13:30') && t < at('13:38')) || (t >= at('13:56') && t < at('13:59')) ? 1 : 0.25);
    const s = [series('payments', 'k8s.pod.cpu_limit_utilization', {}, cpu, opts), ...quiet().slice(1, 4), series('web', 'http.server.request.duration', {}, burst(0.3, 4, at('13:57'), at('14:00')), opts)];
    const pay = contextEvidence(buildContext(ask(s))).find((e) => e.change.id === 'pay-infra');
    assert.ok((pay?.a.acuteSelf ?? 0) > 0.3, `acuteSelf ${pay?.a.acuteSelf}`);
  });

  it('a burst that was over long before the page is another incident', () => {
    const early = CHANGES.map((c) => (c.id === 'pay-infra' ? { ...c, time: at('13:20') } : c));
    const s = [
      series('payments', 'k8s.pod.cpu_limit_utilization', {}, burst(0.1, 9, at('13:21'), at('13:24')), opts),
      ...quiet().slice(1),
    ];
    const ev = contextEvidence(buildContext({ ...ask(s), changes: early }));
    assert.ok((ev.find((e) => e.change.id === 'pay-infra')?.a.acuteSelf ?? 1) < 0.05);
  });
});

describe('correlate: acute evidence per call edge', () => {
  // web calls checkout-api and search; a network delay on search: web's calls TO search slow down,
  // search's own server latency does not move, and web's own latency follows.
  const topo: Topology = {
    services: [
      { name: 'web', team: 'storefront', dependsOn: ['checkout-api', 'search'], limits: {} },
      { name: 'checkout-api', team: 'checkout', dependsOn: [], limits: {} },
      { name: 'search', team: 'search', dependsOn: [], limits: {} },
    ],
  };
  const changes = [change('search-infra', 'search', 'infra', at('13:55')), change('checkout-cfg', 'checkout-api', 'config', at('13:55')), change('web-flag', 'web', 'flag', at('13:55'))];
  const b = (lvl: number, f: number) => burst(lvl, f, at('13:56'), at('13:59'));
  const edgeSeries = (): SeriesData[] => [
    series('web', 'http.client.request.duration', { 'server.address': 'search' }, b(0.01, 30), opts),
    series('web', 'http.client.request.duration', { 'server.address': 'checkout-api' }, flat(0.02), opts),
    series('web', 'http.server.request.duration', {}, b(0.3, 4), opts),
    series('search', 'http.server.request.duration', {}, flat(0.01), opts),
    series('checkout-api', 'http.server.request.duration', {}, flat(0.02), opts),
  ];
  const q = { series: edgeSeries(), changes, topology: topo, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 };

  it('a caller that measures each call edge names the callee that got slow, not its other callee', () => {
    const ev = contextEvidence(buildContext(q));
    const callers = (id: string): number => ev.find((e) => e.change.id === id)?.a.acuteCallers ?? NaN;
    assert.ok(callers('search-infra') > 0.5, `search ${callers('search-infra')}`);
    assert.ok(callers('checkout-cfg') < 0.05, `checkout ${callers('checkout-cfg')}`);
  });

  it('a callee the caller does not measure per edge gets no share of the burst measured on another edge', () => {
    const withCache: Topology = { services: [...topo.services.map((n) => (n.name === 'web' ? { ...n, dependsOn: [...n.dependsOn, 'cache'] } : n)), { name: 'cache', team: 'search', dependsOn: [], limits: {} }] };
    const ev = contextEvidence(buildContext({ ...q, topology: withCache, changes: [...changes, change('cache-cfg', 'cache', 'config', at('13:55'))] }));
    const callers = (id: string): number => ev.find((e) => e.change.id === id)?.a.acuteCallers ?? NaN;
    assert.ok(callers('cache-cfg') < callers('search-infra') - 0.1, `cache ${callers('cache-cfg')}, search ${callers('search-infra')}`);
  });

  it("the entry's own burst is discounted by its slow calls below it, so the callee is named", () => {
    const ev = contextEvidence(buildContext(q));
    const web = ev.find((e) => e.change.id === 'web-flag');
    assert.ok((web?.acute.below ?? 0) > 0.5, 'its calls to search burst as early');
    assert.ok((web?.a.acuteSelf ?? 1) < 0.3, `self ${web?.a.acuteSelf}`);
    const a = analyze(q);
    assert.equal(a.suspects[0]?.id, 'search-infra');
    assert.ok(a.suspects[0]?.evidence.some((l) => l.includes('calls of its callers to search slowed')), a.suspects[0]?.evidence.join('\n'));
  });

  it('a pod-wide client burst as early as its own marks a service waiting on others, unless it is saturated itself', () => {
    const waiting = [series('web', 'http.client.request.duration', {}, b(0.01, 30), opts), ...edgeSeries().slice(2)];
    const web = (s: SeriesData[]) => contextEvidence(buildContext({ ...q, series: s })).find((e) => e.change.id === 'web-flag');
    assert.ok((web(waiting)?.acute.below ?? 0) > 0.5, 'waiting on a dependency');
    const busy = [...waiting, series('web', 'k8s.pod.cpu_limit_utilization', {}, b(0.1, 9), opts)];
    assert.ok((web(busy)?.acute.below ?? 1) < 0.2, `busy itself: below ${web(busy)?.acute.below}`);
  });

  it('a caller whose load on a callee rose first drives its burst: not a symptom of it (the fd story)', () => {
    // web's pooled connections to search jump, then search saturates; web's own latency follows.
    const surge = [
      series('web', 'http.client.open_connections', { 'server.address': 'search' }, (t) => (t >= at('13:56') ? 400 : 20), opts),
      series('search', 'k8s.pod.cpu_limit_utilization', {}, b(0.1, 9), opts),
      series('web', 'http.server.request.duration', {}, b(0.3, 4), opts),
    ];
    const web = contextEvidence(buildContext({ ...q, series: surge })).find((e) => e.change.id === 'web-flag');
    assert.ok((web?.acute.below ?? 1) < 0.1, `below ${web?.acute.below}`);
    // The same bursts without the load on search: web is a symptom of search.
    const plain = contextEvidence(buildContext({ ...q, series: surge.slice(1) })).find((e) => e.change.id === 'web-flag');
    assert.ok((plain?.acute.below ?? 0) > 0.5, `below ${plain?.acute.below}`);
  });

  it('the same burst on a pod-wide client series (no peer) cannot tell the two callees apart', () => {
    const pod = [series('web', 'http.client.request.duration', {}, b(0.01, 30), opts), ...edgeSeries().slice(2)];
    const ev = contextEvidence(buildContext({ ...q, series: pod }));
    const callers = (id: string): number => ev.find((e) => e.change.id === id)?.a.acuteCallers ?? NaN;
    assert.ok(Math.abs(callers('search-infra') - callers('checkout-cfg')) < 0.01);
  });

  it('a pod-wide client burst is shared among the callees it could be about (Nezha, Train Ticket: a decoy at 0.80 on one of three)', () => {
    const perEdge = contextEvidence(buildContext(q)).find((e) => e.change.id === 'search-infra')?.a.acuteCallers ?? NaN;
    const pod = [series('web', 'http.client.request.duration', {}, b(0.01, 30), opts), ...edgeSeries().slice(2)];
    const shared = contextEvidence(buildContext({ ...q, series: pod })).find((e) => e.change.id === 'search-infra')?.a.acuteCallers ?? NaN;
    assert.ok(perEdge > 0.5, `per edge ${perEdge}`);
    assert.ok(shared <= perEdge / 2 + 1e-9, `web calls two services: pod-wide ${shared}, per edge ${perEdge}`);
  });
});

describe('correlate: canary evidence (new pods vs old pods)', () => {
  const deploy = change('checkout-2', 'checkout-api', 'deploy', at('13:50'), { version: '2.0' });
  const decoy = change('pay-config', 'payments', 'config', at('13:50'));
  /** Two old pods all hour; a new pod of 2.0 from the deploy on, `factor` × their latency. */
  function pods(factor: number): SeriesData[] {
    const lat = (pod: string, version: string, level: number, from: number) =>
      series('checkout-api', 'http.server.request.duration', { 'service.instance.id': pod, 'service.version': version }, flat(level), { ...opts, from, noise: 0.01 });
    return [
      lat('old-a', '1.0', 0.2, at('13:00')),
      lat('old-b', '1.0', 0.21, at('13:00')),
      lat('new-c', '2.0', 0.2 * factor, at('13:50')),
      series('web', 'http.server.request.duration', {}, flat(0.3), opts),
    ];
  }
  const ask2 = (s: SeriesData[]) => ({ ...ask(s), changes: [deploy, decoy] });

  it('new-version instances slower than old ones over the same minutes incriminate the deploy', () => {
    const ev = contextEvidence(buildContext(ask2(pods(3))));
    const d = ev.find((e) => e.change.id === 'checkout-2');
    assert.ok((d?.acute.canary.value ?? 0) > 0.9);
    assert.ok((d?.acute.canary.p ?? 1) <= 0.05);
    assert.equal(ev.find((e) => e.change.id === 'pay-config')?.acute.canary.value, 0);
    const a = analyze(ask2(pods(3)));
    assert.equal(a.suspects[0]?.id, 'checkout-2');
    assert.ok(a.suspects[0]?.evidence.some((l) => l.startsWith('canary:')));
  });

  it('a new pod like the old ones is no evidence', () => {
    const d = contextEvidence(buildContext(ask2(pods(1)))).find((e) => e.change.id === 'checkout-2');
    assert.equal(d?.acute.canary.value, 0);
  });
});

describe('correlate: error and success ratios are measured in requests', () => {
  const one = (unit: string | undefined, v: number) => ({ series: { id: 'x', service: 's', metric: 'm', labels: {}, ...(unit === undefined ? {} : { unit }) }, points: [{ t: 0, v }] });
  const success = { signal: 'success', side: 'server', bad: -1 } as const;
  it('a success ratio has a ceiling of 100 in %, of 1 as a fraction (read from the values when the unit says nothing)', () => {
    assert.deepEqual([ratioOptions(success, one('%', 99)).ceiling, ratioOptions(success, one('%', 99)).least], [100, 1]);
    assert.deepEqual([ratioOptions(success, one('1', 0.99)).ceiling, ratioOptions(success, one('1', 0.99)).least], [1, 0.01]);
    assert.equal(ratioOptions(success, one(undefined, 97)).ceiling, 100);
    assert.equal(ratioOptions(success, one(undefined, 0.97)).ceiling, 1);
  });
  it('an error ratio counts from one point up; latency keeps the defaults', () => {
    const errors = ratioOptions({ signal: 'errors', side: 'server', bad: 1 }, one('%', 1));
    assert.deepEqual([errors.ceiling, errors.least], [undefined, 1]);
    assert.equal(ratioOptions({ signal: 'latency', side: 'server', bad: 1 }, one('s', 1)), ACUTE_DEFAULTS);
  });
});

describe('correlate: a caller’s calls as a whole speak for a callee only where no per-callee burst explains them', () => {
  const exc = (start: number) => ({ start, since: start - MIN, ongoing: false, lone: false, z: 20, relative: 10, baseline: 0.05, value: 0.8, end: start + 3 * MIN, novelty: 1 });
  const top = (start: number) => ({ series: {} as never, golden: { signal: 'latency', side: 'client', bad: 1 } as const, exc: exc(start) });
  const trouble = (edgeStart: number) => ({
    own: 0, client: 0.7, ownStart: Infinity, sat: 0, pinned: 0, podCalls: 0.7, podCallsStart: 0, podTop: top(0), pushes: new Map<string, number>(),
    calls: new Map([['currencyservice', { w: 0.8, start: edgeStart, top: top(edgeStart) }]]),
  });
  it('Nezha, Online Boutique 2022-08-22: frontend’s calls to currencyservice burst; its pod-wide client latency says little about 33.33.33.167', () => {
    const side = callerSide(trouble(0), '33.33.33.167', MIN);
    assert.equal(side.perEdge, false);
    assert.ok(Math.abs(side.w - 0.7 * 0.2) < 1e-9, String(side.w));
  });
  it('a per-callee burst that started later does not explain the earlier pod-wide one', () => {
    assert.equal(callerSide(trouble(5 * MIN), '33.33.33.167', MIN).w, 0.7);
  });
  it('the measured edge itself is read as it is', () => {
    assert.equal(callerSide(trouble(0), 'currencyservice', MIN).w, 0.8);
  });
});
