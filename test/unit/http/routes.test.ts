import assert from 'node:assert/strict';
import { NOW, TOKEN, cloudEvent, harness } from './fixture';

const json = { 'content-type': 'application/json' };
const auth = { ...json, authorization: `Bearer ${TOKEN}` };

describe('http routes: validation and errors', () => {
  it('answers bad JSON with 400 in the error shape', async () => {
    const { app } = harness();
    const r = await app.inject({ method: 'POST', url: '/v1/analyze', headers: json, payload: '{"service": "jobs",' });
    assert.equal(r.statusCode, 400);
    const body = r.json();
    assert.equal(body.error.code, 'BAD_REQUEST');
    assert.equal(body.error.field, 'body');
    assert.match(String(body.error.message), /JSON/);
  });

  it('names the missing field', async () => {
    const { app } = harness();
    const r = await app.inject({ method: 'POST', url: '/v1/analyze', headers: json, payload: { service: 'jobs' } });
    assert.equal(r.statusCode, 400);
    assert.deepEqual(r.json().error, { code: 'BAD_REQUEST', message: 'body field at is required', field: 'at' });
  });

  it('names a bad time and a bad window', async () => {
    const { app } = harness();
    let r = await app.inject({ method: 'POST', url: '/v1/analyze', headers: json, payload: { service: 'jobs', at: 'yesterday' } });
    assert.equal(r.json().error.field, 'at');
    r = await app.inject({ method: 'POST', url: '/v1/analyze', headers: json, payload: { service: 'jobs', at: NOW, window: '6 hours' } });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error.field, 'window');
  });

  it('refuses an unknown body key (a typo would otherwise be ignored)', async () => {
    const { app } = harness();
    const r = await app.inject({ method: 'POST', url: '/v1/analyze', headers: json, payload: { service: 'jobs', at: NOW, windw: '1h' } });
    assert.equal(r.statusCode, 400);
    assert.match(String(r.json().error.message), /windw/);
  });

  it('answers a body over http.bodyLimit with 413', async () => {
    const { app } = harness({ config: { http: { bodyLimit: 2048 } } });
    const r = await app.inject({ method: 'POST', url: '/v1/changes', headers: json, payload: JSON.stringify([cloudEvent({ data: { summary: 'x'.repeat(4000) } })]) });
    assert.equal(r.statusCode, 413);
    assert.equal(r.json().error.code, 'BAD_REQUEST');
    assert.match(String(r.json().error.message), /2048 bytes/);
  });

  it('refuses /v1 without the bearer token when http.token is set, and never echoes it', async () => {
    const { app } = harness({ config: { http: { token: TOKEN } } });
    const none = await app.inject({ method: 'GET', url: '/v1/changes' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error.code, 'UNAUTHORIZED');
    assert.match(String(none.headers['www-authenticate']), /Bearer/);
    const wrong = await app.inject({ method: 'GET', url: '/v1/changes', headers: { authorization: 'Bearer nope-nope-nope-nope' } });
    assert.equal(wrong.statusCode, 401);
    assert.doesNotMatch(wrong.body, /nope/);
    const ok = await app.inject({ method: 'GET', url: '/v1/changes', headers: auth });
    assert.equal(ok.statusCode, 200);
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200, 'health checks need no token');
  });

  it('answers 404 for an unknown service and an unknown route', async () => {
    const { app } = harness();
    const r = await app.inject({ method: 'POST', url: '/v1/analyze', headers: json, payload: { service: 'nope', at: '2024-05-01T12:00:00Z' } });
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().error.code, 'NOT_FOUND');
    assert.equal(r.json().error.field, 'service');
    const q = await app.inject({ method: 'GET', url: '/v1/breakpoints?service=nope' });
    assert.equal(q.statusCode, 404);
    const route = await app.inject({ method: 'GET', url: '/v2/nothing' });
    assert.equal(route.statusCode, 404);
    assert.equal(route.json().error.code, 'NOT_FOUND');
  });

  it('knows a service outside the topology once the store holds its changes', async () => {
    const { app, store } = harness();
    await store.insertChanges([{ id: 'x', source: 's', type: 'deploy', rawType: 'change.deploy', service: 'batch', time: NOW - 3_600_000 }]);
    const r = await app.inject({ method: 'POST', url: '/v1/analyze', headers: json, payload: { service: 'batch', at: NOW } });
    assert.equal(r.statusCode, 200);
  });
});

