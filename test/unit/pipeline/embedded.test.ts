import assert from 'node:assert/strict';
import { createEmbeddedRuntime } from '../../../src/app/embedded';
import { MemoryStore } from '../../../src/store/memory';
import { cloudEvent, otlpGauges } from './otlp';

const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);

describe('embedded runtime (in-process bus, same pipeline as run)', () => {
  it('stores metrics and changes, detects breakpoints, and reports bad records as dead letters', async () => {
    const store = new MemoryStore();
    const topology = { services: [{ name: 'a', team: 'ta', dependsOn: [], limits: { fds: 1024 } }] };
    const rt = createEmbeddedRuntime({ store, topology, now: () => T0 + 86_400_000 });
    const lines = Array.from({ length: 120 }, (_, i) => otlpGauges('a', [{ metric: 'fds', t: T0 + i * 60_000, v: (i < 60 ? 200 : 700) + (i % 3) }]));
    rt.ingestMetrics(lines.join('\n'), { file: 'fds.ndjson' });
    rt.ingestMetrics('t,v\nnot-a-time,1\n', { file: 'bad.csv' });
    rt.ingestChanges(cloudEvent('c1', 'b', 'config', T0 + 59 * 60_000), { file: 'changes.ndjson' });
    const s = await rt.drain();
    assert.equal(s.points, 120);
    assert.equal(s.changes, 1);
    assert.ok(s.breakpoints >= 1, 'a level shift found while streaming');
    assert.equal(s.deadLetters.length, 1);
    assert.match(s.deadLetters[0]?.reason ?? '', /bad\.csv/);
    const bps = await store.queryBreakpoints({ from: T0, to: T0 + 86_400_000 });
    assert.equal(bps[0]?.limit, 1024);
    assert.equal((await store.queryChanges({ from: T0, to: T0 + 86_400_000 }))[0]?.id, 'c1');
    await rt.close();
  });

  it('accepts old files (replays) that the Kafka path would reject as beyond retention', async () => {
    const rt = createEmbeddedRuntime({ store: new MemoryStore(), topology: { services: [] } });
    rt.ingestMetrics(otlpGauges('a', [{ metric: 'x', t: Date.UTC(2020, 0, 1), v: 1 }]));
    assert.equal((await rt.drain()).points, 1);
  });

  it('publishes API changes through the bus and resolves once they are stored', async () => {
    const store = new MemoryStore();
    const rt = createEmbeddedRuntime({ store, topology: { services: [] } });
    await rt.changes.publishChanges([{ id: 'x1', source: 'api', type: 'flag', rawType: 'com.acme.change.flag', service: 's', time: T0, team: 't', summary: 'flag on' }]);
    const got = await store.queryChanges({ from: T0, to: T0 + 1 });
    assert.deepEqual(got.map((c) => [c.id, c.type, c.team]), [['x1', 'flag', 't']]);
  });
});
