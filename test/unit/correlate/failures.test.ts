import assert from 'node:assert/strict';
import { analyze, classifyGolden } from '../../../src/correlate';
import { canaryComparison } from '../../../src/correlate/features/canary';
import { failureRatios, FAILURE_RATIO, joinOutcomes } from '../../../src/correlate/failures';
import type { StitchedSeries } from '../../../src/correlate/stitch';
import type { SeriesData } from '../../../src/ports';
import { at, change, ctxOf, input, MIN, series } from './helpers';

// OTel's HTTP server instrumentation: one duration histogram, its count split by status code.
const COUNT = 'http.server.request.duration.count';
const HOUR_AGO = at('13:00');
const PAGE = at('14:00');
const flat = (v: number) => (): number => v;
const pod = (svc: string, id: string, version: string, status: string, v: number, from = HOUR_AGO): SeriesData =>
  series(svc, COUNT, { 'service.instance.id': id, 'service.version': version, 'http.response.status_code': status }, flat(v), { from, to: PAGE, int: false, noise: 0 });
const stitched = (s: SeriesData[]): StitchedSeries[] => s.map((x) => ({ ...x, versions: [] }));

describe('correlate: the failed share of requests, from a duration histogram\'s counts', () => {
  it('is failed / all per instance, and 0 for an instance of the same service that never failed', () => {
    const out = failureRatios(stitched([pod('api', 'a', '1', '200', 10), pod('api', 'a', '1', '503', 2), pod('api', 'b', '1', '200', 10)]), []);
    assert.equal(out.length, 2);
    const of = (id: string) => out.find((s) => s.series.labels['service.instance.id'] === id);
    assert.equal(of('a')?.series.metric, `http.server.request.duration${FAILURE_RATIO}`);
    assert.equal(of('a')?.series.labels['http.response.status_code'], undefined);
    assert.ok(Math.abs((of('a')?.points[5]?.v ?? 0) - 2 / 12) < 1e-9);
    assert.ok(of('b')?.points.every((p) => p.v === 0));
    assert.deepEqual(classifyGolden(of('a')?.series.metric ?? ''), { signal: 'errors', side: 'server', bad: 1 });
  });

  it('reads failures as Prometheus clients and the Collector\'s span metrics mark them too', () => {
    const as = (labels: Record<string, string>, v: number): SeriesData => series('api', COUNT, { 'service.instance.id': 'a', ...labels }, flat(v), { from: HOUR_AGO, to: PAGE, int: false, noise: 0 });
    for (const [ok, bad] of [[{ code: '200' }, { code: '500' }], [{ status: '200' }, { status: '503' }], [{ 'status.code': 'STATUS_CODE_UNSET' }, { 'status.code': 'STATUS_CODE_ERROR' }], [{ status_class: '2xx' }, { status_class: '5xx' }]] as const) {
      const out = failureRatios(stitched([as(ok, 9), as(bad, 1)]), []);
      assert.equal(out.length, 1, JSON.stringify(bad));
      assert.ok(Math.abs((out[0]?.points[5]?.v ?? 0) - 0.1) < 1e-9, JSON.stringify(bad));
    }
    // A 4xx is the client's mistake, not a failure of the service.
    assert.equal(failureRatios(stitched([as({ code: '200' }, 9), as({ code: '404' }, 1)]), []).length, 0);
  });

  it('reads the outcomes of Micrometer, Istio, Linkerd and go-grpc-prometheus, taking the share over every outcome of one kind of request', () => {
    const of = (metric: string, labels: Record<string, string>, v: number): SeriesData => series('api', metric, { 'service.instance.id': 'a', ...labels }, flat(v), { from: HOUR_AGO, to: PAGE, int: false, noise: 0 });
    const cases: [string, Record<string, string>, Record<string, string>, Record<string, string>][] = [
      // Spring Boot's http_server_requests_seconds: status, outcome and exception, per uri.
      ['http_server_requests_seconds.count', { uri: '/pay', status: '200', outcome: 'SUCCESS', exception: 'None' }, { uri: '/pay', status: '500', outcome: 'SERVER_ERROR', exception: 'IOException' }, { uri: '/pay', status: '404', outcome: 'CLIENT_ERROR', exception: 'None' }],
      ['istio_request_duration_milliseconds.count', { response_code: '200', response_flags: '-' }, { response_code: '503', response_flags: 'UO' }, { response_code: '404', response_flags: '-' }],
      ['response_latency_ms.count', { status_code: '200', classification: 'success' }, { status_code: '502', classification: 'failure' }, { status_code: '404', classification: 'success' }],
      ['grpc_server_handling_seconds.count', { grpc_method: 'Pay', grpc_code: 'OK' }, { grpc_method: 'Pay', grpc_code: 'Unavailable' }, { grpc_method: 'Pay', grpc_code: 'OK' }],
    ];
    for (const [metric, ok, bad, other] of cases) {
      const out = failureRatios(stitched([of(metric, ok, 8), of(metric, bad, 1), of(metric, other, 1)]), []);
      assert.equal(out.length, 1, metric);
      assert.ok(Math.abs((out[0]?.points[5]?.v ?? 0) - 0.1) < 1e-9, `${metric}: ${out[0]?.points[5]?.v}`);
    }
  });

  it("regression: the span metrics' calls split by status.code give the failed share (were: ignored, only a duration's count was read)", () => {
    const calls = (code: string, v: number): SeriesData => series('api', 'traces.span.metrics.calls', { 'service.instance.id': 'a', 'span.kind': 'SPAN_KIND_SERVER', 'status.code': code }, flat(v), { from: HOUR_AGO, to: PAGE, int: false, noise: 0 });
    const out = failureRatios(stitched([calls('STATUS_CODE_UNSET', 3), calls('STATUS_CODE_ERROR', 1)]), []);
    assert.equal(out.length, 1);
    assert.equal(out[0]?.series.metric, `traces.span.metrics.calls${FAILURE_RATIO}`);
    assert.ok(Math.abs((out[0]?.points[5]?.v ?? 0) - 0.25) < 1e-9);
  });

  it('regression: request counters Prometheus clients split by outcome give the failed share (were: read as traffic or ignored, failures unseen)', () => {
    const of = (metric: string, labels: Record<string, string>, v: number): SeriesData => series('api', metric, { 'service.instance.id': 'a', ...labels }, flat(v), { from: HOUR_AGO, to: PAGE, int: false, noise: 0 });
    const cases: [string, Record<string, string>, Record<string, string>][] = [
      ['http_requests_total', { method: 'GET', code: '200' }, { method: 'GET', code: '500' }],
      ['grpc_server_handled_total', { grpc_method: 'Pay', grpc_code: 'OK' }, { grpc_method: 'Pay', grpc_code: 'Unavailable' }],
      ['istio_requests_total', { response_code: '200' }, { response_code: '503' }],
      ['response_total', { classification: 'success' }, { classification: 'failure' }],
    ];
    for (const [metric, ok, bad] of cases) {
      const out = failureRatios(stitched([of(metric, ok, 9), of(metric, bad, 1)]), []);
      assert.equal(out.length, 1, metric);
      assert.equal(out[0]?.series.metric, `${metric}${FAILURE_RATIO}`);
      assert.ok(Math.abs((out[0]?.points[5]?.v ?? 0) - 0.1) < 1e-9, `${metric}: ${out[0]?.points[5]?.v}`);
    }
    // Requests in flight or waiting are no count of requests served.
    for (const metric of ['http.server.active_requests', 'db.client.connection.pending_requests']) {
      assert.equal(failureRatios(stitched([of(metric, { code: '200' }, 9), of(metric, { code: '500' }, 1)]), []).length, 0, metric);
    }
  });

  it('makes nothing for a service that never failed, nor from counts that are not of a duration', () => {
    assert.equal(failureRatios(stitched([pod('api', 'a', '1', '200', 10)]), []).length, 0);
    const jobs = series('api', 'jobs.count', { 'error.type': 'timeout' }, flat(1), { from: HOUR_AGO, to: PAGE });
    assert.equal(failureRatios(stitched([jobs]), []).length, 0);
  });

  it('regression: new pods answering 5xx to a fifth of requests incriminate the release, though old pods have no 5xx series at all (was: nothing to compare)', () => {
    const deploy = change('api-2', 'checkout-api', 'deploy', at('13:50'), { version: '2.0' });
    const s = [pod('checkout-api', 'old-a', '1.0', '200', 10), pod('checkout-api', 'old-b', '1.0', '200', 11), pod('checkout-api', 'new-c', '2.0', '200', 8, at('13:50')), pod('checkout-api', 'new-c', '2.0', '500', 2, at('13:50'))];
    const c = ctxOf(s, [deploy], [], { at: PAGE, windowMs: 60 * MIN, afterMs: 0 });
    const e = canaryComparison(c, deploy);
    assert.ok(e.value > 0.9, JSON.stringify(e));
    assert.equal(e.metric, `http.server.request.duration${FAILURE_RATIO}`);
  });

  it('regression: a new pod that has served only 200s is compared with old pods that also served a few 500s (was: measured apart, its latency ten times theirs unseen)', () => {
    const deploy = change('api-2', 'checkout-api', 'deploy', at('13:50'), { version: '2.0' });
    const MEAN = 'http.server.request.duration.mean';
    const lat = (id: string, version: string, status: string, v: number, from = HOUR_AGO): SeriesData =>
      series('checkout-api', MEAN, { 'service.instance.id': id, 'service.version': version, 'http.response.status_code': status }, (t) => v * (1 + 0.05 * Math.sin(t / MIN + id.length)), { from, to: PAGE, int: false, noise: 0 });
    const old = (id: string): SeriesData[] => [pod('checkout-api', id, '1.0', '200', 10), pod('checkout-api', id, '1.0', '500', 0.1), lat(id, '1.0', '200', 0.02), lat(id, '1.0', '500', 0.05)];
    const s = [...old('old-a'), ...old('old-b'), pod('checkout-api', 'new-c', '2.0', '200', 10, at('13:50')), lat('new-c', '2.0', '200', 0.2, at('13:50'))];
    const e = canaryComparison(ctxOf(s, [deploy], [], { at: PAGE, windowMs: 60 * MIN, afterMs: 0 }), deploy);
    assert.ok(e.value > 0.9, JSON.stringify(e));
    assert.equal(e.metric, MEAN);
  });

  it('end to end: the release whose new pod fails a fifth of requests is named above a decoy, with the canary and the paged service\'s failures quoted', () => {
    const deploy = change('api-2', 'checkout-api', 'deploy', at('13:50'), { version: 'v2.0' });
    const decoy = change('web-cfg', 'web', 'config', at('13:49'));
    const s = [pod('checkout-api', 'old-a', '1.0', '200', 10), pod('checkout-api', 'old-b', '1.0', '200', 11), pod('checkout-api', 'new-c', '2.0', '200', 8, at('13:51')), pod('checkout-api', 'new-c', '2.0', '500', 2, at('13:51'))];
    const a = analyze(input(s, [decoy, deploy], { at: PAGE, windowMs: 60 * MIN, afterMs: 60 * MIN }));
    assert.equal(a.suspects[0]?.id, 'api-2');
    const lines = a.suspects[0]?.evidence.join('\n') ?? '';
    assert.match(lines, /canary: http\.server\.request\.duration\.failure_ratio 0\.20 on instances of v2\.0/);
    assert.doesNotMatch(lines, /\d{5,}\.\dσ/, 'no countless σ from a flat 0');
  });
});

