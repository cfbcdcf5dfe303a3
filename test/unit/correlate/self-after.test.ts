import assert from 'node:assert/strict';
import type { Context } from '../../../src/correlate/context';
import { acuteLines } from '../../../src/correlate/explain-acute';
import { selfAfter, type CandidateEvidence } from '../../../src/correlate/features';
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

describe('explanation: the service-level line says only what the score still counts', () => {
  const lines = (below: number, first: number): string[] => {
    const canary: CanaryEvidence = { value: 1, kind: 'service', metric: 'http.server.request.duration', newMedian: 2, oldMedian: 1, p: 0.01 };
    const e = {
      change: { id: 'c', service: 'api', team: 't', type: 'deploy', time: 0 },
      acute: acute(0, canary, below),
      first: { value: first },
      a: { acuteSelf: 0, acuteCallers: 0, acuteExplains: 0, acuteBelow: below, quiet: 0 },
      pushed: { value: 0, path: [], start: Infinity },
      fromAbove: 0,
    } as unknown as CandidateEvidence;
    return acuteLines({} as Context, e).map((l) => l.text);
  };
  it('shown when nothing below explains it', () => assert.ok(lines(0, 0).some((t) => t.startsWith('service: ')), lines(0, 0).join('\n')));
  it('not shown when a burst below explains it (was: shown from the undiscounted comparison)', () => assert.ok(!lines(0.95, 0).some((t) => t.startsWith('service: '))));
  it('not shown when a lasting move below came first', () => assert.ok(!lines(0, 0.95).some((t) => t.startsWith('service: '))));
});
