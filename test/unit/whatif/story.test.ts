import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { whatIfBlocks } from '../../../src/slack/whatif';
import { slackLimitViolations } from '../../../src/slack/limits';

const ROOT = join(__dirname, '../../..');
const DIR = join(ROOT, 'examples/incident');

interface Out { verdict: string; breaches: { service: string; metric: string; limit: number; predicted: number; low: number; high: number; at: string; path: string[]; team: string }[]; effects: unknown[]; assumptions: string[] }

describe('the bundled story through `epicenter whatif`', function () {
  this.timeout(120_000);
  let run: SpawnSyncReturns<string>;
  before(() => {
    run = spawnSync(process.execPath, [join(ROOT, 'bin/epicenter.js'), 'whatif', '--metrics', join(DIR, 'metrics.ndjson'), '--changes', join(DIR, 'changes.ndjson'), '--topology', join(DIR, 'topology.yaml'), '--propose', join(DIR, 'proposal.json'), '--json'], { cwd: ROOT, encoding: 'utf8' });
  });

  it("predicts checkout-api's fds crossing 1024, by how much, and names team checkout; exit status 1", () => {
    assert.equal(run.status, 1, run.stderr);
    const out = JSON.parse(run.stdout) as Out;
    assert.equal(out.verdict, 'breach');
    const b = out.breaches.find((x) => x.service === 'checkout-api');
    assert.ok(b !== undefined, run.stdout);
    assert.equal(b.metric, 'process.open_file_descriptor.count');
    assert.equal(b.limit, 1024);
    assert.equal(b.team, 'checkout');
    assert.deepEqual(b.path, ['order-sync', 'checkout-api']);
    assert.ok(b.predicted > 1100 && b.predicted < 1500, `predicted ${b.predicted}`);
    assert.ok(b.low < b.predicted && b.predicted < b.high);
    assert.equal(Object.keys(out).join(','), 'verdict,breaches,effects,blind,assumptions');
  });

  it('gives a Slack message within the limits that says by how much and whom to talk to', () => {
    const out = JSON.parse(run.stdout) as Out;
    const msg = whatIfBlocks({ verdict: 'breach', breaches: out.breaches, effects: out.effects as never, blind: [], assumptions: out.assumptions }, { id: 'p', type: 'config', service: 'order-sync', team: 'fulfilment', time: Date.parse('2026-03-12T13:02:00Z'), keys: [], quantities: {} });
    assert.deepEqual(slackLimitViolations(msg), []);
    const text = JSON.stringify(msg.blocks);
    assert.match(text, /over its limit of 1024 by \d+/);
    assert.match(text, /talk to team \*checkout\*/);
    assert.match(msg.text, /warn checkout/);
  });
});
