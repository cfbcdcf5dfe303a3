import assert from 'node:assert/strict';
import { AlertDedupe, alertKey } from '../../../src/slack/dedupe';

describe('slack alert dedupe', () => {
  it('claims a key once; a second claim (repeat or concurrent delivery) is refused', () => {
    const d = new AlertDedupe<string>();
    assert.equal(d.claim('a@1'), true);
    assert.equal(d.claim('a@1'), false, 'in flight');
    d.confirm('a@1', 'posted');
    assert.equal(d.claim('a@1'), false, 'posted');
    assert.equal(d.posted('a@1'), 'posted');
  });

  it('releases a failed claim so a retry can post', () => {
    const d = new AlertDedupe<string>();
    assert.equal(d.claim('a@1'), true);
    d.release('a@1');
    assert.equal(d.claim('a@1'), true);
    d.confirm('a@1', 'x');
    d.release('a@1'); // release never forgets a posted key
    assert.equal(d.claim('a@1'), false);
  });

  it('stays bounded, forgetting the oldest first', () => {
    const d = new AlertDedupe<number>(3);
    for (const k of ['k1', 'k2', 'k3', 'k4']) {
      d.claim(k);
      d.confirm(k, 1);
    }
    assert.equal(d.size, 3);
    assert.equal(d.posted('k1'), undefined);
    assert.equal(d.posted('k4'), 1);
    assert.throws(() => new AlertDedupe(0), RangeError);
  });

  it('keys an alert by fingerprint and startsAt; without a fingerprint by group key and sorted labels', () => {
    assert.equal(alertKey({ fingerprint: 'f1', labels: {}, startsAt: 5 }, 'g'), 'f1@5');
    assert.notEqual(alertKey({ fingerprint: 'f1', labels: {}, startsAt: 6 }, 'g'), 'f1@5', 'a new occurrence is a new key');
    const a = alertKey({ labels: { b: '2', a: '1' }, startsAt: 5 }, 'g');
    const b = alertKey({ labels: { a: '1', b: '2' }, startsAt: 5 }, 'g');
    assert.equal(a, b);
    assert.notEqual(alertKey({ labels: { a: '1' }, startsAt: 5 }, 'g2'), alertKey({ labels: { a: '1' }, startsAt: 5 }, 'g'));
  });
});
