import assert from 'node:assert/strict';
import { analyze, buildContext, contextEvidence } from '../../../src/correlate';
import { quietRun, quietStrength } from '../../../src/detect/acute';
import type { Point, Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { at, change, MIN, series } from './helpers';

// web → checkout → {payments, email}; web → catalog; checkout → catalog. Paged on web at 14:04.
const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['checkout', 'catalog'], limits: {} },
    { name: 'checkout', team: 'checkout', dependsOn: ['payments', 'email', 'catalog'], limits: {} },
    { name: 'payments', team: 'payments', dependsOn: [], limits: {} },
    { name: 'email', team: 'email', dependsOn: [], limits: {} },
    { name: 'catalog', team: 'catalog', dependsOn: [], limits: {} },
  ],
};
const PAGE = at('14:04');
/** A low request rate that wanders (0.2–0.5 requests/s), as real low-traffic services do. */
const wander = (base: number) => (t: number): number => base * (1 + 0.4 * Math.sin(t / 97_000));
/** `f`, all but stopped in [from, to). */
const stops = (f: (t: number) => number, from: number, to = Infinity) => (t: number): number => (t >= from && t < to ? 0 : f(t));

const CHANGES = [
  change('checkout-deploy', 'checkout', 'deploy', at('14:00')),
  change('catalog-config', 'catalog', 'config', at('14:00') + 20_000),
  change('web-flag', 'web', 'flag', at('13:59')),
];
const ask = (s: SeriesData[], page = PAGE) => ({ series: s, changes: CHANGES, topology: TOPO, service: 'web', at: page, windowMs: 60 * MIN, afterMs: 0 });
const RATE = 'http.server.request.rate';

interface Story {
  /** Calls to payments and email stop at 14:01 (else they go on). */
  readonly stop?: boolean;
  /** … and come back at 14:02 (a trouble over before the page). */
  readonly backAt?: number;
  /** Requests to checkout itself stop too (fewer came in: it only passed that on). */
  readonly checkoutQuiet?: boolean;
  /** Only email stops. */
  readonly oneCallee?: boolean;
  /** When the page comes (the data ends a minute after it). */
  readonly page?: number;
}

function story(st: Story = {}): SeriesData[] {
  const from = at('14:01');
  const opts = { from: at('13:00'), to: (st.page ?? PAGE) + MIN, int: false, noise: 0.01 };
  const calls = (base: number, on: boolean) => (on ? stops(wander(base), from, st.backAt) : wander(base));
  return [
    series('web', RATE, {}, wander(10), opts),
    series('web', 'http.server.request.duration', {}, (t) => (t >= from ? 0.9 : 0.3), opts),
    series('checkout', RATE, {}, st.checkoutQuiet === true ? stops(wander(0.4), from) : wander(0.4), opts),
    series('payments', RATE, {}, calls(0.35, st.stop === true && st.oneCallee !== true), opts),
    series('email', RATE, {}, calls(0.3, st.stop === true), opts),
    series('catalog', RATE, {}, wander(40), opts),
  ];
}

const evidence = (s: SeriesData[], id = 'checkout-deploy', page = PAGE) => contextEvidence(buildContext(ask(s, page))).find((e) => e.change.id === id);
const stopped = (s: SeriesData[], id?: string, page?: number): number => evidence(s, id, page)?.stopped.value ?? NaN;

