import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers';

const BIN = join(ROOT, 'bin', 'epicenter.js');
const INCIDENT = join(ROOT, 'examples', 'incident');
const HISTORY = ['--metrics', join(INCIDENT, 'metrics.ndjson'), '--changes', join(INCIDENT, 'changes.ndjson'), '--topology', join(INCIDENT, 'topology.yaml')];

function cli(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, cwd: ROOT });
}

/** The chart specs the HTML page hands to Chart.js (its embedded JSON). */
function chartData(html: string): { charts: { title: string; lines: { label: string; points: { x: number; y: number }[] }[]; annotations: Record<string, Record<string, unknown>> }[] } {
  const m = /<script type="application\/json" id="timeline-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m?.[1] !== undefined, 'the page embeds its chart data');
  return JSON.parse(m[1]) as ReturnType<typeof chartData>;
}

describe('cli: epicenter replay writes a timeline page (node bin/epicenter.js)', function () {
  this.timeout(180_000);
  let dir = '';
  let proposal = '';
  before(() => {
    assert.ok(existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')), 'needs `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'epicenter-cli-replay-'));
    // The bundled pool change proposed an hour before it really shipped, so the window holds no real copy of it.
    proposal = join(dir, 'proposal-12h.json');
    writeFileSync(proposal, readFileSync(join(INCIDENT, 'proposal.json'), 'utf8').replace('"2026-03-12T13:02:00Z"', '"2026-03-12T12:00:00Z"'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the bundled story: would have paged on checkout-api fds, named the proposal #1; Markdown and HTML with recorded vs predicted charts and the limit', () => {
    const out = join(dir, 'out');
    const r = cli(['replay', ...HISTORY, '--propose', proposal, '--from', '2026-03-12T09:30:00Z', '--to', '2026-03-12T12:59:00Z', '--out', out, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { page: { service: string; metric: string } | null; rank: number; timeline: { markdown: string; html: string } };
    assert.equal(j.page?.service, 'checkout-api');
    assert.equal(j.rank, 1);
    assert.equal(j.timeline.html, join(out, 'replay-proposal-order-sync-pool-20260312T120000Z.html'));

    const md = readFileSync(j.timeline.markdown, 'utf8');
    assert.match(md, /^# Replay · order-sync: set http\.client\.pool\.min\\_idle 30 → 1200/);
    assert.match(md, /\*\*Would have paged\*\*: checkout-api process\.open\\_file\\_descriptor\.count reaches 1,2\d\d \(limit 1,024\)/);
    assert.match(md, /\*\*epicenter would have named it: #1 suspect \((9\d|>99|&gt;99)%\)\*\*/);
    assert.match(md, /\| checkout-api process\.open\\_file\\_descriptor\.count \| 4\d\d \| 1,[23]\d\d \| 1,[23]\d\d \([\d,]+–[\d,]+\) \| 1,024 \| breach \| checkout \|/);
    assert.match(md, /## Most likely cause\n\n\*\*config change on order-sync\*\*/);

    const html = readFileSync(j.timeline.html, 'utf8');
    assert.match(html, /<title>Replay · order-sync: set http\.client\.pool\.min_idle 30 → 1200<\/title>/);
    assert.match(html, /<section class="verdict" id="replay">/);
    const fd = chartData(html).charts.find((c) => c.title === 'checkout-api · process.open_file_descriptor.count · highest instance');
    assert.ok(fd !== undefined, 'a chart of checkout-api fds');
    const recorded = fd.lines.find((l) => l.label === 'recorded');
    const predicted = fd.lines.find((l) => l.label === 'predicted (replayed)');
    assert.ok(recorded !== undefined && predicted !== undefined, 'recorded and predicted lines');
    const proposedAt = Date.parse('2026-03-12T12:00:00Z');
    const peak = (l: typeof recorded, after: boolean): number => Math.max(...l.points.filter((p) => (p.x >= proposedAt) === after).map((p) => p.y));
    assert.ok(peak(recorded, true) < 1024 && peak(predicted, true) > 1024, `recorded stays under the limit, predicted crosses it (${peak(recorded, true)}, ${peak(predicted, true)})`);
    assert.equal(peak(recorded, false), peak(predicted, false), 'identical before the proposal');
    assert.equal(fd.annotations['limit']?.['yMin'], 1024, 'the limit line at 1024');
    assert.ok(Math.max(...predicted.points.map((p) => p.x)) >= Date.parse('2026-03-12T12:50:00Z'), 'the chart runs to the end of the window');
  });

  it('a harmless proposal: would not have paged, no correlator verdict, the page still charts the predicted effect', () => {
    const small = join(dir, 'small.json');
    writeFileSync(small, readFileSync(proposal, 'utf8').replace('"to": 1200', '"to": 40').replace('30 → 1200', '30 → 40'));
    const out = join(dir, 'out-small');
    const r = cli(['replay', ...HISTORY, '--propose', small, '--from', '2026-03-12T09:30:00Z', '--to', '2026-03-12T12:59:00Z', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /no limit reached, no page/);
    const mdFile = /timeline: (\S+\.md)/.exec(r.stdout)?.[1];
    assert.ok(mdFile !== undefined, r.stdout);
    const md = readFileSync(mdFile, 'utf8');
    assert.match(md, /\*\*Would not have paged\*\*: no series reached its limit/);
    assert.doesNotMatch(md, /## Most likely cause|## No clear cause/);
    assert.match(md, /order-sync http\.client\.open\\_connections → checkout-api/);
  });

  it('snapshot, whatif and replay refuse a file with nothing usable: exit 2 naming it, one line (was: an empty history, or exit 3)', () => {
    const empty = join(dir, 'empty.ndjson');
    writeFileSync(empty, '');
    const garbage = join(dir, 'garbage.ndjson');
    writeFileSync(garbage, '{"specversion":"1.0"}\nnot json\n');
    const window = ['--from', '2026-03-12T09:30:00Z', '--to', '2026-03-12T12:59:00Z', '--out', join(dir, 'never')];
    const runs: [string[], string, RegExp][] = [
      [['snapshot', '--metrics', join(INCIDENT, 'changes.ndjson'), '--out', join(dir, 's.json')], join(INCIDENT, 'changes.ndjson'), /no usable metric points/],
      [['whatif', '--metrics', empty, '--propose', proposal], empty, /no usable metric points \(the file is empty\)/],
      [['replay', ...HISTORY.slice(0, 2), '--changes', garbage, '--propose', proposal, ...window], garbage, /no usable change events \(all 2 records were rejected/],
    ];
    const ch = cli(['replay', '--source', 'clickhouse', '--propose', proposal, ...window]);
    assert.equal(ch.status, 2, ch.stderr);
    assert.match(ch.stderr, /replay reads files only/);
    for (const [args, file, why] of runs) {
      const r = cli(args);
      assert.equal(r.status, 2, `${args[0]}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`${file}: `), r.stderr);
      assert.match(r.stderr, why);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
