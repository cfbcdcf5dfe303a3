import assert from 'node:assert/strict';
import { createEmbeddedRuntime } from '../../../src/app/embedded';
import { labelsJson, seriesFromRow } from '../../../src/clickhouse/rows';
import { seriesId } from '../../../src/domain/series';
import { decodeAlertmanagerWebhook } from '../../../src/formats/alertmanager';
import { decodeCloudEvents, decodeCollectd } from '../../../src/formats';
import { MemoryStore } from '../../../src/store/memory';
import { amAlert, amPayload } from '../slack/am-fixture';
import { expectedSeries, hostileOtlp, LONE_HIGH, seenSeries } from './hostile';

const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);
const sortedEntries = (o: object): [string, unknown][] => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('data path: attribute names and strings survive decode → store unchanged', () => {
  it('a __proto__ resource and point attribute and lone surrogates reach the MemoryStore, normalised once', async () => {
    const store = new MemoryStore();
    const rt = createEmbeddedRuntime({ store, topology: { services: [] }, now: () => T0 + 86_400_000 });
    rt.ingestMetrics(hostileOtlp('svc', T0, 5), { file: 'hostile.json' });
    const s = await rt.drain();
    await rt.close();
    assert.equal(s.deadLetters.length, 0);
    const got = (await store.queryPoints({ from: T0, to: T0 + 3600_000 })).sort((a, b) => (a.series.metric < b.series.metric ? -1 : 1));
    assert.deepEqual(got.map((g) => g.points.length), [5, 5]);
    assert.deepEqual(got.map((g) => seenSeries(g.series)), expectedSeries('svc').map((e) => ({ ...e, proto: null })));
    for (const g of got) assert.equal(g.series.id, seriesId(g.series.metric, g.series.labels));
    assert.ok(got[0]!.series.id.includes('__proto__="point-proto"'));
    assert.ok(got[1]!.series.id.includes('__proto__="resource-proto"'));
  });

  it('collectd names and change events are normalised the same way', () => {
    const vl = { values: [1], dstypes: ['gauge'], dsnames: ['value'], time: T0 / 1000, interval: 10, host: `node${LONE_HIGH}`, plugin: 'load', type: 'load' };
    const c = decodeCollectd(JSON.stringify([vl]), { file: 'c.json' });
    assert.equal(c.values[0]?.series.labels['host'], 'node\ufffd');
    assert.equal(c.values[0]?.series.service, 'node\ufffd');
    const ev = { specversion: '1.0', id: `c${LONE_HIGH}1`, source: 'test', type: 'com.acme.change.deploy', subject: `svc${LONE_HIGH}`, time: new Date(T0).toISOString(), data: { summary: `v2${LONE_HIGH}`, keys: [`k${LONE_HIGH}`] } };
    const d = decodeCloudEvents(JSON.stringify(ev), { file: 'ch.json' }).values[0]!;
    assert.deepEqual([d.id, d.service, d.summary, d.keys], ['c\ufffd1', 'svc\ufffd', 'v2\ufffd', ['k\ufffd']]);
  });

  it('ClickHouse rows keep a __proto__ label both ways (labelsJson used to drop it)', () => {
    const labels = Object.assign(Object.create(null) as Record<string, string>, { ['__proto__']: 'p', a: 'b' });
    const json = labelsJson(labels);
    assert.equal(json, '{"__proto__":"p","a":"b"}');
    const back = seriesFromRow({ series_id: 'm', service: 's', metric: 'm', labels: json, unit: '' });
    assert.deepEqual(sortedEntries(back.labels), [['__proto__', 'p'], ['a', 'b']]);
    assert.equal(Object.getPrototypeOf(back.labels), null);
  });

  it('an Alertmanager label named __proto__ is kept (zod records dropped it)', () => {
    const alert = amAlert({ labels: JSON.parse('{"__proto__":"x","service":"jobs"}') as unknown });
    const r = decodeAlertmanagerWebhook(amPayload({}, [alert]));
    assert.ok(r.ok);
    assert.deepEqual(sortedEntries(r.webhook.alerts[0]!.labels), [['__proto__', 'x'], ['service', 'jobs']]);
    const bad = decodeAlertmanagerWebhook(amPayload({}, [amAlert({ labels: { a: 1 } })]));
    assert.ok(bad.ok);
    assert.match(bad.errors[0]?.describe() ?? '', /alerts\[0\]\.labels: must be an object of strings/);
  });
});
