import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAnalyzeCommand } from '../../../src/cli/commands/analyze';
import { snapshotFrom } from '../../../src/cli/commands/snapshot';
import { runTimelineCommand } from '../../../src/cli/commands/timeline';
import { isEpicenterError } from '../../../src/errors';

/**
 * `--source clickhouse` without --topology falls back to the configured `topologyFile` (config/topology.yaml,
 * relative to the working directory), which a fresh clone does not have. The docs' commands
 * (`epicenter timeline --source clickhouse --service … --at …`) then failed with BAD_INPUT on that file
 * before asking the store; the configuration reference says epicenter runs without it, with a warning.
 * Here ClickHouse is pointed at a closed port, so reaching the store shows as STORE_UNAVAILABLE.
 */
describe('cli: --source clickhouse without the configured topology file', function () {
  this.timeout(30_000);
  let dir = '';
  let config: string[] = [];
  let stderrWrite: typeof process.stderr.write;
  let warned = '';
  before(() => {
    assert.ok(!existsSync('config/topology.yaml'), 'the checkout has no config/topology.yaml (the default topologyFile)');
    dir = mkdtempSync(join(tmpdir(), 'epicenter-ch-topo-'));
    writeFileSync(join(dir, 'ch.yaml'), 'clickhouse:\n  url: http://127.0.0.1:1\n');
    config = ['config/default.yaml', join(dir, 'ch.yaml')];
  });
  beforeEach(() => {
    warned = '';
    stderrWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string | Uint8Array) => {
      warned += String(s);
      return true;
    });
  });
  afterEach(() => {
    process.stderr.write = stderrWrite;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const reachedStore = (e: unknown) => isEpicenterError(e) && e.code === 'STORE_UNAVAILABLE';
  const at = '2026-03-12T13:19:00Z';

  it('analyze failed with BAD_INPUT config/topology.yaml; now it warns and asks the store', async () => {
    await assert.rejects(runAnalyzeCommand({ source: 'clickhouse', service: 'checkout-api', at, config }), reachedStore);
    assert.match(warned, /topology file config\/topology\.yaml \(config topologyFile\) not found/);
  });

  it('timeline failed the same way; now it warns and asks the store', async () => {
    await assert.rejects(runTimelineCommand({ source: 'clickhouse', service: 'checkout-api', at, config, quiet: true, out: dir }), reachedStore);
    assert.match(warned, /config topologyFile/);
  });

  it('snapshot (and whatif) failed the same way; now it warns and asks the store', async () => {
    await assert.rejects(snapshotFrom({ source: 'clickhouse', config, until: at }), reachedStore);
    assert.match(warned, /config topologyFile/);
  });

  it('a --topology that is given and missing is still refused naming the file', async () => {
    const missing = join(dir, 'nope.yaml');
    await assert.rejects(runAnalyzeCommand({ source: 'clickhouse', service: 'checkout-api', at, config, topology: missing }),
      (e: unknown) => isEpicenterError(e) && e.code === 'BAD_INPUT' && e.origin.file === missing);
  });
});
