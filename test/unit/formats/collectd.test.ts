import assert from 'node:assert/strict';
import { createRateState, decodeCollectd } from '../../../src/formats';
import { fixture, pointsOf } from './helpers';

const T = 1_714_564_800_123; // the fixture's first time, 1714564800.123 s
const vl = (o: object) => ({ values: [1], dstypes: ['gauge'], dsnames: ['value'], time: 1714564800, interval: 10, host: 'h', plugin: 'cpu', plugin_instance: '', type: 'percent', type_instance: '', ...o });

describe('formats/collectd', () => {
  const { values, errors } = decodeCollectd(fixture('collectd.ndjson'), { file: 'collectd.ndjson' });

  it('decodes write_kafka JSON without errors', () => assert.deepEqual(errors, []));

  it('processes plugin: service = process name (plugin_instance), gauge kept as a level', () => {
    assert.deepEqual(pointsOf(values, 'collectd.processes.file_handles'), [[T, 120], [T + 10_000, 170], [T + 20_000, 220]]);
    const s = values.find((x) => x.series.metric === 'collectd.processes.file_handles')!.series;
    assert.equal(s.service, 'jobs-a');
    assert.deepEqual({ ...s.labels }, { host: 'node-3', plugin_instance: 'jobs-a' });
  });

  it('derive with several data sources → per-second rates named by dsname, service = host', () => {
    assert.deepEqual(pointsOf(values, 'collectd.interface.if_octets.rx'), [[T + 10_000, 80], [T + 20_000, 80]]);
    assert.deepEqual(pointsOf(values, 'collectd.interface.if_octets.tx'), [[T + 10_000, 20], [T + 20_000, 20]]);
    assert.equal(values.find((x) => x.series.metric === 'collectd.interface.if_octets.rx')!.series.service, 'node-3');
  });

  it('single "value" data source: no dsname suffix; type_instance becomes a label', () => {
    const s = values.find((x) => x.series.metric === 'collectd.load.load')!.series;
    assert.deepEqual({ ...s.labels }, { host: 'node-3', type_instance: 'shortterm' });
  });

  it('counter that wraps or restarts restarts the rate instead of going negative', () => {
    const rates = createRateState();
    const msg = (time: number, v: number) => JSON.stringify([vl({ values: [v], dstypes: ['counter'], time })]);
    const r = decodeCollectd([msg(1714564800, 4294967000), msg(1714564810, 100), msg(1714564820, 300)].join('\n'), {}, rates);
    assert.deepEqual(pointsOf(r.values, 'collectd.cpu.percent'), [[1714564820000, 20]]);
    // The first reading and the one after the wrap are kept as the rate's base: held, not lost.
    assert.equal(r.held, 2);
  });

  it('absolute → value / interval; null (NaN gauge) is a missing sample', () => {
    const r = decodeCollectd(JSON.stringify([vl({ values: [50, null], dstypes: ['absolute', 'gauge'], dsnames: ['a', 'b'] })]), {});
    assert.deepEqual(r.errors, []);
    assert.deepEqual(pointsOf(r.values, 'collectd.cpu.percent.a'), [[1714564800000, 5]]);
    assert.deepEqual(pointsOf(r.values, 'collectd.cpu.percent.b'), []);
  });

  it('bad value lists are reported by line and field; the others in the same message survive', () => {
    const text = [
      JSON.stringify([vl({ values: [1, 2] }), vl({ plugin: 'ok' })]),
      JSON.stringify([vl({ dstypes: ['rate'] }), vl({ time: 12 }), vl({ values: [2e16] }), vl({ host: '' })]),
      'not json',
    ].join('\n');
    const r = decodeCollectd(text, { file: 'c.ndjson' });
    assert.deepEqual(r.values.map((s) => s.series.metric), ['collectd.ok.percent']);
    assert.deepEqual(r.errors.map((e) => [e.origin.line, e.origin.field]), [
      [1, '[0].dstypes'],
      [2, '[0].dstypes[0]'],
      [2, '[1].time'],
      [2, '[2].values[0]'],
      [2, '[3].host'],
      [3, undefined],
    ]);
  });
});
