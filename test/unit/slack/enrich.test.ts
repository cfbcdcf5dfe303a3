import assert from 'node:assert/strict';
import type { Suspect } from '../../../src/domain/types';
import { EpicenterError } from '../../../src/errors';
import { decodeAlertmanagerWebhook, type AlertmanagerWebhook } from '../../../src/formats/alertmanager';
import type { StoredAnalysis } from '../../../src/ports';
import { AlertDedupe } from '../../../src/slack/dedupe';
import { enrichAlerts, type EnrichDeps, type PostedAlert } from '../../../src/slack/enrich';
import type { SlackMessage } from '../../../src/slack/limits';
import { amAlert, amPayload } from './am-fixture';

const top: Suspect = { id: 'chg-b', service: 'api', team: 'B', type: 'config', time: Date.parse('2024-05-01T11:48:00Z'), score: 0.8, evidence: ['4x connections'] };

function webhook(doc: Record<string, unknown>): AlertmanagerWebhook {
  const r = decodeAlertmanagerWebhook(doc);
  assert.ok(r.ok);
  return r.webhook;
}

function deps(posts: SlackMessage[], over: Partial<EnrichDeps> = {}): EnrichDeps {
  return {
    analyze: (q) => Promise.resolve({ id: `a-${q.service}`, service: q.service, at: q.at, from: q.at - q.windowMs, to: q.at + q.afterMs, createdAt: 0, suspects: [top], breakpoints: [] } satisfies StoredAnalysis),
    serviceKnown: (s) => Promise.resolve(s !== 'ghost'),
    slack: { post: (m) => (posts.push(m), Promise.resolve()) },
    dedupe: new AlertDedupe<PostedAlert>(),
    serviceLabels: ['service', 'job'],
    windowMs: 6 * 3_600_000,
    afterMs: 0,
    timelineUrl: (s, at) => `https://e/v1/timeline?service=${s}&at=${at}`,
    now: () => Date.parse('2024-05-01T13:00:00Z'),
    ...over,
  };
}

describe('slack alert enrichment', () => {
  it('posts a firing alert once; the repeat is a duplicate', async () => {
    const posts: SlackMessage[] = [];
    const d = deps(posts);
    const w = webhook(amPayload());
    const first = await enrichAlerts(w, d);
    assert.equal(first[0]?.action, 'posted');
    assert.equal(first[0]?.topSuspect, 'chg-b');
    const again = await enrichAlerts(w, d);
    assert.equal(again[0]?.action, 'duplicate');
    assert.equal(posts.length, 1);
    assert.match(JSON.stringify(posts[0]), /chg-b/);
  });

  it('a new occurrence of the same alert (new startsAt) is posted again', async () => {
    const posts: SlackMessage[] = [];
    const d = deps(posts);
    await enrichAlerts(webhook(amPayload()), d);
    await enrichAlerts(webhook(amPayload({}, [amAlert({ startsAt: '2024-05-01T15:00:00Z' })])), d);
    assert.equal(posts.length, 2);
  });

  it('posts one RESOLVED follow-up quoting the original suspect, however often the resolve arrives', async () => {
    const posts: SlackMessage[] = [];
    const d = deps(posts);
    await enrichAlerts(webhook(amPayload()), d);
    const resolved = webhook(amPayload({ status: 'resolved' }, [amAlert({ status: 'resolved', endsAt: '2024-05-01T12:30:00Z' })]));
    assert.equal((await enrichAlerts(resolved, d))[0]?.action, 'posted');
    assert.equal((await enrichAlerts(resolved, d))[0]?.action, 'duplicate');
    assert.equal(posts.length, 2);
    assert.match(JSON.stringify(posts[1]), /RESOLVED.*after 30 min.*chg-b/);
  });

  it('finds the service from the labels in order, then the common labels; skips alerts without one or for unknown services', async () => {
    const posts: SlackMessage[] = [];
    const d = deps(posts);
    const w = webhook(
      amPayload({ commonLabels: { alertname: 'X' } }, [
        amAlert({ fingerprint: 'f1', labels: { alertname: 'X', job: 'jobs' } }),
        amAlert({ fingerprint: 'f2', labels: { alertname: 'X' } }),
        amAlert({ fingerprint: 'f3', labels: { alertname: 'X', service: 'ghost' } }),
      ]),
    );
    const out = await enrichAlerts(w, d);
    assert.deepEqual(out.map((o) => [o.service, o.action]), [['jobs', 'posted'], [undefined, 'skipped'], ['ghost', 'skipped']]);
    assert.match(out[1]?.reason ?? '', /no service label \(tried service, job\)/);
  });

  it('a failed post is reported retriable and the alert is posted on the next delivery', async () => {
    const posts: SlackMessage[] = [];
    let fail = true;
    const d = deps(posts, {
      slack: {
        post: (m) => {
          if (fail) return Promise.reject(new EpicenterError('UPSTREAM_FAILED', 'Slack answered 503'));
          posts.push(m);
          return Promise.resolve();
        },
      },
    });
    const w = webhook(amPayload());
    const first = await enrichAlerts(w, d);
    assert.equal(first[0]?.action, 'failed');
    assert.equal(first[0]?.retriable, true);
    fail = false;
    assert.equal((await enrichAlerts(w, d))[0]?.action, 'posted');
    assert.equal(posts.length, 1);
  });

  it('without Slack it still analyses (and posts nothing)', async () => {
    const d = { ...deps([]), slack: undefined };
    const out = await enrichAlerts(webhook(amPayload()), d);
    assert.equal(out[0]?.action, 'analysed');
    assert.equal(out[0]?.analysisId, 'a-jobs');
  });
});
