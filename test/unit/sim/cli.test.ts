import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulateCommand } from '../../../src/cli/commands/simulate';
import { isEpicenterError } from '../../../src/errors';

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

  it('rejects an unknown mechanism, naming the option', () => {
    assert.throws(() => runSimulateCommand({ out, mechanism: 'gremlins', quiet: true }), (e) => isEpicenterError(e) && e.origin.field === 'mechanism');
  });
});