describe('http routes: analyze, changes, breakpoints, timeline, health', () => {
  it('POST /v1/analyze passes window and at through and returns ISO times', async () => {
    const { app, analyses } = harness();
    const r = await app.inject({ method: 'POST', url: '/v1/analyze', headers: json, payload: { service: 'jobs', at: '2024-05-01T12:00:00Z', window: '2h' } });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(analyses[0], { service: 'jobs', at: NOW, windowMs: 7_200_000, afterMs: 3_600_000 });
    const body = r.json();
    assert.equal(body.id, `jobs@${NOW}`);
    assert.equal(body.suspects[0].id, 'chg-b-config');
    assert.equal(body.suspects[0].time, '2024-05-01T11:48:00.000Z');
    assert.match(String(body.timelineUrl), /^https:\/\/epicenter\.example\.com\/v1\/timeline\?service=jobs&at=2024-05-01T12%3A00%3A00\.000Z$/);
  });

  it('POST /v1/changes with a partial batch: 207, the good one stored, the bad one named by index and field', async () => {
    const { app, store } = harness();
    const r = await app.inject({ method: 'POST', url: '/v1/changes', headers: json, payload: [cloudEvent(), cloudEvent({ id: 'e2', time: 'soon' }), cloudEvent({ id: 'e3', specversion: '0.3' })] });
    assert.equal(r.statusCode, 207);
    const body = r.json();
    assert.equal(body.accepted, 1);
    assert.deepEqual((body.rejected as { index: number; field: string }[]).map((x) => [x.index, x.field]), [[1, '[1].time'], [2, '[2].specversion']]);
    const stored = await store.queryChanges({ from: 0, to: NOW });
    assert.deepEqual(stored.map((c) => c.id), ['e1']);
  });

  it('POST /v1/changes: all bad is 400 with the list; one good event is 200; cloudevents media type accepted', async () => {
    const { app } = harness();
    const bad = await app.inject({ method: 'POST', url: '/v1/changes', headers: json, payload: [{ nope: 1 }] });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'BAD_INPUT');
    assert.equal(bad.json().rejected.length, 1);
    const one = await app.inject({ method: 'POST', url: '/v1/changes', headers: { 'content-type': 'application/cloudevents+json' }, payload: JSON.stringify(cloudEvent()) });
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().accepted, 1);
    const empty = await app.inject({ method: 'POST', url: '/v1/changes', headers: json, payload: [] });
    assert.equal(empty.statusCode, 400);
  });

  it('GET /v1/changes filters by team and time range', async () => {
    const { app } = harness();
    await app.inject({ method: 'POST', url: '/v1/changes', headers: json, payload: [cloudEvent(), cloudEvent({ id: 'e2', subject: 'jobs', data: { team: 'A' } })] });
    const r = await app.inject({ method: 'GET', url: '/v1/changes?team=B&from=2024-05-01T11:00:00Z&to=2024-05-01T12:00:00Z' });
    assert.equal(r.statusCode, 200);
    assert.deepEqual((r.json().changes as { id: string }[]).map((c) => c.id), ['e1']);
    const backwards = await app.inject({ method: 'GET', url: '/v1/changes?from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z' });
    assert.equal(backwards.statusCode, 400);
    assert.equal(backwards.json().error.field, 'from');
  });

  it('GET /v1/timeline: 404 without a renderer; html and md with one; a signed link works without the token, a forged one does not', async () => {
    const plain = harness();
    assert.equal((await plain.app.inject({ method: 'GET', url: `/v1/timeline?service=jobs&at=${NOW}` })).statusCode, 404);
    const timeline = (q: { service: string; at: number }) => Promise.resolve({ markdown: `# ${q.service}`, html: `<h1>${q.service}</h1>` });
    const { app } = harness({ config: { http: { token: TOKEN, publicUrl: 'https://e.example.com' } }, deps: { timeline } });
    const md = await app.inject({ method: 'GET', url: `/v1/timeline?service=jobs&at=${NOW}&format=md`, headers: auth });
    assert.equal(md.statusCode, 200);
    assert.match(String(md.headers['content-type']), /text\/markdown/);
    assert.equal(md.body, '# jobs');
    const analysed = await app.inject({ method: 'POST', url: '/v1/analyze', headers: auth, payload: { service: 'jobs', at: NOW } });
    const link = new URL(analysed.json().timelineUrl as string);
    const signed = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    assert.equal(signed.statusCode, 200);
    assert.equal(signed.body, '<h1>jobs</h1>');
    const forged = await app.inject({ method: 'GET', url: `${link.pathname}${link.search.replace('service=jobs', 'service=api')}` });
    assert.equal(forged.statusCode, 401);
  });

  it('GET /readyz is 503 when the store does not answer, 200 when it does', async () => {
    const ok = harness();
    assert.equal((await ok.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    const down = harness();
    down.store.ping = () => Promise.reject(new Error('connection refused'));
    const r = await down.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(r.statusCode, 503);
    assert.equal(r.json().error.code, 'STORE_UNAVAILABLE');
    const hook = harness({ deps: { readiness: () => Promise.reject(new Error('consumer not joined')) } });
    assert.equal((await hook.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
  });
});
