import { strict as assert } from 'node:assert';
import { webhookReadings } from '../../../src/app/stats';
import { SourceCounters } from '../../../src/changes/counters';

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
});
