import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isEpicenterError } from '../../../src/errors';
import { createSlackWebhookClient, type RetryInfo } from '../../../src/slack/webhook';

/** A local Slack stand-in answering from a script of [status, headers, body]. */
async function receiver(script: [number, Record<string, string>, string][]): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c.toString()));
    req.on('end', () => {
      bodies.push(b);
      const [status, headers, body] = script[Math.min(bodies.length - 1, script.length - 1)]!;
      res.writeHead(status, headers).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T000/B000/secretpart`, bodies, server };
}

const msg = { text: 'hello', blocks: [] };

describe('slack webhook client', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('waits Retry-After seconds on 429, then posts once more and succeeds', async () => {
    const r = await receiver([[429, { 'retry-after': '2' }, 'rate_limited'], [200, {}, 'ok']]);
    server = r.server;
    const waits: number[] = [];
    const retries: RetryInfo[] = [];
    const client = createSlackWebhookClient({ url: r.url, maxRetries: 3, sleep: (ms) => (waits.push(ms), Promise.resolve()), onRetry: (i) => retries.push(i) });
    await client.post(msg);
    assert.equal(r.bodies.length, 2);
    assert.deepEqual(JSON.parse(r.bodies[1]!), msg);
    assert.deepEqual(waits, [2000], 'honours Retry-After');
    assert.equal(retries[0]?.status, 429);
  });

  it('backs off exponentially on 5xx without Retry-After and gives up after maxRetries, retriable', async () => {
    const r = await receiver([[503, {}, 'unavailable']]);
    server = r.server;
    const waits: number[] = [];
    const client = createSlackWebhookClient({ url: r.url, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 300, random: () => 1, sleep: (ms) => (waits.push(ms), Promise.resolve()) });
    await assert.rejects(client.post(msg), (e: unknown) => isEpicenterError(e) && e.code === 'UPSTREAM_FAILED' && e.retriable && /after 4 attempts: Slack answered 503/.test(e.message));
    assert.equal(r.bodies.length, 4);
    assert.deepEqual(waits, [100, 200, 300]);
  });

  it('does not retry a 4xx such as invalid_blocks, and never puts the webhook URL in the error', async () => {
    const r = await receiver([[400, {}, 'invalid_blocks']]);
    server = r.server;
    const client = createSlackWebhookClient({ url: r.url, maxRetries: 5, sleep: () => Promise.resolve() });
    await assert.rejects(client.post(msg), (e: unknown) => isEpicenterError(e) && !e.retriable && /invalid_blocks/.test(e.message) && !e.message.includes('secretpart'));
    assert.equal(r.bodies.length, 1);
  });

  it('fails at once (retriable) when Retry-After is longer than it may wait', async () => {
    const r = await receiver([[429, { 'retry-after': '3600' }, 'rate_limited']]);
    server = r.server;
    const client = createSlackWebhookClient({ url: r.url, maxRetries: 5, maxRetryAfterMs: 60_000, sleep: () => Promise.reject(new Error('must not wait')) });
    await assert.rejects(client.post(msg), (e: unknown) => isEpicenterError(e) && e.retriable && /Retry-After 3600 s/.test(e.message));
  });

  it('retries when nothing listens (network error)', async () => {
    const r = await receiver([[200, {}, 'ok']]);
    const url = r.url;
    await new Promise<void>((res) => r.server.close(() => res()));
    let waits = 0;
    const client = createSlackWebhookClient({ url, maxRetries: 2, sleep: () => ((waits += 1), Promise.resolve()) });
    await assert.rejects(client.post(msg), (e: unknown) => isEpicenterError(e) && e.retriable && /network error/.test(e.message));
    assert.equal(waits, 2);
  });
});
