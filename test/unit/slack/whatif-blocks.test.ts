import assert from 'node:assert/strict';
import { slackLimitViolations } from '../../../src/slack/limits';
import { whatIfBlocks } from '../../../src/slack/whatif';
import type { Prediction, Proposal } from '../../../src/whatif/types';

const PROPOSAL: Proposal = { id: 'p-1', type: 'config', service: 'web', team: 'storefront', time: Date.parse('2026-03-12T13:02:00Z'), keys: [], quantities: {} };

describe('the what-if Slack message', () => {
  it('says it cannot tell, and for whom, when the services the change acts on report no resource counters', () => {
    const pred: Prediction = { verdict: 'unknown', breaches: [], effects: [], blind: [{ service: 'api', team: 'payments' }], assumptions: [] };
    const msg = whatIfBlocks(pred, PROPOSAL);
    assert.deepEqual(slackLimitViolations(msg), []);
    const text = JSON.stringify(msg.blocks);
    assert.match(text, /What-if UNKNOWN/);
    assert.match(text, /Cannot tell: no fds, connections, threads or memory reported by api \(team payments\)/);
    assert.doesNotMatch(text, /No series is predicted/);
  });

  it('keeps saying nothing is predicted to move when the verdict is safe', () => {
    const pred: Prediction = { verdict: 'safe', breaches: [], effects: [], blind: [], assumptions: [] };
    assert.match(JSON.stringify(whatIfBlocks(pred, PROPOSAL).blocks), /No series is predicted to reach a limit/);
  });
});
