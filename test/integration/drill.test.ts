import assert from 'node:assert/strict';
import { runDrill, type DrillReport } from '../../bench/drill/drill';
import { alive } from '../../bench/drill/procs';
import { slackLimitViolations } from '../../src/slack/limits';

/**
 * The founding story as a live drill (bench/drill/drill.ts; also `npm run drill`): real processes
 * on the loopback, a real Collector, Kafka, `epicenter run`, ClickHouse and Alertmanager. One run
 * (about 3–4 minutes), then every claim is checked on what it recorded.
 */
describe('drill: a caller’s config change exhausts checkout-api’s fds → Alertmanager → epicenter → Slack (all real)', function () {
  this.timeout(420_000);
  let report: DrillReport;

  before(async function () {
    this.timeout(400_000);
    const say = process.env['EPICENTER_TEST_ECHO'] === '1' ? (l: string) => process.stderr.write(`      ${l}\n`) : undefined;
    report = await runDrill(say === undefined ? {} : { say });
  });

  it('checkout-api really ran out of fds: EMFILE logged, the limit reached in ClickHouse by its own export and by the Collector’s scraper', () => {
    assert.ok(report.emfile.length > 0, 'checkout-api logged no EMFILE');
    assert.match(String(report.emfile[0]?.['message']), /EMFILE: too many open files/);
    assert.ok(report.storedFdsMax >= 0.9 * report.fdLimit, `stored fds peaked at ${report.storedFdsMax} of ${report.fdLimit}`);
    assert.ok(report.storedFdsMax <= report.fdLimit, `fds ${report.storedFdsMax} above the limit ${report.fdLimit}?`);
    assert.ok(report.scrapedFdsMax >= 0.9 * report.fdLimit, `host_metrics saw at most ${report.scrapedFdsMax} fds of checkout-api`);
  });

  it('epicenter’s Slack message names order-sync’s config change first, across the team boundary (fulfilment → checkout)', () => {
    const ranked = report.suspects.map((s) => `${s.id} ${s.type} ${s.service} (${s.team}) ${(s.score * 100).toFixed(1)}%`).join('\n');
    assert.deepEqual(slackLimitViolations(report.slack.message), []);
    assert.match(report.firstSuspect, /^\*1\. config change on `order-sync`\* \(team fulfilment\)/, `first suspect in Slack: ${report.firstSuspect}\nranked:\n${ranked}`);
    assert.ok(report.firstSuspect.includes(`\`${report.cause.id}\``), `Slack's first suspect is not ${report.cause.id}: ${report.firstSuspect}`);
    assert.equal(report.suspects[0]?.id, report.cause.id, `ranked:\n${ranked}`);
    assert.ok(report.suspects.length >= 3, `the flag and the victim's own deploy are candidates too:\n${ranked}`);
  });

  it('stopped every process it started, and cleaned up', () => {
    assert.ok(report.pids.length >= 6 && report.pids.every((p) => p.pid > 0), `pids ${report.pids.map((p) => p.pid).join(', ')}`);
    assert.deepEqual(report.pids.filter(alive).map((p) => p.pid), [], 'still running');
    assert.deepEqual(report.cleanupFailures, []);
  });
});
