import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packAndInstall, readmeCommands, ROOT, sh, shUntil } from './helpers';

/** What each README command must show beyond "exit 0, output, no stack trace" (first match wins). */
const EXPECT: readonly [RegExp, (out: string, cwd: string) => void][] = [
  [/--help$/, (out) => {
    assert.match(out, /^Usage: epicenter /);
    for (const c of ['analyze', 'detect', 'simulate', 'timeline', 'run', 'demo']) assert.match(out, new RegExp(`^  ${c} `, 'm'));
  }],
  [/--version$/, (out) => assert.equal(out.trim(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version)],
  [/ analyze .*examples\/incident/, (out) => assert.match(out, /#1 +\d+% +config of order-sync \(team fulfilment\)[\s\S]*chg-6379f254/)],
  [/ analyze .*examples\/otel-canary/, (out) => assert.match(out, /#1 +[<>]?\d+% +deploy of cart \(team cart\)[\s\S]*canary: http\.server\.request\.duration\.failure_ratio 0\.20 on instances of v1\.5\.0/)],
  [/ detect .*\| head -(\d+)/, (out) => assert.equal(out.replace(/\n$/, '').split('\n').length, 8)],
  [/ timeline/, (out, cwd) => {
    const files = out.trim().split('\n');
    assert.equal(files.length, 2, out);
    for (const f of files) assert.ok(existsSync(join(cwd, f)) || existsSync(f), f);
    assert.match(files[0]!, /timeline-checkout-api-20260312T131900Z\.md$/);
  }],
  [/ simulate .*--seed 7/, (out) => assert.match(out, /out\/sims\/sim-7-caller_connections/)],
  [/ demo --dir /, (out) => {
    assert.doesNotMatch(out, /undefined/);
    assert.match(out, /^coupons-cache: analysis of/m);
    assert.match(out, /Ground truth \(out\/sims\/[^)]*\/truth\.json\): .* ranked #1\./);
  }],
];

/** Serving commands: run until the API is up, then stopped. The links it prints use the port it serves on. */
const SERVES = /(^npm start( --)?$)|(--port \d+)|(demo$)/;

function check(cmd: string, cwd: string): void {
  const r = sh(cmd, cwd, 300_000);
  assert.equal(r.status, 0, `${cmd}\nexit ${r.status}\nstderr: ${r.stderr}`);
  assert.ok(r.stdout.trim() !== '', `${cmd}: printed nothing`);
  assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+\)?\n/, `${cmd}: a stack trace on stderr`);
  EXPECT.find(([re]) => re.test(cmd))?.[1](r.stdout, cwd);
}

async function checkServing(cmd: string, cwd: string): Promise<void> {
  const { stdout } = await shUntil(cmd, cwd, /HTTP API on .*\n[\s\S]*timeline\.html\n/, 300_000);
  const port = /--port (\d+)/.exec(cmd)?.[1] ?? '8080';
  assert.match(stdout, new RegExp(`HTTP API on http://127\\.0\\.0\\.1:${port} `));
  for (const link of stdout.match(/http:\/\/[^/ ']+/g) ?? []) assert.equal(link, `http://127.0.0.1:${port}`, `a link on another port than the one served:\n${stdout}`);
}

function suite(where: string, cwd: () => string): void {
  for (const cmd of readmeCommands()) {
    if (!cmd.startsWith('npx epicenter')) continue;
    it(`${where}: ${cmd}`, async function () {
      this.timeout(300_000);
      if (SERVES.test(cmd.replace(/^npx epicenter /, ''))) await checkServing(cmd, cwd());
      else check(cmd, cwd());
    });
  }
}

describe('the README\'s commands, exactly as written', function () {
  this.timeout(900_000);

  it('README "Commands" has runnable npx epicenter lines', () => {
    assert.ok(readmeCommands().filter((c) => c.startsWith('npx epicenter')).length >= 6, readmeCommands().join('\n'));
  });

  describe('from the checkout', () => {
    after(() => rmSync(join(ROOT, 'out', 'sims'), { recursive: true, force: true }));
    suite('checkout', () => ROOT);
  });

  describe('from the npm pack tarball installed in a temporary folder', () => {
    let dir = '';
    before(function () {
      this.timeout(900_000);
      dir = packAndInstall();
    });
    after(() => {
      if (dir !== '') rmSync(dir, { recursive: true, force: true });
    });
    suite('tarball', () => dir);
  });
});
