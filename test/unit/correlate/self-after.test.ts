import assert from 'node:assert/strict';
import type { Context } from '../../../src/correlate/context';
import { acuteLines } from '../../../src/correlate/explain-acute';
import { selfAfter, type CandidateEvidence } from '../../../src/correlate/features';
import type { AcuteEvidence } from '../../../src/correlate/features/acute';
import type { CanaryEvidence } from '../../../src/correlate/features/canary';

const acute = (self: number, canary: CanaryEvidence, below = 0): AcuteEvidence => ({ self, canary, callers: 0, below, victim: 0, trouble: new Map() });

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

describe('explanation: the service-level and canary lines say only what the score still counts', () => {
  const MIN = 60_000;
  const lines = (below: number, first: number, o: { kind?: 'service' | 'canary'; service?: string; releasedMinBefore?: number; oldPods?: number } = {}): string[] => {
    const canary: CanaryEvidence = { value: 1, kind: o.kind ?? 'service', metric: 'http.server.request.duration', newMedian: 2, oldMedian: 1, p: 0.01 };
    const e = {
      change: { id: 'c', service: o.service ?? 'api', team: 't', type: 'deploy', time: -(o.releasedMinBefore ?? 0) * MIN, version: '2.0.0' },
      acute: acute(0, canary, below),
      first: { value: first },
      a: { acuteSelf: 0, acuteCallers: 0, quiet: 0 },
      pushed: { value: 0, path: [], start: Infinity },
      fromAbove: 0,
      travelledUp: { value: 0 },
      oldPods: { value: o.oldPods ?? 0 },
      later: { value: 0 },
      stopped: { value: 0, callees: [], start: Infinity },
      onto: { value: 0 },
      callee: { value: 0 },
      said: { value: 0 },
      earlier: { value: 0 },
      pushes: { value: 0 },
      passedOn: { value: 0 },
    } as unknown as CandidateEvidence;
    return acuteLines({ victim: 'api', onset: 0, tolMs: 3 * MIN } as Context, e).map((l) => l.text);
  };
  const has = (ls: string[], prefix: string): boolean => ls.some((t) => t.startsWith(prefix));
  it('shown when nothing below explains it', () => assert.ok(has(lines(0, 0), 'service: '), lines(0, 0).join('\n')));
  it('not shown when a burst below explains it (was: shown from the undiscounted comparison)', () => assert.ok(!has(lines(0.95, 0), 'service: ')));
  it('not shown when a lasting move below came first', () => assert.ok(!has(lines(0, 0.95), 'service: ')));
  it("another service's canary verdict from two hours before the trouble is not shown (was: shown though the score faded it)", () => {
    assert.ok(has(lines(0, 0, { kind: 'canary', service: 'db', releasedMinBefore: 2 }), 'canary: '));
    assert.ok(!has(lines(0, 0, { kind: 'canary', service: 'db', releasedMinBefore: 120 }), 'canary: '));
  });
  it('a service-level worsening is not shown when the old pods got as much worse (was: shown though the score cleared it)', () => {
    assert.ok(!has(lines(0, 0, { oldPods: 0.95 }), 'service: '));
  });
});
