import assert from 'node:assert/strict';
import { effectAt, metricClass } from '../../../src/correlate';
import { refineOnset, strength } from '../../../src/correlate/signals';
import { at, FD, MIN, ramp, series, step } from './helpers';

describe('signals', () => {
  it('classifies metrics by semantic-convention names', () => {
    assert.equal(metricClass('process.open_file_descriptor.count'), 'fds');
    assert.equal(metricClass('http.client.open_connections'), 'connections');
    assert.equal(metricClass('db.client.connection.count'), 'connections');
    assert.equal(metricClass('process.memory.usage'), 'memory');
    assert.equal(metricClass('process.thread.count'), 'threads');
    assert.equal(metricClass('http.server.active_requests'), 'active');
    assert.equal(metricClass('http.server.request.count'), 'traffic');
    assert.equal(metricClass('something.else'), 'other');
  });

  it("a duration's mean, quantiles, max and failed share are no request rate, whatever 'requests' its name holds (Micrometer); its count is", () => {
    const base = 'http_server_requests_seconds';
    for (const name of [`${base}.mean`, `${base}.p99`, `${base}_max`, `${base}.failure_ratio`]) assert.equal(metricClass(name), 'other', name);
    for (const name of [`${base}.count`, 'http_requests_total']) assert.equal(metricClass(name), 'traffic', name);
  });

  it("regression: a resource's limit is no use of it, garbage collections are no request rate, database exporters' client counts are connections", () => {
    for (const name of ['jvm.memory.limit', 'hikaricp_connections_max', 'k8s.container.cpu_limit', 'jvm.gc.duration', 'jvm.gc.duration.count', 'v8js.gc.duration.count']) assert.equal(metricClass(name), 'other', name);
    assert.equal(metricClass('jvm.memory.used_after_last_gc'), 'memory');
    assert.equal(metricClass('k8s.container.memory_limit_utilization'), 'memory');
    for (const name of ['redis_connected_clients', 'pg_stat_activity_count', 'mongodb_connections']) assert.equal(metricClass(name), 'connections', name);
    assert.equal(metricClass('grpc_server_handled_total'), 'traffic');
  });

  it('measures a level shift on the raw points, in σ and relative to the level', () => {
    const s = series('a', FD, {}, step(500, 800, at('12:00')));
    const e = effectAt(s.points, at('12:00'), 30 * MIN);
    assert.ok(e !== undefined);
    assert.ok(Math.abs(e.before - 500) <= 3 && Math.abs(e.after - 800) <= 3, JSON.stringify(e));
    assert.ok(e.shift > 20 && Math.abs(e.relative - 0.6) < 0.02);
    assert.ok(strength(e) > 0.95);
  });

  it('regression: a failed share at exactly 0 rising to 4 % is a strong move (was: read as an integer count, under half a unit of quantisation)', () => {
    const s = series('a', 'http.server.request.duration.failure_ratio', {}, step(0, 0.04, at('12:00')), { noise: 0, int: false });
    const e = effectAt(s.points, at('12:00'), 30 * MIN);
    assert.ok(e !== undefined && strength(e) > 0.95, JSON.stringify(e));
    const restarts = series('a', 'k8s.container.restarts', {}, step(0, 1, at('12:00')), { noise: 0 });
    const r = effectAt(restarts.points, at('12:00'), 30 * MIN);
    assert.ok(r !== undefined && strength(r) < 0.05, `a count going 0 → 1 stays under its quantisation: ${JSON.stringify(r)}`);
  });

  it('does not credit a breakpoint with a jump that starts much later', () => {
    const s = series('a', FD, {}, step(500, 800, at('12:50')));
    const e = effectAt(s.points, at('12:00'), 30 * MIN);
    assert.ok(e !== undefined && Math.abs(e.after - e.before) < 10, JSON.stringify(e));
  });

  it('refines a late or early detector time to where the move starts', () => {
    const s = series('a', FD, {}, step(500, 800, at('12:00')));
    const late = effectAt(s.points, at('12:12'), 30 * MIN)!;
    assert.equal(refineOnset(s.points, at('12:12'), late, 30 * MIN), at('12:00'));
    const leak = series('a', FD, {}, ramp(500, 300, at('12:00')));
    const t = refineOnset(leak.points, at('12:30'), effectAt(leak.points, at('12:30'), 30 * MIN)!, 30 * MIN);
    assert.ok(t >= at('12:00') && t <= at('12:25'), new Date(t).toISOString());
  });

  it('regression: a jump followed by a warm-up climb starts at the jump, not minutes before it (a release restarting on more memory)', () => {
    // 480 MB until the restart at 12:10, 950 MB right after, then warming up to 1.4 GB by 12:17.
    const f = (t: number): number => (t < at('12:10') ? 480 : Math.min(1400, 950 + (65 * (t - at('12:10'))) / MIN));
    const s = series('a', 'process.memory.usage', {}, f, { noise: 3 });
    const t = refineOnset(s.points, at('12:11'), effectAt(s.points, at('12:11'), 30 * MIN)!, 30 * MIN);
    assert.equal(t, at('12:10'), new Date(t).toISOString());
  });

  it('regression: a small jump then a steady climb is not extrapolated back past the last sample still at the earlier level', () => {
    // 350 fds until 12:00, then +15 at once and +4 a minute: the climb's line meets 350 at about 11:56.
    const f = (t: number): number => (t < at('12:00') ? 350 : 365 + (4 * (t - at('12:00'))) / MIN);
    const s = series('a', FD, {}, f, { noise: 1 });
    const t = refineOnset(s.points, at('12:10'), effectAt(s.points, at('12:10'), 30 * MIN)!, 30 * MIN);
    assert.ok(t >= at('11:59') && t <= at('12:00'), new Date(t).toISOString());
  });
});

