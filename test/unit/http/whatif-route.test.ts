import assert from 'node:assert/strict';
import { makeSeries } from '../../../src/domain/series';
import type { Sample } from '../../../src/domain/types';
import { cloudEvent, harness, NOW } from './fixture';

const json = { 'content-type': 'application/json' };

/** Six hours before NOW: api holds 20 connections to jobs; jobs has 300 fds (limit 1024). */
function history(): Sample[] {
  const conns = makeSeries('http.client.open_connections', { 'service.name': 'api', 'server.address': 'jobs' }, 'api');
  const fds = makeSeries('process.open_file_descriptor.count', { 'service.name': 'jobs' }, 'jobs');
  const out: Sample[] = [];
  for (let t = NOW - 6 * 3_600_000; t < NOW; t += 60_000) {
    const w = Math.sin(t / 600_000);
    out.push({ series: conns, t, v: 20 + w }, { series: fds, t, v: 300 + w });
  }
  return out;
}

const pool = (to: number): Record<string, unknown> => cloudEvent({ time: '2024-05-01T12:00:00Z', data: { team: 'B', settings: [{ key: 'http.client.pool.min_idle', from: 20, to, peer: 'jobs' }] } });

describe('POST /v1/whatif', () => {
  it('predicts the callee breaching its fd limit and names its team, for a bare CloudEvent body', async () => {
    const h = harness();
    await h.store.insertPoints(history());
    const r = await h.app.inject({ method: 'POST', url: '/v1/whatif', headers: json, payload: pool(1000) });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json<{ verdict: string; breaches: { service: string; metric: string; team: string; predicted: number }[] }>();
    assert.equal(body.verdict, 'breach');
    assert.equal(body.breaches[0]?.service, 'jobs');
    assert.equal(body.breaches[0]?.team, 'A');
    assert.ok(Math.abs(body.breaches[0].predicted - 1300) < 60, String(body.breaches[0]?.predicted));
  });

  it('accepts {proposal, horizon} and calls a small change safe', async () => {
    const h = harness();
    await h.store.insertPoints(history());
    const r = await h.app.inject({ method: 'POST', url: '/v1/whatif', headers: json, payload: { proposal: pool(24), horizon: '6h' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json<{ verdict: string }>().verdict, 'safe');
  });

  it('names the bad field of a proposal', async () => {
    const h = harness();
    await h.store.insertPoints(history());
    const r = await h.app.inject({ method: 'POST', url: '/v1/whatif', headers: json, payload: { proposal: cloudEvent({ data: { replicas: { from: 2, to: 'lots' } } }) } });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /proposal\.data\.replicas\.to/);
  });
});
