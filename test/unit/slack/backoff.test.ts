import assert from 'node:assert/strict';
import { backoffDelay, isRetriableStatus, parseRetryAfter } from '../../../src/slack/backoff';

describe('slack backoff', () => {
  it('reads Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 12:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now), 0, 'a past date means now');
    assert.equal(parseRetryAfter('-1', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  it('backs off exponentially with equal jitter, capped', () => {
    const opts = { baseDelayMs: 500, maxDelayMs: 30_000 };
    assert.equal(backoffDelay(0, opts, () => 1), 500);
    assert.equal(backoffDelay(0, opts, () => 0), 250);
    assert.equal(backoffDelay(3, opts, () => 1), 4000);
    assert.equal(backoffDelay(20, opts, () => 1), 30_000);
    assert.equal(backoffDelay(20, opts, () => 0), 15_000);
  });

  it('retries 429 and 5xx only', () => {
    assert.deepEqual([429, 500, 503, 400, 403, 404, 410].map(isRetriableStatus), [true, true, true, false, false, false, false]);
  });
});
