import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulateCommand } from '../../../src/cli/commands/simulate';
import { writeLinesFile } from '../../../src/cli/io';
import { isEpicenterError } from '../../../src/errors';
import { simulate, writeOtlpNdjson } from '../../../src/sim';

describe('epicenter simulate', () => {
  const out = mkdtempSync(join(tmpdir(), 'epicenter-sim-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('writes metrics, changes, topology and truth per scenario', () => {
    const dirs = runSimulateCommand({ out, count: '2', seed: '5', mechanism: 'fd_leak', services: '8', quiet: true });
    assert.equal(dirs.length, 2);
    for (const d of dirs) {
      for (const f of ['metrics.ndjson', 'changes.ndjson', 'topology.yaml', 'truth.json']) assert.ok(existsSync(join(d, f)), `${d}/${f}`);
      const truth = JSON.parse(readFileSync(join(d, 'truth.json'), 'utf8')) as { mechanism: string };
      assert.equal(truth.mechanism, 'fd_leak');
    }
  });

  it('writes metrics.ndjson as writeOtlpNdjson would, in pieces', () => {
    const [d] = runSimulateCommand({ out, seed: '9', mechanism: 'caller_connections', services: '8', quiet: true });
    assert.equal(readFileSync(join(d!, 'metrics.ndjson'), 'utf8'), writeOtlpNdjson(simulate({ seed: 9, mechanism: 'caller_connections', services: 8, varied: false })));
  });

  it('writes more lines than one string can hold (simulate --services 1000 died with "RangeError: Invalid string length")', () => {
    const mib = 'x'.repeat(1 << 20);
    function* lines(): Generator<string> {
      for (let i = 0; i < 520; i++) yield mib; // 520 MiB: past V8's ~512 MiB string limit
    }
    assert.doesNotThrow(() => writeLinesFile('/dev/null', lines()));
  });

  it('rejects an unknown mechanism, naming the option', () => {
    assert.throws(() => runSimulateCommand({ out, mechanism: 'gremlins', quiet: true }), (e) => isEpicenterError(e) && e.origin.field === 'mechanism');
  });
});
