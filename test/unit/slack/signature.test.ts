import assert from 'node:assert/strict';
import { slackSignature, verifySlackSignature } from '../../../src/slack/signature';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const ts = '1531420618';
const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fepicenter&text=jobs';
const now = 1531420618 * 1000 + 10_000;

describe('slack signature', () => {
  it('matches the example from Slack documentation', () => {
    // From https://api.slack.com/authentication/verifying-requests-from-slack (their sample request).
    const docBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    assert.equal(slackSignature(secret, ts, docBody), 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('accepts a good signature', () => {
    const r = verifySlackSignature({ signingSecret: secret, timestamp: ts, signature: slackSignature(secret, ts, body), rawBody: body, nowMs: now });
    assert.deepEqual(r, { ok: true });
  });

  it('refuses a bad signature (other secret, or a body changed by one byte)', () => {
    const other = verifySlackSignature({ signingSecret: secret, timestamp: ts, signature: slackSignature('another-secret', ts, body), rawBody: body, nowMs: now });
    assert.deepEqual(other, { ok: false, reason: 'mismatch' });
    const tampered = verifySlackSignature({ signingSecret: secret, timestamp: ts, signature: slackSignature(secret, ts, body), rawBody: `${body}x`, nowMs: now });
    assert.deepEqual(tampered, { ok: false, reason: 'mismatch' });
  });

  it('refuses a stale timestamp (more than 5 min off, either way) even with a valid signature', () => {
    const sig = slackSignature(secret, ts, body);
    assert.deepEqual(verifySlackSignature({ signingSecret: secret, timestamp: ts, signature: sig, rawBody: body, nowMs: 1531420618_000 + 5 * 60_000 + 1 }), { ok: false, reason: 'stale' });
    assert.deepEqual(verifySlackSignature({ signingSecret: secret, timestamp: ts, signature: sig, rawBody: body, nowMs: 1531420618_000 - 6 * 60_000 }), { ok: false, reason: 'stale' });
    assert.deepEqual(verifySlackSignature({ signingSecret: secret, timestamp: ts, signature: sig, rawBody: body, nowMs: 1531420618_000 + 4 * 60_000 }), { ok: true });
  });

  it('refuses missing headers, malformed ones, and any request when no secret is configured', () => {
    const sig = slackSignature(secret, ts, body);
    assert.deepEqual(verifySlackSignature({ signingSecret: secret, timestamp: undefined, signature: sig, rawBody: body, nowMs: now }), { ok: false, reason: 'missing' });
    assert.deepEqual(verifySlackSignature({ signingSecret: secret, timestamp: ts, signature: undefined, rawBody: body, nowMs: now }), { ok: false, reason: 'missing' });
    assert.deepEqual(verifySlackSignature({ signingSecret: secret, timestamp: ts, signature: 'v1=abc', rawBody: body, nowMs: now }), { ok: false, reason: 'malformed' });
    assert.deepEqual(verifySlackSignature({ signingSecret: undefined, timestamp: ts, signature: sig, rawBody: body, nowMs: now }), { ok: false, reason: 'not_configured' });
  });
});
