import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFromStore } from '../../src/app/analyze';
import { parseConfig } from '../../src/config/load';
import type { Sample } from '../../src/domain/types';
import { createHttpServer } from '../../src/http/server';
import { simulate, scenarioSeries } from '../../src/sim';
import { slackLimitViolations, type SlackMessage } from '../../src/slack/limits';
import { MemoryStore } from '../../src/store/memory';

/**
 * A REAL Alertmanager (Debian's 0.25, via scripts/alertmanager.sh) delivers to epicenter's webhook
 * route; epicenter analyses the simulated fd-exhaustion story on the embedded store and posts to a
 * local Slack stand-in. Every wait is bounded; every process started here is stopped in `after`.
 */

const TOKEN = 'integration-token-0123456789';
const ROOT = join(__dirname, '..', '..');

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Poll `check` every 200 ms until it holds or `ms` pass; then fail naming `what`. */
async function waitFor(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('Alertmanager → epicenter → Slack (real Alertmanager)', function () {
  this.timeout(900_000); // first run installs the Debian package

  const scenario = simulate({ seed: 1, story: 'fd-exhaustion' });
  const truth = scenario.truth;
  const posts: SlackMessage[] = [];
  const deliveries: unknown[] = [];
  let slackServer: Server;
  let app: ReturnType<typeof createHttpServer>;
  let am: ChildProcess | undefined;
  let amLog = '';
  let amUrl = '';
  let dir = '';

  async function postAlert(endsAt: number): Promise<void> {
    const alert = {
      labels: { alertname: 'FdExhaustion', service: truth.victim, severity: 'critical' },
      annotations: { summary: `${truth.victim} crashes: too many open files` },
      startsAt: new Date(truth.at).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
    };
    const r = await fetch(`${amUrl}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([alert]), signal: AbortSignal.timeout(10_000) });
    assert.equal(r.status, 200, `Alertmanager refused the alert: ${await r.text()}`);
  }

  before(async function () {
    const install = spawnSync('bash', [join(ROOT, 'scripts/alertmanager.sh'), 'install'], { stdio: 'inherit', timeout: 840_000 });
    assert.equal(install.status, 0, 'scripts/alertmanager.sh install failed');

    slackServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posts.push(JSON.parse(body) as SlackMessage);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    const slackPort = await listen(slackServer);

    const store = new MemoryStore();
    const samples: Sample[] = [];
    for (const s of scenarioSeries(scenario)) for (const p of s.points) samples.push({ series: s.series, t: p.t, v: p.v });
    await store.insertPoints(samples);
    await store.insertChanges(scenario.changes);
    const config = parseConfig({
      log: { level: 'warn' },
      http: { token: TOKEN, publicUrl: 'http://epicenter.test' },
      slack: { webhookUrl: `http://127.0.0.1:${slackPort}/services/T0/B0/x`, maxRetries: 2 },
      analysis: { windowMs: truth.windowMs, afterMs: truth.afterMs },
    });
    app = createHttpServer({ config, store, changes: store, topology: () => scenario.topology, analyze: (q) => analyzeFromStore(store, scenario.topology, q) });
    app.addHook('preHandler', (req, _reply, done) => {
      if (req.url === '/v1/alerts/alertmanager') deliveries.push(req.body);
      done();
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const epicenterPort = (app.server.address() as AddressInfo).port;

    dir = mkdtempSync(join(tmpdir(), 'epicenter-am-'));
    const amPort = await freePort();
    amUrl = `http://127.0.0.1:${amPort}`;
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      [
        'global: { resolve_timeout: 1m }',
        'route: { receiver: epicenter, group_by: [alertname, service], group_wait: 1s, group_interval: 1s, repeat_interval: 2s }',
        'receivers:',
        '  - name: epicenter',
        '    webhook_configs:',
        `      - url: http://127.0.0.1:${epicenterPort}/v1/alerts/alertmanager`,
        '        send_resolved: true',
        `        http_config: { authorization: { credentials: ${TOKEN} } }`,
        '',
      ].join('\n'),
    );
    am = spawn('bash', [join(ROOT, 'scripts/alertmanager.sh'), 'run', join(dir, 'alertmanager.yml'), String(amPort), join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
    am.stdout?.on('data', (c: Buffer) => (amLog += c.toString()));
    am.stderr?.on('data', (c: Buffer) => (amLog += c.toString()));
    await waitFor(`Alertmanager ready on ${amUrl} (log: ${amLog})`, 30_000, async () => {
      if (am?.exitCode !== null) throw new Error(`Alertmanager exited with ${am?.exitCode}: ${amLog}`);
      return fetch(`${amUrl}/-/ready`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    });
  });

  after(async function () {
    if (am !== undefined && am.exitCode === null) {
      const exited = new Promise<void>((resolve) => am?.once('exit', () => resolve()));
      am.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (am.exitCode === null && am.signalCode === null) am.kill('SIGKILL');
    }
    await app?.close();
    await new Promise<void>((resolve) => (slackServer === undefined ? resolve() : slackServer.close(() => resolve())));
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('posts the enrichment once, naming the planted cause first, within Slack limits', async () => {
    const t0 = Date.now();
    await postAlert(Date.now() + 3_600_000);
    await waitFor('the first Slack post', 30_000, () => posts.length >= 1);
    // Reported, not asserted: alert posted → Slack message, including Alertmanager's group_wait (1 s).
    console.log(`      alert → Slack post: ${Date.now() - t0} ms (group_wait 1 s)`);
    const msg = posts[0]!;
    assert.deepEqual(slackLimitViolations(msg), []);
    const first = msg.blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*1. ') === true);
    assert.ok(first !== undefined && first.type === 'section', `no ranked suspect in ${JSON.stringify(msg.blocks)}`);
    assert.match(first.text?.text ?? '', new RegExp(`\`${truth.cause.id}\``), `the first suspect should be the planted cause ${truth.cause.id}`);
    assert.match(first.text?.text ?? '', new RegExp(`team ${truth.cause.team}`));
  });

  it('a repeat delivery by Alertmanager, and the same webhook posted again, post nothing new', async () => {
    const before = deliveries.length;
    await waitFor('a repeated notification (repeat_interval 2s)', 20_000, () => deliveries.length > before);
    const r = await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', headers: { authorization: `Bearer ${TOKEN}` }, payload: deliveries[0] as object });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json<{ results: { action: string }[] }>().results[0]?.action, 'duplicate');
    assert.equal(posts.length, 1);
  });

  it('resolving the alert posts one RESOLVED update that quotes the cause; re-deliveries post nothing', async () => {
    await postAlert(Date.now() - 1000);
    await waitFor('the RESOLVED post', 30_000, () => posts.length >= 2);
    const text = JSON.stringify(posts[1]);
    assert.match(text, /RESOLVED/);
    assert.match(text, new RegExp(truth.cause.id));
    assert.deepEqual(slackLimitViolations(posts[1]!), []);
    const resolved = deliveries.at(-1);
    const again = await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', headers: { authorization: `Bearer ${TOKEN}` }, payload: resolved as object });
    assert.equal(again.json<{ results: { action: string }[] }>().results[0]?.action, 'duplicate');
    await sleep(3000); // a few group intervals: Alertmanager must not notify again either
    assert.equal(posts.length, 2, JSON.stringify(posts.slice(2)));
    // For docs/slack.md: the messages of a real run.
    const out = process.env['EPICENTER_SLACK_SAMPLE_OUT'];
    if (out !== undefined && out !== '') writeFileSync(out, JSON.stringify(posts, null, 2));
  });
});