describe('correlate: one kind of request\'s outcomes joined back', () => {
  const MEAN = 'http.server.request.duration.mean';
  const of = (metric: string, status: string, f: (t: number) => number, route = '/pay', from = HOUR_AGO): StitchedSeries => ({
    ...series('api', metric, { 'service.instance.id': 'a', 'http.route': route, 'http.response.status_code': status }, f, { from, to: PAGE, int: false, noise: 0 }),
    versions: [],
  });

  it('sums the outcomes\' request rates and weighs their mean latencies by them, per kind of request', () => {
    const out = joinOutcomes([of(COUNT, '200', flat(9)), of(COUNT, '500', flat(1)), of(MEAN, '200', flat(0.1)), of(MEAN, '500', flat(1.0)), of(COUNT, '200', flat(3), '/cart')], []);
    const count = out.filter((s) => s.series.metric === COUNT);
    assert.equal(count.length, 2, 'one per route');
    const pay = count.find((s) => s.series.labels['http.route'] === '/pay');
    assert.equal(pay?.series.labels['http.response.status_code'], undefined);
    assert.ok(Math.abs((pay?.points[5]?.v ?? 0) - 10) < 1e-9);
    const mean = out.filter((s) => s.series.metric === MEAN);
    assert.equal(mean.length, 1);
    assert.ok(Math.abs((mean[0]?.points[5]?.v ?? 0) - 0.19) < 1e-9, String(mean[0]?.points[5]?.v));
    // The route seen with one outcome only loses it too: it measures what a joined route does.
    assert.equal(count.find((s) => s.series.labels['http.route'] === '/cart')?.series.labels['http.response.status_code'], undefined);
  });

  it('regression: a 404 seen now and then beside steady successes is no request rate leaping from nothing (was: the onset of trouble)', () => {
    const rare = (t: number): number => (Math.floor((t - HOUR_AGO) / MIN) % 7 === 3 ? 0.03 : 0);
    const out = joinOutcomes([of(COUNT, '200', flat(6)), of(COUNT, '404', rare, '/pay', at('13:20'))], []);
    assert.equal(out.length, 1);
    assert.ok(out[0]?.points.every((p) => p.v >= 6 && p.v <= 6.031));
  });
});
