import assert from 'node:assert/strict';
import type { Suspect } from '../../../src/domain/types';
import { buildAlertMessage, buildCommandMessage, buildResolvedMessage, formatDuration, percent, relativeTo, type AlertView } from '../../../src/slack/blocks';
import { slackLimitViolations, SLACK_LIMITS } from '../../../src/slack/limits';

const onset = Date.parse('2024-05-01T12:00:00Z');
const alert: AlertView = { name: 'JobsCrashing', severity: 'critical', service: 'jobs', startsAt: onset, summary: 'jobs pods restart: EMFILE too many open files', status: 'firing' };
const s = (i: number, over: Partial<Suspect> = {}): Suspect => ({ id: `chg-${i}`, service: `svc-${i}`, team: `team-${i}`, type: 'config', time: onset - (i + 1) * 60_000, score: 0.9 - i * 0.01, evidence: [`evidence ${i}`], ...over });

function allText(msg: unknown): string {
  return JSON.stringify(msg);
}

describe('slack blocks', () => {
  it('formats time relative to the alert start (or the time asked)', () => {
    assert.equal(relativeTo(onset - 12 * 60_000, onset), '12 min before alert start');
    assert.equal(relativeTo(onset + 3 * 60_000, onset), '3 min after alert start');
    assert.equal(relativeTo(onset - 10_000, onset), 'at alert start');
    assert.equal(relativeTo(onset - 60 * 60_000, onset, 'the time asked'), '1 h before the time asked');
    assert.equal(formatDuration(125 * 60_000), '2 h 5 min');
    assert.equal(formatDuration(26 * 3_600_000), '1 d 2 h');
  });

  it('shows confidence without rounding doubt away', () => {
    assert.deepEqual([0, 0.001, 0.834, 0.999, 1].map(percent), ['0%', '<1%', '83%', '>99%', '>99%']);
  });

  it('names the alert and the top three suspects with team, relative time, confidence, evidence and a timeline link', () => {
    const msg = buildAlertMessage({ alert, analysis: { id: 'a1', suspects: [s(0, { score: 0.834 }), s(1), s(2), s(3)] }, timelineUrl: 'https://e.example.com/v1/timeline?service=jobs&at=x' });
    const text = allText(msg);
    assert.equal(msg.blocks[0]?.type, 'header');
    assert.match(text, /JobsCrashing — jobs/);
    assert.match(text, /critical/);
    assert.match(text, /EMFILE/);
    assert.match(text, /1\. config change on `svc-0`\* \(team team-0\) · 1 min before alert start · \*83%\* confidence/);
    assert.match(text, /chg-2/);
    assert.doesNotMatch(text, /chg-3`/, 'only three suspects shown');
    assert.match(text, /1 more suspects in the timeline/);
    assert.match(text, /<https:\/\/e\.example\.com\/v1\/timeline\?service=jobs&at=x\|Open timeline>/);
    assert.match(msg.text, /likely config change on svc-0/);
    assert.deepEqual(slackLimitViolations(msg), []);
  });

  it('says there is no clear cause when the first suspect is below an even chance, and still lists the suspects', () => {
    const msg = buildAlertMessage({ alert, analysis: { suspects: [s(0, { score: 0.04 }), s(1, { score: 0.03 })] } });
    const text = allText(msg);
    assert.match(text, /\*No clear cause\* — no recorded change explains this well; the best 2 of 2 ranked changes, the first at 4%/);
    assert.doesNotMatch(text, /Likely causes/);
    assert.match(text, /1\. config change on `svc-0`/);
    assert.match(msg.text, /no clear cause; first suspect config change on svc-0/);
    assert.doesNotMatch(msg.text, /likely config/);
  });

  it('stays within Slack limits with a 10 kB evidence string and a 300-char alert name', () => {
    const evidence = 'E'.repeat(10_000);
    const msg = buildAlertMessage({ alert: { ...alert, name: 'N'.repeat(300), summary: 'S'.repeat(10_000) }, analysis: { suspects: [s(0, { evidence: [evidence] }), s(1, { evidence: [evidence] })] } });
    assert.deepEqual(slackLimitViolations(msg), []);
    const header = msg.blocks[0];
    assert.ok(header?.type === 'header' && header.text.text.length <= SLACK_LIMITS.headerText);
    assert.ok(JSON.stringify(msg).length < 6000, `payload ${JSON.stringify(msg).length} chars stays modest`);
  });

  it('stays within Slack limits with 60 suspects, even when asked to show all of them', () => {
    const suspects = Array.from({ length: 60 }, (_, i) => s(i, { evidence: ['e'.repeat(2000)] }));
    for (const shown of [3, 60]) {
      const msg = buildAlertMessage({ alert, analysis: { suspects }, shownSuspects: shown });
      assert.deepEqual(slackLimitViolations(msg), [], `shown=${shown}`);
      assert.ok(msg.blocks.length <= 50);
    }
  });

  it('escapes mrkdwn control characters from untrusted labels and evidence', () => {
    const msg = buildAlertMessage({ alert: { ...alert, summary: '<!channel> & <http://evil|click>' }, analysis: { suspects: [s(0, { evidence: ['<@U123> ping'] })] } });
    const text = allText(msg);
    assert.doesNotMatch(text, /<!channel>/);
    assert.doesNotMatch(text, /<@U123>/);
    assert.match(text, /&lt;!channel&gt; &amp;/);
  });

  it('escapes "<1%" in blocks (regression: a bare < starts a Slack link)', () => {
    const msg = buildAlertMessage({ alert, analysis: { suspects: [s(0, { score: 0.001 })] } });
    const section = msg.blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*1.') === true);
    assert.ok(section?.type === 'section');
    assert.match(section.text?.text ?? '', /\*&lt;1%\* confidence/);
  });

  it('says so when no change explains the alert', () => {
    const msg = buildAlertMessage({ alert, analysis: { suspects: [], breakpointCount: 4 } });
    assert.match(allText(msg), /No recorded change explains this yet\* \(4 trend breakpoints/);
  });

  it('the resolved follow-up quotes the original suspect and the duration', () => {
    const msg = buildResolvedMessage({ alert: { ...alert, status: 'resolved' }, endsAt: onset + 42 * 60_000, original: { topSuspect: s(0) } });
    const text = allText(msg);
    assert.match(text, /RESOLVED/);
    assert.match(text, /after 42 min/);
    assert.match(text, /chg-0/);
    assert.deepEqual(slackLimitViolations(msg), []);
  });

  it('the slash-command answer is posted in the channel', () => {
    const msg = buildCommandMessage({ service: 'jobs', at: onset, analysis: { suspects: [s(0)] } });
    assert.equal(msg.response_type, 'in_channel');
    assert.deepEqual(slackLimitViolations(msg), []);
  });
});
