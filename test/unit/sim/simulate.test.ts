import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeCloudEvents, decodeMetricsFile, decodeTopology, createRateState } from '../../../src/formats';
import { MECHANISMS, scenarioSeries, simulate, writeCloudEventsNdjson, writeOtlpNdjson, writeTopologyYaml, writeTruthJson, createRng } from '../../../src/sim';
import type { Scenario } from '../../../src/sim';

function digest(sc: Scenario): string {
  const h = createHash('sha1');
  for (const s of scenarioSeries(sc)) {
    h.update(s.series.id);
    for (const p of s.points) h.update(`${p.t},${p.v};`);
  }
  h.update(JSON.stringify(sc.changes));
  h.update(JSON.stringify(sc.truth));
  return h.digest('hex');
}

describe('simulator', () => {
  const small = { services: 8, changes: 12, spanMs: 5 * 3600_000 } as const;

  it('is deterministic from the seed', () => {
    assert.equal(digest(simulate({ seed: 7, ...small })), digest(simulate({ seed: 7, ...small })));
    assert.notEqual(digest(simulate({ seed: 7, ...small })), digest(simulate({ seed: 8, ...small })));
  });

  it('has its own PRNG: same seed, same draws', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(xs, Array.from({ length: 5 }, () => b.next()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(xs, Array.from({ length: 5 }, () => createRng(43).next()));
  });

  for (const mechanism of MECHANISMS) {
    it(`plants ${mechanism}: one recorded cause before the onset, the victim's key metric moves`, () => {
      const sc = simulate({ seed: 11, mechanism, ...small });
      const t = sc.truth;
      const cause = sc.changes.find((c) => c.id === t.cause.id);
      assert.ok(cause !== undefined);
      assert.equal(t.mechanism, mechanism);
      assert.ok(cause.time <= t.onset && t.onset < t.at && t.at < sc.end);
      assert.ok(sc.topology.services.some((s) => s.name === t.victim));
      const key = scenarioSeries(sc).filter((s) => s.series.service === t.victim && s.series.metric === t.metric);
      const before = Math.max(...key.flatMap((s) => s.points.filter((p) => p.t < cause.time).map((p) => p.v)));
      const after = Math.max(...key.flatMap((s) => s.points.filter((p) => p.t > t.onset && p.t <= t.at).map((p) => p.v)));
      assert.ok(after > before * 1.2, `${t.metric}: ${before} → ${after}`);
    });
  }

  it('writes formats the decoders accept, with the same series', () => {
    const sc = simulate({ seed: 3, ...small });
    const m = decodeMetricsFile(writeOtlpNdjson(sc), { file: 'metrics.ndjson' }, createRateState());
    assert.deepEqual(m.errors, []);
    const fromSim = new Set(scenarioSeries(sc).map((s) => s.series.id));
    const decoded = new Set(m.values.map((s) => s.series.id));
    assert.ok([...fromSim].every((id) => decoded.has(id)), 'every simulated series comes back from OTLP/JSON');
    const c = decodeCloudEvents(writeCloudEventsNdjson(sc.changes), { file: 'changes.ndjson' });
    assert.deepEqual(c.errors, []);
    assert.deepEqual(c.values.map((x) => x.id), sc.changes.map((x) => x.id));
    assert.equal(c.values.find((x) => x.revertOf !== undefined)?.type ?? 'rollback', 'rollback');
    const tp = decodeTopology(writeTopologyYaml(sc.topology), { file: 'topology.yaml' });
    assert.deepEqual(tp.errors, []);
    assert.equal(tp.topology.services.length, sc.topology.services.length);
    assert.equal(JSON.parse(writeTruthJson(sc.truth)).cause.id, sc.truth.cause.id);
  });

  it('tells the fd-exhaustion story with a fixed cast', () => {
    const sc = simulate({ seed: 1, story: 'fd-exhaustion' });
    assert.equal(sc.truth.victim, 'checkout-api');
    assert.equal(sc.truth.cause.service, 'order-sync');
    assert.equal(sc.truth.cause.type, 'config');
    assert.equal(sc.truth.limit, 1024);
    const roles = sc.truth.redHerrings.map((r) => r.role);
    assert.ok(roles.includes('victim deploy at onset'));
  });
});
