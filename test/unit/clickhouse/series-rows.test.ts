import assert from 'node:assert/strict';
import { seriesSeenRow, seriesSpans } from '../../../src/clickhouse/series-rows';
import { MIGRATIONS, parseServerVersion } from '../../../src/clickhouse/schema';
import { makeSeries } from '../../../src/domain/series';
import { EpicenterError } from '../../../src/errors';

const T = Date.UTC(2026, 0, 10, 12, 0, 0);
const fds = makeSeries('fds', { 'service.name': 'a', pod: 'p1' }, undefined, '{file}');
const conns = makeSeries('conns', { 'service.name': 'a' });

describe('clickhouse: series rows', () => {
  it('a span becomes a series_seen row with seconds and exact ms for first and last', () => {
    assert.deepEqual(seriesSeenRow({ series: fds, first: T + 1500, last: T + 61_999 }), {
      service: 'a',
      series_id: fds.id,
      metric: 'fds',
      labels: '{"pod":"p1","service.name":"a"}',
      unit: '{file}',
      first_seen: T / 1000 + 1,
      last_seen: T / 1000 + 61,
      first_seen_ms: T + 1500,
      last_seen_ms: T + 61_999,
    });
  });

  it('refuses a time outside DateTime naming the series', () => {
    assert.throws(() => seriesSeenRow({ series: fds, first: -1, last: T }), (e: unknown) => e instanceof EpicenterError && e.code === 'BAD_INPUT' && e.message.includes(fds.id));
  });

  it('seriesSpans: one span per series with its min and max time, whatever the order', () => {
    const spans = seriesSpans([
      { series: fds, t: T + 2000, v: 1 },
      { series: conns, t: T, v: 1 },
      { series: fds, t: T + 1000, v: 1 },
      { series: fds, t: T + 3000, v: 1 },
    ]);
    assert.deepEqual(spans.map((s) => [s.series.metric, s.first, s.last]), [['fds', T + 1000, T + 3000], ['conns', T, T]]);
  });

  for (const version of ['18.16.1', '24.8.4.13']) {
    it(`migration 4 on ${version}: the new view feeds series_agg from series_seen, series_mv is dropped, series is untouched`, () => {
      const m = MIGRATIONS.find((x) => x.version === 4)!;
      assert.equal(m.name, 'series_rows');
      const text = m.statements({ db: 'e', features: parseServerVersion(version), retentionDays: 7 }).map((q) => q.text);
      assert.match(text[0]!, /CREATE TABLE IF NOT EXISTS `e`\.`series_seen` \([\s\S]*\) ENGINE = Null$/);
      assert.match(text[1]!, /CREATE MATERIALIZED VIEW IF NOT EXISTS `e`\.`series_seen_mv` TO `e`\.`series_agg` AS\nSELECT service, series_id, metric, labels, unit,/);
      assert.match(text[1]!, /FROM `e`\.`series_seen` GROUP BY service, series_id, metric, labels, unit$/);
      // The new view before the old one goes, and the old one dropped in a way 18.16 parses.
      assert.equal(text[2], 'DROP TABLE IF EXISTS `e`.`series_mv`');
      assert.ok(text.every((t) => !/VIEW IF NOT EXISTS `e`\.`series` /.test(t)));
    });
  }
});
