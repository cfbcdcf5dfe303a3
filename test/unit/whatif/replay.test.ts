import assert from 'node:assert/strict';
import { buildSnapshot, predict, type Proposal } from '../../../src/whatif';
import { replay } from '../../../src/whatif/replay';
import { HOUR, T0, TOPOLOGY, twoServices } from './fixtures';

const AT = T0 + 27 * HOUR;
const proposal = (to: number): Proposal => ({ id: 'p-pool', type: 'config', service: 'a', team: 'alpha', time: AT, keys: ['http.client.pool.min_idle'], quantities: { settings: [{ key: 'http.client.pool.min_idle', from: 10, to, peer: 'b' }] } });

describe('whatif replay', () => {
  const series = twoServices(32);
  const snap = buildSnapshot({ series, changes: [], topology: TOPOLOGY, until: AT });

  it('pages on the callee once the predicted effect is injected, and the correlator names the proposal', () => {
    const p = proposal(400);
    const r = replay({ series, changes: [], topology: TOPOLOGY, proposal: p, prediction: predict(snap, p), from: T0 + 20 * HOUR, to: T0 + 32 * HOUR });
    assert.ok(r.page !== undefined);
    assert.equal(r.page.service, 'b');
    assert.equal(r.page.metric, 'process.open_file_descriptor.count');
    assert.ok(r.page.at >= AT && r.page.at < AT + HOUR, new Date(r.page.at).toISOString());
    assert.equal(r.rank, 1);
  });

  it('does not page for a small change', () => {
    const p = proposal(12);
    const r = replay({ series, changes: [], topology: TOPOLOGY, proposal: p, prediction: predict(snap, p), from: T0 + 20 * HOUR, to: T0 + 32 * HOUR });
    assert.equal(r.page, undefined);
    assert.equal(r.rank, 0);
  });
});
