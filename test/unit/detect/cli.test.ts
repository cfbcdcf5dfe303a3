import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { detectJson, detectText, runDetectCommand } from '../../../src/cli/commands/detect';
import { isEpicenterError } from '../../../src/errors';
import { rng } from './gen';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('cli: epicenter detect', () => {
  let dir = '';
  let csv = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'epicenter-detect-'));
    const r = rng(7);
    const lines = ['timestamp,value'];
    // fds: flat around 200 (σ 3), then +216 per hour (0.6 per 10 s sample) from 00:50; two bad lines
    for (let i = 0; i < 600; i++) {
      const t = new Date(Date.UTC(2024, 4, 6) + i * 10_000).toISOString();
      lines.push(`${t},${(200 + 3 * r.normal() + (i >= 300 ? 0.6 * (i - 300) : 0)).toFixed(2)}`);
      if (i === 10) lines.push(`${t.slice(0, 10)}Tnot-a-time,5`);
      if (i === 20) lines.push(`${t},lots`);
    }
    csv = join(dir, 'fds.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'topology.yaml'), 'services:\n  - name: unknown\n    team: a\n    dependsOn: []\n    limits:\n      fds: 1024\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the leak, the projected exhaustion, and the rejected records by file and line', () => {
    const r = runDetectCommand({ input: csv, topology: join(dir, 'topology.yaml') });
    assert.equal(r.series, 1);
    assert.equal(r.points, 600);
    assert.equal(r.rejected.length, 2);
    assert.match(r.rejected[0]!.describe(), /fds\.csv:13: timestamp: /);
    assert.match(r.rejected[1]!.describe(), /fds\.csv:24: value: /);
    assert.equal(r.breakpoints.length, 1);
    const doc = JSON.parse(detectJson(r)) as { breakpoints: Record<string, unknown>[]; rejected: number };
    assert.equal(doc.rejected, 2);
    const b = doc.breakpoints[0]!;
    assert.equal(b['kind'], 'slope_change');
    assert.equal(b['metric'], 'fds');
    assert.equal(b['service'], 'unknown');
    assert.deepEqual(b['labels'], { 'service.name': 'unknown' });
    assert.ok(Math.abs(Date.parse(b['time'] as string) - Date.parse('2024-05-06T00:50:00Z')) <= 50_000, String(b['time']));
    assert.equal(b['limit'], 1024);
    assert.match(b['exhaustionAt'] as string, /^2024-05-06T0[4-5]:/); // ≈ 824 fds to go at ≈ 216/h: ≈ 3.8 h
    const text = detectText(r);
    assert.match(text, /slope_change/);
    assert.match(text, /limit 1024 at 2024-05-06T0[4-5]/);
    assert.match(text, /1 series, 600 points, 1 breakpoints, 2 records rejected/);
  });

  it('throws BAD_INPUT (exit 2) when the file cannot be read', () => {
    assert.throws(() => runDetectCommand({ input: join(dir, 'missing.csv') }), (e: unknown) => isEpicenterError(e) && e.code === 'BAD_INPUT' && /missing\.csv/.test(e.message));
  });

  it('runs as `node bin/epicenter.js detect --json` and exits 3 when records were rejected', function () {
    assert.ok(existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')), 'needs `npm run build` first (npm test builds before testing)');
    const p = spawnSync(process.execPath, [join(ROOT, 'bin', 'epicenter.js'), 'detect', '--input', csv, '--json'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(p.status, 3, p.stderr);
    assert.equal((JSON.parse(p.stdout) as { breakpoints: unknown[] }).breakpoints.length, 1);
    assert.match(p.stderr, /rejected: .*fds\.csv:13: timestamp/);
    const missing = spawnSync(process.execPath, [join(ROOT, 'bin', 'epicenter.js'), 'detect', '--input', join(dir, 'nope.csv')], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(missing.status, 2);
  });
});
