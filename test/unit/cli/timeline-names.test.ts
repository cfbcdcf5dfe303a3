import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulateCommand } from '../../../src/cli/commands/simulate';
import { runTimelineCommand } from '../../../src/cli/commands/timeline';
import { isEpicenterError } from '../../../src/errors';
import { parseTruthJson } from '../../../src/sim';

describe('cli: timeline --metric-names, as analyze takes it', function () {
  this.timeout(120_000);
  let out = '';
  let dir = '';
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'epicenter-tl-names-'));
    // Seed 502 --varied names its metrics the shop's own way and writes the rules beside them.
    [dir] = runSimulateCommand({ out, seed: '502', varied: true, quiet: true }) as [string];
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  const timeline = async (metricNames?: string): Promise<string> => {
    const t = parseTruthJson(readFileSync(join(dir, 'truth.json'), 'utf8'), 'truth.json');
    const r = await runTimelineCommand({
      service: t.service, at: String(t.at), window: `${t.windowMs}ms`, after: `${t.afterMs}ms`, out: join(out, metricNames === undefined ? 'plain' : 'named'),
      metrics: [join(dir, 'metrics.ndjson')], changes: [join(dir, 'changes.ndjson')], topology: join(dir, 'topology.yaml'), quiet: true,
      ...(metricNames === undefined ? {} : { metricNames }),
    });
    const first = readFileSync(r.markdown, 'utf8').split('\n').find((l) => l.includes('suspect #1 ('));
    return `${first ?? ''} / cause ${t.cause?.id ?? '?'}`;
  };

  it('names the planted cause first and sure of it with the folder\'s metrics.yaml (the timeline could only be given it through the config: <1 %)', async () => {
    const named = await timeline(join(dir, 'metrics.yaml'));
    const cause = /cause (\S+)$/.exec(named)?.[1] ?? '';
    assert.ok(named.includes(`id ${cause}`), named);
    // Without the rules its metrics are not read as golden signals: the same change, scored under 1 %.
    const score = (line: string): string => /suspect #1 \(([^)]*)\)/.exec(line)?.[1] ?? '';
    const plain = await timeline();
    assert.equal(score(plain), '<1%', plain);
    assert.ok(Number.parseInt(score(named), 10) >= 50, named);
  });

  it('a rules file that does not decode is refused naming --metric-names', async () => {
    const bad = join(out, 'bad.yaml');
    writeFileSync(bad, 'metrics:\n  - match: x\n    signal: nonsense\n');
    await assert.rejects(timeline(bad), (e) => isEpicenterError(e) && e.code === 'BAD_CONFIG' && /^--metric-names/.test(e.message));
  });
});
