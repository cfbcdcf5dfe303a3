import assert from 'node:assert/strict';
import { verdictFromRow, verdictRow } from '../../../src/clickhouse/whatif-verdicts';
import type { StoredVerdict } from '../../../src/whatif';

const AT = Date.parse('2026-03-12T12:59:30.250Z');

describe('clickhouse whatif_verdicts rows', () => {
  const v: StoredVerdict = {
    at: AT, origin: 'http', verdict: 'breach', risks: 2,
    proposal: { id: 'p-1', service: 'order-sync', type: 'config', team: 'fulfilment', summary: 'pool 30 → 1200', time: Date.parse('2026-03-12T13:02:00Z') },
    breaches: [{ service: 'checkout-api', metric: 'process.open_file_descriptor.count', instance: 'c-1', limit: 1024, predicted: 1290.04, low: 664, high: 1916, at: '2026-03-12T13:02:00.000Z', path: ['order-sync', 'checkout-api'], team: 'checkout' }],
  };

  it('round-trips a verdict (64-bit columns read back as strings) and writes a readable breach line', () => {
    const row = verdictRow(v);
    assert.equal(row.t, Math.floor(AT / 1000));
    assert.equal(row.breach_summary, 'checkout-api process.open_file_descriptor.count [c-1] 1290 ≥ 1024 (team checkout)');
    const back = verdictFromRow({ ...row, t_ms: String(row.t_ms), proposal_t_ms: String(row.proposal_t_ms), breach_at_ms: row.breach_at_ms.map(String) });
    assert.deepEqual(back, v);
  });

  it('keeps a safe verdict without team or summary as absent, not empty', () => {
    const safe: StoredVerdict = { at: AT, origin: 'cli', verdict: 'safe', risks: 0, breaches: [], proposal: { id: 'p-2', service: 's', type: 'deploy', time: AT } };
    assert.deepEqual(verdictFromRow(verdictRow(safe)), safe);
  });

  it('refuses a verdict it does not know and a time outside DateTime', () => {
    assert.throws(() => verdictFromRow({ ...verdictRow(v), verdict: 'maybe' }), /unknown verdict 'maybe'/);
    assert.throws(() => verdictRow({ ...v, at: -1 }), /outside 1970/);
  });
});