describe('correlate: a changed service stopped calling its dependencies (lull)', () => {
  it('payments and email going quiet right after checkout changed is evidence for checkout, named first with the reason', () => {
    assert.ok(stopped(story({ stop: true })) > 0.6, `stopped ${stopped(story({ stop: true }))}`);
    assert.equal(stopped(story()), 0, 'nothing stopped');
    assert.equal(stopped(story({ stop: true }), 'catalog-config'), 0, 'catalog calls nobody');
    const a = analyze(ask(story({ stop: true })));
    assert.equal(a.suspects[0]?.id, 'checkout-deploy', a.suspects.map((s) => `${s.id} ${s.score.toFixed(2)}`).join(', '));
    assert.ok(a.suspects[0]?.evidence.some((t) => /checkout stopped calling email, payments: their incoming traffic all but stopped from 14:01 \(http\.server\.request\.rate of (email|payments) 0\.\d+→-?0\.?\d*\), 1 min after this change, while checkout's did not/.test(t)), a.suspects[0]?.evidence.join('\n'));
    // The timeline charts what fell: the requests arriving at each quiet callee.
    assert.deepEqual(a.suspects[0]?.bursts?.filter((b) => b.role === 'callees').map((b) => [b.series.service, b.start, Math.abs(b.value) < 0.01]).sort(), [['email', at('14:01'), true], ['payments', at('14:01'), true]]);
  });

  it('fewer requests reaching checkout itself: it only passed the lull on', () => {
    assert.ok(stopped(story({ stop: true, checkoutQuiet: true })) < 0.1, `stopped ${stopped(story({ stop: true, checkoutQuiet: true }))}`);
  });

  it('calls that came back well before the page were an earlier trouble', () => {
    const page = at('14:08');
    assert.ok(stopped(story({ stop: true, page }), undefined, page) > 0.6, 'still quiet at a later page');
    assert.equal(stopped(story({ stop: true, backAt: at('14:03') + 30_000, page }), undefined, page), 0);
  });

  it('one callee going quiet counts half: that is also what its own failure looks like', () => {
    const one = stopped(story({ stop: true, oneCallee: true }));
    const both = stopped(story({ stop: true }));
    assert.ok(one > 0.2 && one <= both / 2 + 1e-9, `one ${one}, both ${both}`);
  });

  it("a service below the paged one that stopped calling, even one callee, makes the paged service's own burst a symptom", () => {
    const s = story({ stop: true, oneCallee: true });
    const web = evidence(s, 'web-flag');
    assert.ok((web?.acute.below ?? 0) > 0.5, `below ${web?.acute.below}`);
    assert.match(web?.acute.belowWhat ?? '', /^checkout \(its own calls stopped\)$/);
    assert.equal(evidence(story(), 'web-flag')?.acute.below, 0, 'nothing stopped below');
    const a = analyze(ask(s));
    assert.equal(a.suspects[0]?.id, 'checkout-deploy', a.suspects.map((x) => `${x.id} ${x.score.toFixed(2)}`).join(', '));
  });

  it('a callee with other callers speaks only through calls measured from the changed service', () => {
    // catalog (called by web and checkout) stopping says nothing of checkout by itself.
    const s = story().map((x) => (x.series.service === 'catalog' ? series('catalog', RATE, {}, stops(wander(40), at('14:01')), { from: at('13:00'), to: PAGE + MIN, int: false, noise: 0.01 }) : x));
    assert.equal(stopped(s), 0);
  });
});

describe('detect: quietRun, a rate that all but stopped', () => {
  const MIN_MS = MIN;
  const pts = (vs: number[]): Point[] => vs.map((v, i) => ({ t: i * MIN_MS, v }));
  const win = (n: number) => ({ baseFrom: 0, baseTo: n * MIN_MS, from: n * MIN_MS, to: (n + 5) * MIN_MS });

  it('finds the first run of two or more samples at a quarter of the baseline median or less', () => {
    const hour = Array.from({ length: 30 }, (_, i) => 4 + (i % 3) - 1);
    const q = quietRun(pts([...hour, 0, 0, 0, 4]), win(30));
    assert.deepEqual(q && { start: q.start, since: q.since, end: q.end, samples: q.samples }, { start: 30 * MIN, since: 29 * MIN, end: 32 * MIN, samples: 3 });
    assert.ok(quietStrength(q!) > 0.9, `${quietStrength(q!)}`);
    // The same run after a short baseline is less sure: the baseline could not show how rare it is.
    const short = quietRun(pts([4, 5, 3, 4, 6, 4, 5, 4, 3, 5, 0, 0, 0, 4]), win(10));
    assert.ok(short !== undefined && quietStrength(short) < quietStrength(q!), `${short && quietStrength(short)}`);
    assert.equal(quietRun(pts([4, 5, 3, 4, 6, 4, 5, 4, 3, 5, 0, 4, 0, 4]), win(10)), undefined, 'single samples are noise');
  });

  it('a rate idle half the time says nothing when it is idle again', () => {
    const q = quietRun(pts([0, 1, 0, 2, 0, 1, 1, 0, 2, 0, 0, 0, 0, 1]), win(10));
    assert.equal(q === undefined ? 0 : quietStrength(q), 0);
  });
});
