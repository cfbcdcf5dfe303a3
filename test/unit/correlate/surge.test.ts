import assert from 'node:assert/strict';
import { analyze, buildContext, contextEvidence } from '../../../src/correlate';
import type { Context } from '../../../src/correlate/context';
import { downPaths, pushedLoad } from '../../../src/correlate/features/surge';
import type { Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { at, change, CONNS, FD, input, MIN, series, step, TOPO as STORY } from './helpers';

// web → ads-api → tax-db, and web → search; the page is on tax-db at 14:00 with one hour of 1-minute history.
const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['ads-api', 'search'], limits: {} },
    { name: 'ads-api', team: 'growth', dependsOn: ['tax-db'], limits: {} },
    { name: 'tax-db', team: 'finance', dependsOn: [], limits: {} },
    { name: 'search', team: 'catalog', dependsOn: [], limits: {} },
  ],
};
const PAGE = at('14:00');
const opts = { from: at('13:00'), to: PAGE, int: false, noise: 0.02 };
const flat = (level: number) => (): number => level;
/** `level` before `from`, ×`factor` from then on. */
const rise = (level: number, factor: number, from: number) => (t: number): number => (t >= from ? level * factor : level);

const CHANGES = [
  change('web-flag', 'web', 'flag', at('13:55')),
  change('tax-deploy', 'tax-db', 'deploy', at('13:55')),
  change('search-config', 'search', 'config', at('13:54')),
];
const ask = (s: SeriesData[]) => ({ series: s, changes: CHANGES, topology: TOPO, service: 'tax-db', at: PAGE, windowMs: 60 * MIN, afterMs: 0 });

interface Story {
  /** web's own incoming rate rises with the others (it only passes load on). */
  readonly webRises?: boolean;
  /** When tax-db's request rate rises (default 13:56) and when its latency does (default 13:57). */
  readonly moreRequests?: number;
  readonly slower?: number | undefined;
  /** ads-api's incoming rate rises too (the extra requests come from above tax-db). */
  readonly adsRises?: boolean;
}

/** web flips a flag at 13:55 that sends more traffic through ads-api down to tax-db, which slows down under it. */
function fanout(st: Story = {}): SeriesData[] {
  const more = st.moreRequests ?? at('13:56');
  const slower = 'slower' in st ? st.slower : at('13:57');
  return [
    series('web', 'http.server.request.count', {}, st.webRises === true ? rise(100, 3, at('13:56')) : flat(100), opts),
    series('web', 'http.server.request.duration', {}, flat(0.2), opts),
    series('ads-api', 'http.server.request.count', {}, st.adsRises === false ? flat(150) : rise(150, 3, at('13:56')), opts),
    series('ads-api', 'http.server.request.duration', {}, flat(0.1), opts),
    series('tax-db', 'http.server.request.count', {}, rise(300, 3, more), opts),
    series('tax-db', 'http.server.request.duration', {}, slower === undefined ? flat(0.05) : rise(0.05, 5, slower), opts),
    series('search', 'http.server.request.count', {}, flat(80), opts),
  ];
}

const evidence = (s: SeriesData[]) => {
  const ev = contextEvidence(buildContext(ask(s)));
  const of = (id: string) => ev.find((e) => e.change.id === id);
  return { flag: of('web-flag'), deploy: of('tax-deploy'), search: of('search-config') };
};

