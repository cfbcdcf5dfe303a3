import assert from 'node:assert/strict';
import { selfAfter } from '../../../src/correlate/features';
import type { AcuteEvidence } from '../../../src/correlate/features/acute';
import type { CanaryEvidence } from '../../../src/correlate/features/canary';

const acute = (self: number, canary: CanaryEvidence, below = 0): AcuteEvidence => ({ self, canary, callers: 0, explains: 0, below, victim: 0, trouble: new Map() });

describe("evidence: the changed service's own worsening, less what below explains", () => {
  it('a service-level worsening while a service below burst as early is not the release\'s (was: counted in full)', () => {
    assert.ok(selfAfter(acute(1, { value: 1, kind: 'service' }, 0.9), 0) < 0.2);
  });
  it('a lasting move below that came first discounts a burst and a service-level worsening alike', () => {
    assert.ok(selfAfter(acute(0.9, { value: 0 }), 1) < 0.01);
    assert.ok(selfAfter(acute(1, { value: 1, kind: 'service' }), 0.8) < 0.3);
  });
  it('new pods worse than old ones over the same minutes stand whatever happened below', () => {
    assert.equal(selfAfter(acute(1, { value: 1, kind: 'canary' }, 0.9), 1), 1);
  });
  it('with nothing below, the evidence is unchanged', () => {
    assert.equal(selfAfter(acute(0.7, { value: 0 }), 0), 0.7);
    assert.equal(selfAfter(acute(0.8, { value: 0.8, kind: 'service' }), 0), 0.8);
  });
});
