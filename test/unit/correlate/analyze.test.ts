import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeContext } from '../../../src/correlate';
import { runAnalyzeCommand, analysisJson, analysisReport } from '../../../src/cli/commands/analyze';
import { at, bp, change, CONNS, ctxOf, FD, series, step } from './helpers';

describe('analyze: ranking the fd story (hand-made breakpoints)', () => {
  const fds = series('checkout-api', FD, {}, step(540, 1000, at('12:35')));
  const osConns = series('order-sync', CONNS, { 'server.address': 'checkout-api' }, step(20, 300, at('12:33')));
  const webConns = series('web', CONNS, { 'server.address': 'checkout-api' }, () => 30);
  const changes = [
    change('cfg', 'order-sync', 'config', at('12:30')),
    change('dep', 'checkout-api', 'deploy', at('12:34'), { version: '2.14.0' }),
    change('rb', 'checkout-api', 'rollback', at('13:10'), { version: '2.13.4', revertOf: 'dep' }),
    change('near', 'search', 'config', at('12:33')),
    change('web', 'web', 'flag', at('12:32')),
  ];
  const a = analyzeContext(ctxOf([fds, osConns, webConns], changes, [bp(fds, at('12:35')), bp(osConns, at('12:33'))]));

  it('names the other team\'s config change first, above the victim\'s own coincident release', () => {
    assert.equal(a.suspects[0]?.id, 'cfg');
    assert.equal(a.suspects[0]?.team, 'team-order-sync');
    const dep = a.suspects.find((s) => s.id === 'dep');
    assert.ok(dep !== undefined && dep.score < (a.suspects[0]?.score ?? 0));
  });
  it('scores the closest change without metric evidence low', () => {
    assert.ok((a.suspects.find((s) => s.id === 'near')?.score ?? 0) < 0.1);
  });
  it('scores are probabilities: each in [0,1], summing to at most 1', () => {
    const total = a.suspects.reduce((s, x) => s + x.score, 0);
    assert.ok(a.suspects.every((s) => s.score >= 0 && s.score <= 1) && total <= 1 + 1e-9);
  });
  it('explains with the numbers: the link, the victim\'s fds, the useless rollback', () => {
    const ev = a.suspects[0]?.evidence.join('\n') ?? '';
    assert.match(ev, /connections to checkout-api from order-sync: level up 20\.0→300 \(\+\d+(\.\d)?σ\) at 12:33, 3 min after this change/);
    const dep = a.suspects.find((s) => s.id === 'dep')?.evidence.join('\n') ?? '';
    assert.match(dep, /rollback of this change at 13:10 did not revert the trend/);
  });
  it('prints JSON with ISO times and a readable report', () => {
    const j = JSON.parse(analysisJson(a)) as { suspects: { id: string; time: string }[] };
    assert.equal(j.suspects[0]?.time, '2026-03-12T12:30:00.000Z');
    const report = analysisReport(a, [fds], changes);
    assert.match(report, /^#1 +\d+% +config of order-sync \(team team-order-sync\) at 12:30/m);
    assert.match(report, /^Most likely cause: config of order-sync \(team team-order-sync\), \d+%\.$/m);
  });

  it('says there is no clear cause, before the list, when the first suspect is below an even chance', () => {
    const weak = { ...a, suspects: a.suspects.map((s) => ({ ...s, score: s.score * 0.05 })) };
    const report = analysisReport(weak, [fds], changes);
    assert.match(report, /^No clear cause: no recorded change explains the trouble well \(the first suspect is at \d+%\)\.$/m);
    assert.doesNotMatch(report, /Most likely cause/);
    assert.ok(report.indexOf('No clear cause') < report.indexOf('#1 '), 'the verdict comes first');
  });
});

describe('bundled incident (examples/incident) through the real formats and detector', function () {
  this.timeout(120_000);
  it('names order-sync\'s config change first', async () => {
    const dir = join(__dirname, '../../../examples/incident');
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { at: number; cause: { id: string } };
    const r = await runAnalyzeCommand({
      metrics: [join(dir, 'metrics.ndjson')], changes: [join(dir, 'changes.ndjson')], topology: join(dir, 'topology.yaml'),
      service: 'checkout-api', at: String(truth.at), config: [],
    });
    assert.deepEqual(r.rejected.map((e) => e.describe()), []);
    assert.equal(r.analysis.suspects[0]?.id, truth.cause.id);
    assert.equal(r.analysis.suspects[0]?.service, 'order-sync');
  });
});
