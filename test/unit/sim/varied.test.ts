import assert from 'node:assert/strict';
import { decodeMetricRules } from '../../../src/formats';
import { classifyGolden } from '../../../src/correlate/golden';
import { scenarioSeries, simulate, writeMetricRulesYaml, type Mechanism, type Regime, type Scenario } from '../../../src/sim';

const MIN = 60_000;
/** The first seed whose drawn regime passes `ok` (small worlds keep the test quick). */
function find(mechanism: Mechanism, ok: (r: Regime, sc: Scenario) => boolean): Scenario {
  for (let seed = 1; seed < 400; seed++) {
    const sc = simulate({ seed, mechanism, varied: true, services: 10 });
    if (ok(sc.truth.regime, sc)) return sc;
  }
  throw new Error('no seed draws that regime');
}

describe('simulator: varied regimes', () => {
  it('draws the regime from the seed, deterministically; one in five or so stays classic', () => {
    const a = simulate({ seed: 5, mechanism: 'slow_dependency', varied: true, services: 10 });
    const b = simulate({ seed: 5, mechanism: 'slow_dependency', varied: true, services: 10 });
    assert.deepEqual(a.truth, b.truth);
    const classic = Array.from({ length: 25 }, (_, i) => simulate({ seed: 100 + i, mechanism: 'fd_leak', varied: true, services: 8, spanMs: 2 * 3600_000 }).truth.regime.classic).filter(Boolean).length;
    assert.ok(classic >= 1 && classic <= 12, `${classic} of 25 classic`);
  });

  it('canary release on new pods: new instance ids on the new version from the cause on, slower than the old pods over the same minutes', () => {
    const sc = find('canary_release', (r, s) => r.deploy !== 'in-place' && s.truth.labels.version && s.truth.hops === 0 && r.naming === 'otel');
    const t = sc.truth;
    const lat = scenarioSeries(sc).filter((s) => s.series.service === t.cause.service && s.series.metric === 'http.server.request.duration.p50');
    const version = sc.changes.find((c) => c.id === t.cause.id)?.version;
    const fresh = lat.filter((s) => s.series.labels['service.version'] === version);
    const old = lat.filter((s) => s.series.labels['service.version'] !== version);
    assert.ok(fresh.length > 0 && old.length > 0);
    assert.ok(fresh.every((s) => (s.points[0]?.t ?? 0) >= t.cause.time - MIN), 'new pods have no "before"');
    const ids = new Set(old.map((s) => s.series.labels['service.instance.id']));
    assert.ok(fresh.every((s) => !ids.has(s.series.labels['service.instance.id'])), 'new pods, new instance ids');
    const at = (ss: typeof lat, from: number) => ss.flatMap((s) => s.points.filter((p) => p.t >= from && p.t < t.at).map((p) => p.v));
    const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? NaN;
    const both = Math.min(...fresh.map((s) => s.points[0]?.t ?? Infinity));
    assert.ok(at(old, both).length > 0, 'old pods keep running a while');
    assert.ok(med(at(fresh, both)) > 1.5 * med(at(old, both)), `new ${med(at(fresh, both))} vs old ${med(at(old, both))}`);
  });

  it("a shop's own names come with the rules that explain them; golden-only telemetry has no resource counters", () => {
    const sc = find('slow_dependency', (r) => r.naming === 'shop' && r.signals === 'golden');
    const r = decodeMetricRules(writeMetricRulesYaml(sc.metricRules), { file: 'metrics.yaml' });
    assert.deepEqual(r.errors, []);
    const names = new Set(scenarioSeries(sc).map((s) => s.series.metric));
    assert.ok(![...names].some((n) => n.startsWith('process') || n.includes('connection')), [...names].join(', '));
    const latency = [...names].filter((n) => classifyGolden(n, {}, r.rules).signal === 'latency');
    assert.ok(latency.length > 0 && latency.every((n) => classifyGolden(n).signal === 'ignore'), 'only the rules explain them');
  });

  it('no declared dependsOn: the edges are in client-side series naming their server', () => {
    const sc = find('slow_dependency', (r) => r.dropEdges >= 1);
    assert.ok(sc.topology.services.every((s) => s.dependsOn.length === 0));
    assert.ok(scenarioSeries(sc).some((s) => s.series.labels['server.address'] !== undefined || s.series.labels['peer.service'] !== undefined));
  });

  it('golden signals include calls per callee (the client duration histogram count OTel records by default), and a fan-out flag raises them at its first hop', () => {
    const sc = find('flag_fanout', (r) => r.signals === 'golden' && r.naming === 'otel' && r.page === 'acute');
    const cause = sc.truth.cause;
    const calls = scenarioSeries(sc).filter((s) => s.series.metric === 'http.client.request.count' && s.series.service === cause.service);
    assert.ok(calls.length > 0 && calls.every((s) => classifyGolden(s.series.metric, s.series.labels).signal === 'traffic'));
    const mean = (pts: readonly { t: number; v: number }[], from: number, to: number) => {
      const xs = pts.filter((p) => p.t >= from && p.t < to).map((p) => p.v);
      return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    };
    const rises = calls.map((s) => mean(s.points, cause.time + 2 * MIN, sc.truth.at) / mean(s.points, cause.time - 20 * MIN, cause.time));
    assert.ok(Math.max(...rises) > 1.5, `calls per callee after/before: ${rises.map((x) => x.toFixed(2)).join(', ')}`);
  });

  it('acute page on the entry service: minutes after the cause, several hops above it, with no data after it', () => {
    const sc = find('slow_dependency', (r) => r.page === 'acute' && r.entry);
    const t = sc.truth;
    assert.ok(t.at - t.cause.time >= 2 * MIN && t.at - t.cause.time <= 11 * MIN, `${(t.at - t.cause.time) / MIN} min`);
    assert.ok(t.hops >= 2 && t.hops <= 3);
    assert.equal(t.afterMs, 0);
    assert.notEqual(t.victim, t.cause.service);
  });
});

describe('simulate: decoys stay decoys', () => {
  it('regression: the victim\'s decoy release is never "rolled back without help" over the planted release of the same service (that rollback would undo the cause)', () => {
    // Seed 90101 planted a bad release of tax-api between its decoy release and the decoy's rollback.
    const sc = simulate({ seed: 90101, mechanism: 'canary_release', varied: true });
    const byId = new Map(sc.changes.map((c) => [c.id, c]));
    const cause = sc.truth.cause;
    for (const h of sc.truth.redHerrings.filter((r) => r.role === 'rollback that did not help')) {
      const rb = byId.get(h.id);
      const decoy = rb?.revertOf === undefined ? undefined : byId.get(rb.revertOf);
      assert.ok(rb !== undefined && decoy !== undefined);
      const spans = decoy.service === cause.service && cause.time > decoy.time && cause.time < rb.time;
      assert.ok(!spans, `${h.id} rolls ${decoy.service} back over the cause ${cause.id}`);
    }
  });
});
