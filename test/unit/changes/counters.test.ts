import { strict as assert } from 'node:assert';
import { webhookReadings } from '../../../src/app/stats';
import { deliveriesSince, SourceCounters } from '../../../src/changes/counters';
import { pipelineStatsRow } from '../../../src/clickhouse/ops-rows';

describe('changes: webhook counts (GET /v1/changes/sources, stats log line, epicenter.changes.webhooks)', () => {
  it('counts per kind and in total; the metric readings carry only the kind and the outcome', () => {
    const c = new SourceCounters();
    c.accepted('github', 2);
    c.ignored('github');
    c.refused('github', 'unsigned');
    c.refused('argocd', 'bad-signature');
    c.refused('argocd', 'bad-signature');
    const s = c.snapshot();
    assert.deepEqual(s['total'], { accepted: 1, changes: 2, ignored: 1, refused: 3, reasons: { unsigned: 1, 'bad-signature': 2 } });
    assert.deepEqual(Object.keys(s), ['argocd', 'github', 'total']);
    assert.deepEqual(
      webhookReadings(c).filter((r) => r.value > 0).map((r) => [r.attributes['epicenter.change_source.kind'], r.attributes['epicenter.change_source.outcome'], r.value]),
      [
        ['argocd', 'refused:bad-signature', 2],
        ['github', 'accepted', 1],
        ['github', 'ignored', 1],
        ['github', 'refused:unsigned', 1],
      ],
    );
    assert.deepEqual(webhookReadings(undefined), []);
  });

  it('pipeline_stats rows carry the deliveries since the previous row, in total and per kind', () => {
    const c = new SourceCounters();
    c.accepted('github', 1);
    c.refused('argocd', 'unsigned');
    const first = c.snapshot();
    c.accepted('github', 1);
    c.accepted('github', 3);
    c.refused('github', 'bad-signature');
    c.accepted('pagerduty', 1);
    const since = deliveriesSince(first, c.snapshot());
    assert.deepEqual(since, [
      { kind: 'github', accepted: 2, refused: 1 },
      { kind: 'pagerduty', accepted: 1, refused: 0 },
    ]);
    assert.deepEqual(deliveriesSince(c.snapshot(), c.snapshot()), [], 'argocd had nothing new: left out');
    const row = pipelineStatsRow({ t: 5000, instance: 'i', pointsIn: 0, breakpoints: 0, deadLetters: 0, lag: 0, batchMs: 0, changeWebhooks: [...since].reverse() });
    assert.deepEqual(
      [row['change_webhooks_accepted'], row['change_webhooks_refused'], row['change_webhook_kinds'], row['change_webhook_kinds_accepted'], row['change_webhook_kinds_refused']],
      [3, 1, ['github', 'pagerduty'], [2, 1], [1, 0]],
    );
    const none = pipelineStatsRow({ t: 5000, instance: 'i', pointsIn: 0, breakpoints: 0, deadLetters: 0, lag: 0, batchMs: 0 });
    assert.deepEqual([none['change_webhooks_accepted'], none['change_webhook_kinds']], [0, []]);
  });
});
