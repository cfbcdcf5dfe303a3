import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers';

const BIN = join(ROOT, 'bin', 'epicenter.js');
const INCIDENT = join(ROOT, 'examples', 'incident');
const ASK = ['--metrics', join(INCIDENT, 'metrics.ndjson'), '--changes', join(INCIDENT, 'changes.ndjson'), '--topology', join(INCIDENT, 'topology.yaml')];

function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env });
}

/** One line on stderr, no stack trace. */
function oneLine(stderr: string): void {
  assert.equal(stderr.trim().split('\n').length, 1, stderr);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

describe('cli: the epicenter process (node bin/epicenter.js)', function () {
  this.timeout(180_000);
  let dir = '';
  before(() => {
    assert.ok(existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')), 'needs `npm run build` first (npm test builds before testing)');
    dir = mkdtempSync(join(tmpdir(), 'epicenter-cli-proc-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs main exactly once: --help prints one usage', () => {
    const r = cli(['--help']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout.match(/^Usage: epicenter/gm)?.length, 1, r.stdout);
  });

  it('--version is the package\'s own, not npm_package_version of whatever npm script runs it', () => {
    const r = cli(['--version'], { env: { ...process.env, npm_package_version: '9.9.9' } });
    assert.equal(r.stdout.trim(), '0.1.0');
  });

  it('bad usage exits 2 (was 1): no arguments, an unknown option, a missing one, --window -5h, a bad --at', () => {
    for (const args of [[], ['detect', '--bogus'], ['analyze', '--at', 'now'], ['analyze', ...ASK, '--service', 'checkout-api', '--at', 'now', '--window', '-5h'], ['analyze', ...ASK, '--service', 'checkout-api', '--at', 'yesterday'], ['frobnicate']]) {
      const r = cli(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    }
  });

  it('a file whose records were all rejected exits 2 naming it (was 3); detect on a change or binary file (was "0 series", exit 0)', () => {
    const binary = join(dir, 'binary.dat');
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256)));
    for (const f of [join(INCIDENT, 'changes.ndjson'), binary]) {
      const r = cli(['detect', '--input', f]);
      assert.equal(r.status, 2, r.stderr);
      assert.ok(r.stderr.includes(`${f}: no usable metric points`), r.stderr);
      oneLine(r.stderr);
    }
  });

  it('an unknown --service exits 2 with the closest names (was analysed: exit 0, "#1 4%")', () => {
    const r = cli(['analyze', ...ASK, '--service', 'checkout-apu', '--at', '2026-03-12T13:19:00Z']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /'checkout-apu' is not a service .*; did you mean checkout-api\?/);
    const t = cli(['timeline', ...ASK, '--service', 'checkout-apu', '--at', '2026-03-12T13:19:00Z', '--out', dir]);
    assert.equal(t.status, 2, t.stderr);
  });

  it('a closed stdout (detect … | head -1) ends quietly with 0 instead of an EPIPE stack trace', async () => {
    const p = spawn(process.execPath, [BIN, 'detect', '--input', join(INCIDENT, 'metrics.ndjson'), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.destroy(); // the reader goes away before the first write
    let stderr = '';
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((done) => p.on('exit', done));
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
  });

  it('timeline --out into a file gives one line naming the path, exit 2 (was an ENOTDIR/EEXIST stack trace)', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = cli(['timeline', '--out', file]);
    assert.equal(r.status, 2);
    oneLine(r.stderr);
    assert.ok(r.stderr.includes(file), r.stderr);
  });

  it('timeline with no arguments uses the bundled incident, from any working directory (was looked up under dist/)', () => {
    const r = cli(['timeline', '--out', join(dir, 'out')], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /timeline-checkout-api-20260312T131900Z\.md\n.*\.html\n$/);
  });

  describe('demo with its port taken', () => {
    let server: Server;
    before((done) => {
      server = createServer().listen(0, '127.0.0.1', done);
    });
    after((done) => {
      server.close(() => done());
    });

    it('prints the report, then one line naming the port, exit 2 (was EADDRINUSE with a stack and no report)', () => {
      const port = (server.address() as AddressInfo).port;
      const r = cli(['demo', '--port', String(port)], { cwd: dir });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stdout, /#1 +\d+% +config of order-sync/);
      assert.match(r.stdout, /Bundled ground truth: .* ranked #1\./);
      oneLine(r.stderr);
      assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port} cannot be served \\(EADDRINUSE\\)`));
    });
  });
});
