import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers';

const POINTS = 1_000_000;
const START = Date.UTC(2026, 0, 1);
const STEP_MS = 10_000;

/** One fd series of a million 10-second samples: flat near 400, then a leak of 30 fds an hour from 80 % on; one deploy just before the leak. */
function writeInputs(dir: string): { csv: string; changes: string; at: string } {
  const rows = new Array<string>(POINTS + 1);
  rows[0] = 'timestamp,value';
  const leakFrom = Math.floor(POINTS * 0.8);
  for (let i = 0; i < POINTS; i++) {
    const noise = ((i * 7919) % 13) - 6;
    const leak = i < leakFrom ? 0 : ((i - leakFrom) * STEP_MS * 30) / 3600_000;
    rows[i + 1] = `${(START + i * STEP_MS) / 1000},${(400 + noise + leak).toFixed(1)}`;
  }
  const csv = join(dir, 'fds.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  const deployAt = new Date(START + (leakFrom - 30) * STEP_MS).toISOString();
  const changes = join(dir, 'changes.ndjson');
  writeFileSync(changes, `${JSON.stringify({ specversion: '1.0', id: 'd-1', source: 'ci/big', type: 'com.acme.change.deploy', subject: 'big-api', time: deployAt, data: { team: 'big', summary: 'big-api 2.0', version: '2.0' } })}\n`);
  return { csv, changes, at: new Date(START + (leakFrom + 360) * STEP_MS).toISOString() };
}

describe('cli: a million points', function () {
  this.timeout(600_000);
  let dir = '';
  let inputs: { csv: string; changes: string; at: string };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'epicenter-cli-large-'));
    inputs = writeInputs(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'epicenter.js'), ...args], { encoding: 'utf8', timeout: 540_000, maxBuffer: 64 << 20 });

  it('analyze reads them (was RangeError: Maximum call stack size exceeded from push(...points))', () => {
    const r = cli(['analyze', '--metrics', inputs.csv, '--changes', inputs.changes, '--service', 'big-api', '--at', inputs.at, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /RangeError|call stack/);
    const doc = JSON.parse(r.stdout) as { suspects: { id: string }[] };
    assert.equal(doc.suspects[0]?.id, 'd-1');
  });

  it('detect reads them and finds the leak', () => {
    const r = cli(['detect', '--input', inputs.csv, '--service', 'big-api', '--metric', 'process.open_file_descriptor.count', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { breakpoints: { service: string; metric: string; time: string }[] };
    assert.ok(doc.breakpoints.length > 0);
    assert.equal(doc.breakpoints[0]!.service, 'big-api');
    assert.equal(doc.breakpoints[0]!.metric, 'process.open_file_descriptor.count');
  });
});
