import assert from 'node:assert/strict';
import { analyze, buildContext, contextEvidence } from '../../../src/correlate';
import type { Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { at, change, MIN, series } from './helpers';

// web → payments. web, the paged service, raises its client pool to payments ×8 at 13:42; from
// 13:44 payments answers five times slower for good, and web with it. payments' own flag went out
// half an hour before. The lasting move below web came after web's own change said it would push.
const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['payments'], limits: {} },
    { name: 'payments', team: 'payments', dependsOn: [], limits: {} },
  ],
};
const PAGE = at('14:00');
const SLOW = at('13:44');
const opts = { from: at('12:30'), to: PAGE + MIN, int: false, noise: 0.02 };
const slow = (level: number, factor: number) => (t: number): number => (t >= SLOW ? level * factor : level);
const pool = (to: string) => change('web-pool', 'web', 'config', at('13:42'), { settings: [{ key: 'http.client.pool.max_size', from: '10', to }] });
const SERIES: SeriesData[] = [
  series('payments', 'http.server.request.duration', {}, slow(0.04, 5), opts),
  series('web', 'http.client.request.duration', { 'server.address': 'payments' }, slow(0.05, 5), opts),
  series('web', 'http.server.request.duration', {}, slow(0.1, 3), opts),
];
const ask = (to: string) => ({ series: SERIES, changes: [change('pay-flag', 'payments', 'flag', at('13:12')), pool(to)], topology: TOPO, service: 'web', at: PAGE, windowMs: 90 * MIN, afterMs: 0 });
const show = (a: ReturnType<typeof analyze>): string => a.suspects.map((x) => `${x.id} ${x.score.toFixed(2)}: ${x.evidence.join(' | ')}`).join('\n');

describe('correlate: the paged service\'s own change that says it pushes owns the trouble below it', () => {
  it('regression: a lasting slowdown below it that began after it is its push, not trouble it passes on (was: discounted as passed on)', () => {
    const said = contextEvidence(buildContext(ask('80'))).find((e) => e.change.id === 'web-pool');
    const silent = contextEvidence(buildContext(ask('10'))).find((e) => e.change.id === 'web-pool');
    assert.ok((silent?.passedOn.value ?? 0) > 0.5, 'a change that says nothing passes on the slowdown below');
    assert.equal(said?.passedOn.value, 0);
    assert.equal(said?.first.value, 0);
    // Its own calls to payments slowing are its push too, not another explanation of its trouble.
    assert.equal(said?.elsewhere.value, 0);
    assert.ok((silent?.elsewhere.value ?? 0) > 0.2, String(silent?.elsewhere.value));
    const a = analyze(ask('80'));
    assert.equal(a.suspects[0]?.id, 'web-pool', show(a));
  });
});
