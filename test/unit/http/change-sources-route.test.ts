import assert from 'node:assert/strict';
import { analyzeFromStore } from '../../../src/app/analyze';
import { createEmbeddedRuntime } from '../../../src/app/embedded';
import { SourceCounters } from '../../../src/changes/counters';
import { parseConfig } from '../../../src/config/load';
import { createHttpServer } from '../../../src/http/server';
import { fixture, githubExamples, hmac, LD_SECRET, SHARED_SECRET, sign } from '../changes/helpers';
import { incidentStore, TRUTH } from '../changes/story';

const TOKEN = 'argocd-bearer-token-0123456789';
const HTTP_TOKEN = 'http-api-token-0123456789';

const changeSources = {
  github: { app: { secret: 'github-webhook-secret', environments: ['production'] } },
  launchdarkly: { prod: { secret: LD_SECRET } },
  pagerduty: { ci: { secret: SHARED_SECRET, service: 'search-api', team: 'catalog' } },
  generic: { audit: { token: TOKEN, map: { id: '$.event_id', time: '$.changed_at', service: '$.service', team: '$.owner', summary: '$.description' } } },
};

async function server() {
  const { store, topology } = await incidentStore([TRUTH.cause.id]);
  const config = parseConfig({ log: { level: 'silent' }, http: { token: HTTP_TOKEN }, changeSources });
  const counters = new SourceCounters();
  const now = TRUTH.at + 3600_000;
  // Changes take the path `npm start` gives them: the in-process bus, as CloudEvents, into the store.
  const runtime = createEmbeddedRuntime({ store, topology, now: () => now });
  const app = createHttpServer({
    config,
    store,
    changes: runtime.changes,
    topology: () => topology,
    analyze: (req) => analyzeFromStore(store, topology, req, { now: () => now }),
    clock: { now: () => now },
    sourceCounters: counters,
  });
  return { app, store, counters, runtime };
}

const json = { 'content-type': 'application/json' };

describe('http: change webhooks (POST /v1/changes/<kind>/<name>)', () => {
  it("the bundled story's cause, heard only through a generic webhook, is named by analyze; refusals are counted", async () => {
    const { app, store, counters, runtime } = await server();
    // The config service's audit record of the cause (the CloudEvent is withheld from the store).
    const audit = JSON.stringify({ event_id: 'audit-8812', changed_at: '2026-03-12T13:02:00Z', service: 'order-sync', owner: 'fulfilment', description: 'order-sync: set http.client.pool.min_idle 28 → 224' });
    let r = await app.inject({ method: 'POST', url: '/v1/changes/generic/audit', headers: { ...json, authorization: `Bearer ${TOKEN}` }, payload: audit });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json(), { accepted: 1, ids: ['audit-8812'] });

    // A LaunchDarkly flag flip on the same caller an hour earlier, and a PagerDuty change event: both stored, neither blamed.
    const ld = JSON.stringify({ ...JSON.parse(fixture('launchdarkly-flag-on.json')), date: Date.parse('2026-03-12T12:00:00Z') });
    r = await app.inject({ method: 'POST', url: '/v1/changes/launchdarkly/prod', headers: { ...json, 'x-ld-signature': hmac(LD_SECRET, ld) }, payload: ld });
    assert.equal(r.statusCode, 200, r.body);
    const pd = fixture('pagerduty-change.json').replace('2020-07-17T08:42:58.315+0000', '2026-03-12T12:40:00.000+0000');
    r = await app.inject({ method: 'POST', url: '/v1/changes/pagerduty/ci', headers: { ...json, 'x-epicenter-signature': `sha256=${hmac(SHARED_SECRET, pd)}` }, payload: pd });
    assert.equal(r.statusCode, 200, r.body);

    // Refused: unsigned, badly signed, malformed, unknown source; a pending deployment is acknowledged, not stored.
    r = await app.inject({ method: 'POST', url: '/v1/changes/generic/audit', headers: json, payload: audit });
    assert.equal(r.statusCode, 401);
    assert.deepEqual(r.json(), { error: { code: 'UNAUTHORIZED', message: 'authorization header is missing: expected Authorization: Bearer <token>', field: 'authorization' }, refused: 'unsigned' });
    r = await app.inject({ method: 'POST', url: '/v1/changes/launchdarkly/prod', headers: { ...json, 'x-ld-signature': hmac('not-the-secret', ld) }, payload: ld });
    assert.equal(r.json().refused, 'bad-signature');
    r = await app.inject({ method: 'POST', url: '/v1/changes/generic/audit', headers: { ...json, authorization: `Bearer ${TOKEN}` }, payload: '{"event_id": "x", "service": "order-sync"}' });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error.field, '$.changed_at');
    r = await app.inject({ method: 'POST', url: '/v1/changes/jenkins/x', headers: json, payload: '{}' });
    assert.equal(r.statusCode, 404);
    const pending = JSON.stringify(githubExamples('deployment_status').find((e) => (e['deployment_status'] as { state: string }).state === 'in_progress'));
    r = await app.inject({ method: 'POST', url: '/v1/changes/github/app', headers: { ...json, 'x-github-event': 'deployment_status', 'x-hub-signature-256': await sign('github-webhook-secret', pending) }, payload: pending });
    assert.equal(r.statusCode, 202);

    const stored = await store.queryChanges({ from: 0, to: Date.parse('2027-01-01T00:00:00Z') });
    assert.ok(stored.some((c) => c.id === 'audit-8812' && c.type === 'config' && c.settings?.[0]?.to === '224'));
    assert.ok(stored.some((c) => c.source === 'launchdarkly/order-sync-batching'));

    r = await app.inject({ method: 'POST', url: '/v1/analyze', headers: { ...json, authorization: `Bearer ${HTTP_TOKEN}` }, payload: { service: TRUTH.service, at: new Date(TRUTH.at).toISOString() } });
    assert.equal(r.statusCode, 200, r.body);
    const top = r.json().suspects[0];
    assert.equal(top.id, 'audit-8812');
    assert.equal(top.team, 'fulfilment');

    r = await app.inject({ method: 'GET', url: '/v1/changes/sources', headers: { authorization: `Bearer ${HTTP_TOKEN}` } });
    assert.deepEqual(r.json().sources.total, { accepted: 3, changes: 3, ignored: 1, refused: 4, reasons: { unsigned: 1, 'bad-signature': 1, malformed: 1, 'unknown-source': 1 } });
    assert.deepEqual(counters.snapshot()['generic'], { accepted: 1, changes: 1, ignored: 0, refused: 2, reasons: { unsigned: 1, malformed: 1 } });
    await runtime.close();
  });

  it('keeps the raw body whatever the content type, so signatures verify (a form-encoded GitHub delivery is refused by name)', async () => {
    const { app, runtime } = await server();
    const body = `payload=${encodeURIComponent('{"zen":"Keep it logically awesome."}')}`;
    const r = await app.inject({ method: 'POST', url: '/v1/changes/github/app', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'ping', 'x-hub-signature-256': await sign('github-webhook-secret', body) }, payload: body });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json().error.message, 'body is form-encoded: set the webhook to send application/json');
    await runtime.close();
  });

  it('the counts need the API token; the webhooks do not (they carry their own proof)', async () => {
    const { app, runtime } = await server();
    const r = await app.inject({ method: 'GET', url: '/v1/changes/sources' });
    assert.equal(r.statusCode, 401);
    await runtime.close();
  });
});
