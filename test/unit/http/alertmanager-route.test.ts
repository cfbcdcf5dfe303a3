import assert from 'node:assert/strict';
import { amAlert, amPayload } from '../slack/am-fixture';
import { TOKEN, harness } from './fixture';

const json = { 'content-type': 'application/json' };

describe('http POST /v1/alerts/alertmanager', () => {
  it('posts the enrichment for a firing alert once, and answers per alert', async () => {
    const { app, slack, analyses } = harness();
    const r = await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', headers: json, payload: amPayload() });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().results[0].action, 'posted');
    assert.equal(analyses[0]?.at, Date.parse('2024-05-01T12:00:00.123Z'), 'analysed at startsAt');
    const again = await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', headers: json, payload: amPayload() });
    assert.equal(again.json().results[0].action, 'duplicate');
    assert.equal(slack.posts.length, 1);
    assert.match(JSON.stringify(slack.posts[0]?.message), /chg-b-config/);
    assert.match(JSON.stringify(slack.posts[0]?.message), /https:\/\/epicenter\.example\.com\/v1\/timeline\?service=jobs/);
  });

  it('answers 503 when Slack fails, so Alertmanager retries; the retry posts', async () => {
    const { app, slack } = harness();
    slack.failNext = 1;
    const r = await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', headers: json, payload: amPayload() });
    assert.equal(r.statusCode, 503);
    assert.equal(r.json().error.code, 'UPSTREAM_FAILED');
    const retry = await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', headers: json, payload: amPayload() });
    assert.equal(retry.statusCode, 200);
    assert.equal(slack.posts.length, 1);
  });

  it('refuses a payload that is not a v4 webhook with 400 naming the field', async () => {
    const { app } = harness();
    const r = await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', headers: json, payload: amPayload({ version: '3' }) });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error.field, 'version');
    const bad = await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', headers: json, payload: amPayload({}, [amAlert({ startsAt: 'x' })]) });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, 'alerts[0].startsAt');
  });

  it('takes Alertmanager bearer credentials when http.token is set', async () => {
    const { app } = harness({ config: { http: { token: TOKEN } } });
    assert.equal((await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', headers: json, payload: amPayload() })).statusCode, 401);
    const ok = await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', headers: { ...json, authorization: `Bearer ${TOKEN}` }, payload: amPayload() });
    assert.equal(ok.statusCode, 200);
  });
});
