import assert from 'node:assert/strict';
import { classifyGolden } from '../../../src/correlate';
import { seriesClass } from '../../../src/correlate/golden';
import { decodeMetricRules } from '../../../src/formats';

describe('correlate: golden signals', () => {
  it('reads the OpenTelemetry semantic conventions with a bad direction', () => {
    assert.deepEqual(classifyGolden('http.server.request.duration'), { signal: 'latency', side: 'server', bad: 1 });
    assert.deepEqual(classifyGolden('rpc.client.duration'), { signal: 'latency', side: 'client', bad: 1 });
    assert.deepEqual(classifyGolden('http.client.open_connections'), { signal: 'saturation', side: 'client', bad: 1 });
    assert.equal(classifyGolden('k8s.pod.cpu_limit_utilization').signal, 'saturation');
    assert.equal(classifyGolden('container.memory.usage').signal, 'saturation');
    assert.equal(classifyGolden('process.open_file_descriptor.count').signal, 'saturation');
    assert.equal(classifyGolden('http.server.request.count').bad, 0);
    assert.deepEqual(classifyGolden('app.checkout.success_ratio'), { signal: 'success', side: 'server', bad: -1 });
    assert.equal(classifyGolden('app.payment.errors').bad, 1);
  });

  it('Prometheus-style names say their side too (http_client_request_duration_seconds was read as server-side)', () => {
    assert.deepEqual(classifyGolden('http_client_request_duration_seconds'), { signal: 'latency', side: 'client', bad: 1 });
    assert.equal(classifyGolden('http_server_request_duration_seconds').side, 'server');
    assert.equal(classifyGolden('grpc.client_handling_seconds').side, 'client');
  });

  it('durations Prometheus clients name by their unit: Micrometer, go-grpc-prometheus (were: traffic, ignored); a start time in seconds is no latency', () => {
    assert.deepEqual(classifyGolden('http_server_requests_seconds'), { signal: 'latency', side: 'server', bad: 1 });
    assert.deepEqual(classifyGolden('http_server_requests_seconds_max'), { signal: 'latency', side: 'server', bad: 1 });
    assert.deepEqual(classifyGolden('http_client_requests_seconds.mean'), { signal: 'latency', side: 'client', bad: 1 });
    assert.deepEqual(classifyGolden('grpc_server_handling_seconds.p99'), { signal: 'latency', side: 'server', bad: 1 });
    assert.deepEqual(classifyGolden('http_server_requests_seconds.count', { status: '500' }), { signal: 'errors', side: 'server', bad: 1 });
    assert.equal(classifyGolden('process_start_time_seconds').signal, 'ignore');
  });

  it('regression: a duration histogram\'s count is the request rate, or the failure rate for failed requests (was: read as a latency, higher bad)', () => {
    assert.deepEqual(classifyGolden('http.server.request.duration.count'), { signal: 'traffic', side: 'server', bad: 0 });
    assert.deepEqual(classifyGolden('http.client.request.duration.count', { 'server.address': 'payments' }), { signal: 'traffic', side: 'client', bad: 0 });
    assert.deepEqual(classifyGolden('http_server_request_duration_seconds_count'), { signal: 'traffic', side: 'server', bad: 0 });
    assert.deepEqual(classifyGolden('http.server.request.duration.count', { 'http.response.status_code': '503' }), { signal: 'errors', side: 'server', bad: 1 });
    assert.deepEqual(classifyGolden('rpc.server.duration.count', { 'rpc.grpc.status_code': '14' }), { signal: 'errors', side: 'server', bad: 1 });
    assert.deepEqual(classifyGolden('http.server.request.duration.count', { 'error.type': 'timeout' }), { signal: 'errors', side: 'server', bad: 1 });
    assert.deepEqual(classifyGolden('http.server.request.duration.count', { 'http.response.status_code': '404' }), { signal: 'traffic', side: 'server', bad: 0 });
    assert.equal(classifyGolden('http.server.request.duration.mean').signal, 'latency');
    assert.equal(classifyGolden('process.open_file_descriptor.count').signal, 'saturation');
  });

  it("regression: the Collector's span metrics say their side by SPAN_KIND_CLIENT and count requests in calls (were: a client span's duration read as the service's own latency; calls ignored)", () => {
    const client = { 'span.kind': 'SPAN_KIND_CLIENT', 'span.name': 'GET' };
    assert.deepEqual(classifyGolden('traces.span.metrics.duration', client), { signal: 'latency', side: 'client', bad: 1 });
    assert.equal(classifyGolden('traces_span_metrics_duration_milliseconds', { span_kind: 'SPAN_KIND_CLIENT' }).side, 'client');
    assert.equal(classifyGolden('traces.span.metrics.duration', { 'span.kind': 'SPAN_KIND_PRODUCER' }).side, 'client');
    assert.equal(classifyGolden('traces.span.metrics.duration', { 'span.kind': 'SPAN_KIND_SERVER' }).side, 'server');
    assert.equal(classifyGolden('traces.span.metrics.duration', { 'span.kind': 'SPAN_KIND_CONSUMER' }).side, 'server');
    assert.deepEqual(classifyGolden('traces.span.metrics.calls', { 'span.kind': 'SPAN_KIND_SERVER', 'status.code': 'STATUS_CODE_UNSET' }), { signal: 'traffic', side: 'server', bad: 0 });
    assert.deepEqual(classifyGolden('traces.span.metrics.calls', { 'span.kind': 'SPAN_KIND_SERVER', 'status.code': 'STATUS_CODE_ERROR' }), { signal: 'errors', side: 'server', bad: 1 });
    assert.deepEqual(classifyGolden('traces_span_metrics_calls_total', { span_kind: 'SPAN_KIND_SERVER', status_code: 'STATUS_CODE_ERROR' }), { signal: 'errors', side: 'server', bad: 1 });
    assert.equal(classifyGolden('calls', client).signal, 'traffic');
  });

  it('container restarts are failures and messages handled are traffic (were: unexplained, ignored)', () => {
    assert.deepEqual(classifyGolden('k8s.container.restarts'), { signal: 'errors', side: 'server', bad: 1 });
    assert.deepEqual(classifyGolden('kube_pod_container_status_restarts_total'), { signal: 'errors', side: 'server', bad: 1 });
    assert.deepEqual(classifyGolden('messaging.client.consumed.messages', { 'messaging.destination.name': 'orders' }), { signal: 'traffic', side: 'client', bad: 0 });
    assert.equal(classifyGolden('kafka.consumer.records_lag').signal, 'saturation');
  });

  it("regression: a request counter's failed outcomes are errors, not traffic (http_requests_total{code=\"500\"} read as a request rate; grpc_server_handled_total ignored)", () => {
    assert.deepEqual(classifyGolden('http_requests_total', { code: '500' }), { signal: 'errors', side: 'server', bad: 1 });
    assert.deepEqual(classifyGolden('http_requests_total', { code: '200' }), { signal: 'traffic', side: 'server', bad: 0 });
    assert.deepEqual(classifyGolden('grpc_server_handled_total', { grpc_code: 'OK' }), { signal: 'traffic', side: 'server', bad: 0 });
    assert.deepEqual(classifyGolden('grpc_client_handled_total', { grpc_code: 'DeadlineExceeded' }), { signal: 'errors', side: 'client', bad: 1 });
    assert.deepEqual(classifyGolden('istio_requests_total', { response_code: '503' }), { signal: 'errors', side: 'server', bad: 1 });
    // A name that already says failed stays errors; requests in flight stay saturation.
    assert.equal(classifyGolden('failed_requests_total').signal, 'errors');
    assert.equal(classifyGolden('http.server.active_requests', { code: '500' }).signal, 'saturation');
    assert.equal(seriesClass('http_requests_total', { code: '500' }, []), 'other');
    assert.equal(seriesClass('http_requests_total', { code: '200' }, []), 'traffic');
    assert.equal(seriesClass('grpc_server_handled_total', { grpc_code: 'OK' }, []), 'traffic');
  });

  it("regression: a runtime's garbage collections and event-loop delay are saturation, not the service's latency; a limit is no saturation", () => {
    // The OTel Java agent records jvm.gc.duration as a histogram on every JVM: its mean was read as the service's own latency, its count as a request rate.
    for (const name of ['jvm.gc.duration', 'jvm.gc.duration.count', 'v8js.gc.duration', 'dotnet.gc.pause.time', 'nodejs.eventloop.delay.p99']) assert.deepEqual(classifyGolden(name), { signal: 'saturation', side: 'server', bad: 1 }, name);
    for (const name of ['jvm.memory.limit', 'hikaricp_connections_max']) assert.equal(classifyGolden(name).signal, 'ignore', name);
    assert.equal(classifyGolden('redis_connected_clients').signal, 'saturation');
  });

  it('disk use is saturation and packets a network dropped or resent are failures (were: unexplained, a disk or network fault unseen); network bytes stay unexplained', () => {
    for (const name of ['container_fs_writes_bytes_total', 'system.disk.io', 'container.filesystem.usage']) assert.deepEqual(classifyGolden(name), { signal: 'saturation', side: 'server', bad: 1 }, name);
    for (const name of ['container_network_transmit_packets_dropped_total', 'system.network.dropped', 'node_netstat_Tcp_RetransSegs']) assert.deepEqual(classifyGolden(name), { signal: 'errors', side: 'server', bad: 1 }, name);
    assert.equal(classifyGolden('container_network_receive_bytes_total').signal, 'ignore');
  });

  it('an unexplained name decides nothing', () => {
    assert.equal(classifyGolden('PodWorkload(Ops)').signal, 'ignore');
    assert.equal(classifyGolden('blorp').bad, 0);
  });

  it("a shop's rules come first: exact names and /regex/", () => {
    const rules = [
      { match: 'SuccessRate(%)', signal: 'success' as const },
      { match: '/^Node/', signal: 'ignore' as const },
      { match: 'queue_wait_ms', signal: 'latency' as const, side: 'client' as const },
    ];
    assert.deepEqual(classifyGolden('SuccessRate(%)', {}, rules), { signal: 'success', side: 'server', bad: -1 });
    assert.equal(classifyGolden('NodeCpuUsageRate(%)', {}, rules).signal, 'ignore');
    assert.deepEqual(classifyGolden('queue_wait_ms', {}, rules), { signal: 'latency', side: 'client', bad: 1 });
  });

  it('config/metrics.yaml: a bad rule is reported with its line and field, the others kept', () => {
    const text = 'metrics:\n  - match: PodWorkload(Ops)\n    signal: traffic\n  - match: x\n    signal: speed\n  - match: "/([/"\n    signal: latency\n';
    const { rules, errors } = decodeMetricRules(text, { file: 'metrics.yaml' });
    assert.deepEqual(rules, [{ match: 'PodWorkload(Ops)', signal: 'traffic' }]);
    assert.equal(errors.length, 2);
    assert.deepEqual([errors[0]?.origin.line, errors[0]?.origin.field], [5, 'metrics[1].signal']);
    assert.deepEqual([errors[1]?.origin.line, errors[1]?.origin.field], [6, 'metrics[2].match']);
    assert.match(errors[1]?.message ?? '', /regular expression/);
  });
});
