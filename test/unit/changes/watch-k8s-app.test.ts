import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { runWatchK8s } from '../../../src/app/watch-k8s';
import { parseConfig } from '../../../src/config/load';
import { decodeCloudEvents } from '../../../src/formats';
import { createHttpServer } from '../../../src/http/server';
import { MemoryStore } from '../../../src/store/memory';

describe('watch-k8s --replay: a recorded stream to CloudEvents NDJSON', () => {
  it('writes every change as a CloudEvent that decodes back (what `analyze --changes` reads)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wk8s-'));
    try {
      const out = join(dir, 'k8s.ndjson');
      const r = await runWatchK8s({ replay: join(__dirname, 'fixtures', 'k8s-story.jsonl'), cluster: 'prod', out }, pino({ level: 'silent' }), Promise.resolve());
      assert.equal(r.changes, 6);
      const d = decodeCloudEvents(readFileSync(out, 'utf8'), { file: out });
      assert.deepEqual(d.errors, []);
      assert.deepEqual(d.values.map((c) => c.type), ['config', 'deploy', 'scale', 'scale', 'rollback', 'config']);
      assert.equal(d.values[0]?.source, 'k8s/prod');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('its "k8s change" log lines carried two "time" members (pino\'s and the change\'s), so JSON readers kept one; now the change time is "at"', async () => {
    let logged = '';
    const log = pino({ level: 'info' }, { write: (s: string) => { logged += s; } });
    const dir = mkdtempSync(join(tmpdir(), 'wk8s-log-'));
    try {
      await runWatchK8s({ replay: join(__dirname, 'fixtures', 'k8s-story.jsonl'), out: join(dir, 'k8s.ndjson') }, log, Promise.resolve());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const lines = logged.split('\n').filter((l) => l.includes('"msg":"k8s change"'));
    assert.equal(lines.length, 6);
    for (const l of lines) assert.equal(l.match(/"time":/g)?.length, 1, l);
    assert.equal((JSON.parse(lines[0]!) as { at: string }).at, '2026-03-12T13:02:00.000Z');
  });

  it('--post sends the changes to a listening epicenter (POST /v1/changes with the bearer token), which stores them', async () => {
    const store = new MemoryStore();
    const token = 'watch-k8s-test-token-0123';
    const app = createHttpServer({ config: parseConfig({ log: { level: 'silent' }, http: { token } }), store, changes: store, topology: () => ({ services: [] }), analyze: () => Promise.reject(new Error('unused')) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const addr = app.server.address() as { port: number };
      const r = await runWatchK8s({ replay: join(__dirname, 'fixtures', 'k8s-story.jsonl'), cluster: 'prod', post: `http://127.0.0.1:${addr.port}`, token }, pino({ level: 'silent' }), Promise.resolve());
      assert.equal(r.changes, 6);
      const stored = await store.queryChanges({ from: 0, to: Date.parse('2027-01-01T00:00:00Z') });
      assert.deepEqual(stored.map((c) => c.id).sort(), [
        'k8s-checkout-checkout-api-4e3815de2226',
        'k8s-checkout-checkout-api-7314bf6c03c7',
        'k8s-cm-fulfilment-order-sync-config-3050',
        'k8s-hpa-checkout-checkout-api-3300',
        'k8s-scale-checkout-checkout-api-3320',
        'k8s-secret-fulfilment-order-sync-secrets-3500',
      ]);
      // A wrong token is final (4xx), not retried.
      await assert.rejects(runWatchK8s({ replay: join(__dirname, 'fixtures', 'k8s-story.jsonl'), post: `http://127.0.0.1:${addr.port}`, token: 'wrong-token-0123456789' }, pino({ level: 'silent' }), Promise.resolve()), /401/);
    } finally {
      await app.close();
    }
  });

  it('live mode: a missing kubeconfig is a BAD_CONFIG naming it; an unreachable API server is retried until stopped', async () => {
    const log = pino({ level: 'silent' });
    await assert.rejects(runWatchK8s({ kubeconfig: '/nonexistent/kubeconfig', out: '/dev/null' }, log, Promise.resolve()), /--kubeconfig \/nonexistent\/kubeconfig: no such file/);
    const dir = mkdtempSync(join(tmpdir(), 'wk8s-'));
    try {
      const kubeconfig = join(dir, 'config');
      writeFileSync(kubeconfig, ['apiVersion: v1', 'kind: Config', 'clusters: [{name: dead, cluster: {server: "https://127.0.0.1:1"}}]', 'users: [{name: u, user: {token: t}}]', 'contexts: [{name: c, context: {cluster: dead, user: u}}]', 'current-context: c'].join('\n'));
      const failures: string[] = [];
      const warnLog = pino({ level: 'warn' }, { write: (line: string) => void failures.push(line) });
      const r = await runWatchK8s({ kubeconfig, out: '/dev/null' }, warnLog, new Promise((res) => setTimeout(res, 500)));
      assert.equal(r.changes, 0);
      assert.ok(failures.some((l) => l.includes('k8s: watch failed; retrying')), failures.join(''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing file is a BAD_INPUT naming it', async () => {
    await assert.rejects(runWatchK8s({ replay: '/nonexistent/w.jsonl', out: '/dev/null' }, pino({ level: 'silent' }), Promise.resolve()), /cannot read \/nonexistent\/w.jsonl/);
  });
});
