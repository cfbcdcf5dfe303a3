import assert from 'node:assert/strict';
import type { AnalyzeRequest } from '../../../src/http/server';
import { parseCommandText, SLASH_INLINE_BUDGET_MS } from '../../../src/http/routes/slack-command';
import type { StoredAnalysis } from '../../../src/ports';
import { slackSignature } from '../../../src/slack/signature';
import { NOW, SIGNING_SECRET, TOKEN, harness, suspect } from './fixture';

const form = { 'content-type': 'application/x-www-form-urlencoded' };

function signed(body: string, ts = String(Math.floor(NOW / 1000)), secret = SIGNING_SECRET): Record<string, string> {
  return { ...form, 'x-slack-request-timestamp': ts, 'x-slack-signature': slackSignature(secret, ts, body) };
}

describe('http POST /v1/slack/command', () => {
  const body = 'token=t&team_id=T1&user_id=U1&command=%2Fepicenter&text=jobs+2024-05-01T11%3A59%3A00Z&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1';

  it('answers a signed command in the channel with the suspects (bearer token not needed)', async () => {
    const { app, analyses } = harness({ config: { http: { token: TOKEN } } });
    const r = await app.inject({ method: 'POST', url: '/v1/slack/command', headers: signed(body), payload: body });
    assert.equal(r.statusCode, 200);
    const msg = r.json();
    assert.equal(msg.response_type, 'in_channel');
    assert.match(JSON.stringify(msg.blocks), /chg-b-config/);
    assert.equal(analyses[0]?.at, Date.parse('2024-05-01T11:59:00Z'));
  });

  it('refuses a bad, stale or missing signature with 401 and does not analyse', async () => {
    const { app, analyses } = harness();
    const bad = await app.inject({ method: 'POST', url: '/v1/slack/command', headers: signed(body, undefined, 'wrong-secret-wrong'), payload: body });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().error.code, 'UNAUTHORIZED');
    const stale = await app.inject({ method: 'POST', url: '/v1/slack/command', headers: signed(body, String(Math.floor(NOW / 1000) - 301)), payload: body });
    assert.equal(stale.statusCode, 401);
    assert.match(String(stale.json().error.message), /stale/);
    const missing = await app.inject({ method: 'POST', url: '/v1/slack/command', headers: form, payload: body });
    assert.equal(missing.statusCode, 401);
    const tampered = await app.inject({ method: 'POST', url: '/v1/slack/command', headers: signed(body), payload: body.replace('jobs', 'api') });
    assert.equal(tampered.statusCode, 401);
    assert.equal(analyses.length, 0);
  });

  it('refuses every command when no signing secret is configured', async () => {
    const { app } = harness({ config: { slack: {} } });
    const r = await app.inject({ method: 'POST', url: '/v1/slack/command', headers: signed(body), payload: body });
    assert.equal(r.statusCode, 401);
    assert.match(String(r.json().error.message), /signingSecret/);
  });

  it('answers usage and unknown services privately (ephemeral)', async () => {
    const { app } = harness();
    const empty = 'command=%2Fepicenter&text=';
    const usage = await app.inject({ method: 'POST', url: '/v1/slack/command', headers: signed(empty), payload: empty });
    assert.equal(usage.json().response_type, 'ephemeral');
    assert.match(String(usage.json().text), /Usage/);
    const ghost = 'command=%2Fepicenter&text=ghost';
    const unknown = await app.inject({ method: 'POST', url: '/v1/slack/command', headers: signed(ghost), payload: ghost });
    assert.equal(unknown.json().response_type, 'ephemeral');
    assert.match(String(unknown.json().text), /Unknown service `ghost`/);
  });

  it('answers a form body over http.bodyLimit with 413 before checking anything else', async () => {
    const { app, analyses } = harness({ config: { http: { bodyLimit: 2048 } } });
    const big = `text=jobs&pad=${'x'.repeat(4096)}`;
    const r = await app.inject({ method: 'POST', url: '/v1/slack/command', headers: signed(big), payload: big });
    assert.equal(r.statusCode, 413);
    assert.equal(analyses.length, 0);
  });

  it('answers a slow analysis later through response_url (Slack waits only 3 s)', async function () {
    this.timeout(10_000);
    const slow = (q: AnalyzeRequest): Promise<StoredAnalysis> =>
      new Promise((resolve) => setTimeout(() => resolve({ id: 'slow', service: q.service, at: q.at, from: q.at - q.windowMs, to: q.at + q.afterMs, createdAt: NOW, suspects: [suspect], breakpoints: [] }), SLASH_INLINE_BUDGET_MS + 200));
    const { app, slack } = harness({ deps: { analyze: slow } });
    const r = await app.inject({ method: 'POST', url: '/v1/slack/command', headers: signed(body), payload: body });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().response_type, 'ephemeral');
    assert.match(String(r.json().text), /Analysing jobs/);
    for (let i = 0; i < 50 && slack.posts.length === 0; i++) await new Promise((res) => setTimeout(res, 100));
    assert.equal(slack.posts[0]?.url, 'https://hooks.slack.com/commands/1');
    assert.equal(slack.posts[0]?.message.response_type, 'in_channel');
    assert.match(JSON.stringify(slack.posts[0]?.message), /chg-b-config/);
  });

  it('parses <service> [time]: now, ISO, epoch ms, "30m ago", "-2h"', () => {
    assert.deepEqual(parseCommandText('jobs', NOW), { service: 'jobs', at: NOW });
    assert.deepEqual(parseCommandText(' jobs  now ', NOW), { service: 'jobs', at: NOW });
    assert.deepEqual(parseCommandText('jobs 2024-05-01 11:00', NOW), { service: 'jobs', at: Date.parse('2024-05-01T11:00:00Z') });
    assert.deepEqual(parseCommandText(`jobs ${NOW - 5}`, NOW), { service: 'jobs', at: NOW - 5 });
    assert.deepEqual(parseCommandText('jobs 30m ago', NOW), { service: 'jobs', at: NOW - 1_800_000 });
    assert.deepEqual(parseCommandText('jobs -2h', NOW), { service: 'jobs', at: NOW - 7_200_000 });
    assert.ok('error' in parseCommandText('jobs tomorrowish', NOW));
    assert.ok('error' in parseCommandText('help', NOW));
  });
});