describe('correlate: load pushed down (surge)', () => {
  it('a flag that sends more requests down the calls to a service that then slows is named, above the slowed service own deploy', () => {
    const { flag, deploy, search } = evidence(fanout());
    assert.ok((flag?.pushed.value ?? 0) > 0.5, `pushed ${flag?.pushed.value}`);
    assert.deepEqual(flag?.pushed.path, ['ads-api', 'tax-db']);
    assert.ok((deploy?.fromAbove ?? 0) > 0.5, `fromAbove ${deploy?.fromAbove}`);
    assert.equal(search?.pushed.value, 0, 'search is not on a call path down to tax-db');
    const a = analyze(ask(fanout()));
    assert.equal(a.suspects[0]?.id, 'web-flag');
    assert.ok(a.suspects[0]?.evidence.some((t) => /pushed down the calls: request rate of ads-api, tax-db rose/.test(t)), a.suspects[0]?.evidence.join('\n'));
    assert.ok(a.suspects.find((s) => s.id === 'tax-deploy')?.evidence.some((t) => /from above/.test(t)));
  });

  it('regression: the same story as OTel instruments it, the request rate being the duration histogram\'s count (was: read as a latency, the flag named for a slow-down and the rise never seen as load)', () => {
    const otel = fanout().map((x) => (x.series.metric === 'http.server.request.count' ? series(x.series.service, 'http.server.request.duration.count', {}, ((pts) => (t: number) => pts.find((p) => p.t === t)?.v ?? 0)(x.points), { ...opts, noise: 0 }) : x));
    const flag = contextEvidence(buildContext(ask(otel))).find((e) => e.change.id === 'web-flag');
    assert.ok((flag?.pushed.value ?? 0) > 0.5, `pushed ${flag?.pushed.value}`);
    const a = analyze(ask(otel));
    assert.equal(a.suspects[0]?.id, 'web-flag');
    assert.ok(a.suspects[0]?.evidence.some((t) => /pushed down the calls/.test(t)), a.suspects[0]?.evidence.join('\n'));
  });

  it('regression: a service further down that changed is no more to blame for load reaching it than the paged one (blind seed 180: a flag of a service its callers\' retries loaded named at 0.81)', () => {
    // The page is on web, which tax-db's slowdown reaches through ads-api.
    const s = fanout().map((x) => (x.series.service === 'web' && x.series.metric === 'http.server.request.duration' ? series('web', 'http.server.request.duration', {}, rise(0.2, 3, at('13:57')), opts) : x));
    const ev = contextEvidence(buildContext({ ...ask(s), service: 'web' }));
    const deploy = ev.find((e) => e.change.id === 'tax-deploy');
    assert.ok((deploy?.fromAbove ?? 0) > 0.5, `fromAbove ${deploy?.fromAbove}`);
    assert.ok((deploy?.a.acuteSelf ?? 1) < 0.3, `acuteSelf ${deploy?.a.acuteSelf}`);
    const lines = analyze({ ...ask(s), service: 'web' }).suspects.find((x) => x.id === 'tax-deploy')?.evidence.join('\n') ?? '';
    assert.match(lines, /more requests arrived at tax-db from above as its trouble began/);
  });

  it("regression: another caller's requests arriving at the next service are not this change's (sim seed 90237: a flag credited with a rise its neighbour sent)", () => {
    const shared: Topology = { services: [...TOPO.services, { name: 'mobile', team: 'apps', dependsOn: ['ads-api'], limits: {} }] };
    const withShared = (s: SeriesData[]) => contextEvidence(buildContext({ ...ask(s), topology: shared })).find((e) => e.change.id === 'web-flag');
    const alone = evidence(fanout()).flag?.pushed.value ?? 0;
    const halved = withShared(fanout())?.pushed.value ?? 1;
    assert.ok(halved <= 0.55 * alone, `ads-api has two callers: its incoming rate says web sent more only half as surely (${halved} vs ${alone})`);
    const calls = series('web', 'http.client.request.count', { 'server.address': 'ads-api' }, rise(100, 3, at('13:56')), opts);
    assert.ok((withShared([...fanout(), calls])?.pushed.value ?? 0) > 0.5, "web's own calls to ads-api rose: that hop is measured as web's");
  });

  it('a change at a service that only passed on load arriving from further up pushes nothing', () => {
    assert.ok((evidence(fanout({ webRises: true })).flag?.pushed.value ?? 1) < 0.1);
  });

  it('requests rising only after the service got slow are callers retrying, not load from above', () => {
    const s = fanout({ moreRequests: at('13:58'), slower: at('13:56'), adsRises: false });
    const { flag, deploy } = evidence(s);
    assert.equal(flag?.pushed.value, 0);
    assert.equal(deploy?.fromAbove, 0);
    assert.equal(analyze(ask(s)).suspects[0]?.id, 'tax-deploy');
  });

  it('a paged service already in lasting trouble before the change was not pushed into it by load arriving after (sim seed 90149: 0.92 wrong)', () => {
    // 5-minute steps: tax-db moved for good at 13:45 and again at 13:55, as the flag flipped; more
    // requests reach ads-api and tax-db in the 14:00 sample.
    const graph = { callees: (s: string): string[] => ({ web: ['ads-api'], 'ads-api': ['tax-db'] })[s] ?? [], callers: (s: string): string[] => ({ 'ads-api': ['web'], 'tax-db': ['ads-api'] })[s] ?? [] };
    const ctx = (trouble: number[]) => ({ victim: 'tax-db', graph, stepMs: 5 * MIN, tolMs: 5 * MIN, trouble: trouble.map((t) => ({ s: { time: t }, w: 1 })) }) as unknown as Context;
    const more = { w: 1, start: at('14:00'), since: at('13:55') };
    const surges = new Map([['ads-api', more], ['tax-db', more]]);
    const flag = change('web-flag', 'web', 'flag', at('13:55'));
    assert.ok(pushedLoad(ctx([at('13:55')]), flag, surges, new Map()).value > 0.5, 'trouble with the load: pushed');
    assert.equal(pushedLoad(ctx([at('13:45'), at('13:55')]), flag, surges, new Map()).value, 0);
  });

  it('more requests reaching the paged service before anything else moved count, at half weight; reaching nobody paged, nothing', () => {
    const { flag } = evidence(fanout({ slower: undefined }));
    assert.ok((flag?.pushed.value ?? 0) > 0.2 && (flag?.pushed.value ?? 1) <= 0.5, `pushed ${flag?.pushed.value}`);
    const calm = fanout({ slower: undefined }).map((x) => (x.series.service === 'tax-db' && x.series.metric === 'http.server.request.count' ? series('tax-db', 'http.server.request.count', {}, flat(300), opts) : x));
    assert.equal(evidence(calm).flag?.pushed.value, 0);
  });

  it('a caller whose connections to the paged service jumped right after its config change pushed load (the fd story, connections instead of requests)', () => {
    const pool = change('ads-pool', 'ads-api', 'config', at('13:55'));
    const s = [
      series('ads-api', 'http.server.request.count', {}, flat(150), opts),
      series('ads-api', 'http.client.open_connections', { 'server.address': 'tax-db' }, rise(12, 8, at('13:56')), opts),
      series('tax-db', 'http.server.request.count', {}, flat(300), opts),
      series('tax-db', 'process.open_file_descriptor.count', {}, rise(200, 4, at('13:56')), opts),
    ];
    const ev = contextEvidence(buildContext({ ...ask(s), changes: [...CHANGES, pool] }));
    const e = ev.find((x) => x.change.id === 'ads-pool');
    assert.ok((e?.pushed.value ?? 0) > 0.5, `pushed ${e?.pushed.value}`);
    assert.deepEqual(e?.pushed.path, ['tax-db']);
    assert.equal(ev.find((x) => x.change.id === 'web-flag')?.pushed.value, 0, "web's calls did not grow: nothing of this came through it");
  });

  it("a pool naming no server stands in for the hop, discounted, when the caller's topology says whom it calls", () => {
    const pool = change('ads-pool', 'ads-api', 'config', at('13:55'));
    const s = [
      series('ads-api', 'db_pool_connections', {}, rise(12, 8, at('13:56')), opts),
      series('tax-db', 'process.open_file_descriptor.count', {}, rise(200, 4, at('13:56')), opts),
    ];
    const e = contextEvidence(buildContext({ ...ask(s), changes: [...CHANGES, pool] })).find((x) => x.change.id === 'ads-pool');
    assert.ok((e?.pushed.value ?? 0) > 0.3 && (e?.pushed.value ?? 1) <= 0.6, `pushed ${e?.pushed.value}`);
  });

  it("regression: a caller holding more connections to a service that waits on its own dependency pushed nothing (Little's law; was read as the caller's load)", () => {
    // payments slows at 12:33: checkout-api holds more connections to it; web deploys at 12:32 and holds more on the slower checkout-api.
    const s = [
      series('checkout-api', CONNS, { 'server.address': 'payments' }, step(20, 300, at('12:33'))),
      series('web', CONNS, { 'server.address': 'checkout-api' }, step(30, 90, at('12:34'))),
      series('checkout-api', FD, {}, step(500, 950, at('12:34'))),
    ];
    const web = change('webdep', 'web', 'deploy', at('12:32'));
    const e = contextEvidence(buildContext(input(s, [web], { topology: STORY, at: at('12:40'), windowMs: 60 * MIN, afterMs: 0 }))).find((x) => x.change.id === 'webdep');
    assert.ok((e?.pushed.value ?? 1) < 0.1, `pushed ${e?.pushed.value}`);
  });

  it('downPaths lists every call path down to the target within the hop limit', () => {
    const callees = (s: string): string[] => ({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] } as Record<string, string[]>)[s] ?? [];
    assert.deepEqual(downPaths(callees, 'a', 'd', 3), [['a', 'b', 'd'], ['a', 'c', 'd']]);
    assert.deepEqual(downPaths(callees, 'd', 'a', 3), []);
    assert.deepEqual(downPaths(callees, 'a', 'd', 1), []);
  });
});
