/**
 * A real process that reports spans through the OpenTelemetry JS SDK and its OTLP/HTTP trace
 * exporter to a Collector, whose span metrics connector turns them into request, error and
 * duration metrics. Run as a script (see spanmetrics.test.ts):
 *
 *   OTLP_URL=http://127.0.0.1:4318/v1/traces SERVICE=svc PEER=payments ROUNDS=5 SERVED=10 FAILED=2
 *   SERVER_MS=50 CLIENT_MS=20 node --import tsx span-sender.ts
 *
 * Each round it serves SERVED requests (SERVER spans of SERVER_MS, FAILED of them failed) and
 * makes as many calls to PEER (CLIENT spans of CLIENT_MS naming `peer.service`), with start and
 * end times set, so the durations are exact; then exports the round's spans in one request (the
 * connector takes a request whole, so no flush splits a round) and waits a little over a second
 * for the connector's next flush. Prints what it sent as one JSON line at the end.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** What the sender reports having sent. */
export interface SentSpans {
  readonly rounds: number;
  readonly served: number;
  readonly failed: number;
  readonly calls: number;
}

async function main(): Promise<void> {
  const env = process.env;
  const rounds = Number(env['ROUNDS'] ?? 5);
  const num = (k: string): number => {
    const v = Number(env[k]);
    if (env[k] === undefined || !Number.isFinite(v)) throw new Error(`${k} must be a number, got ${env[k]}`);
    return v;
  };
  const [served, failed, serverMs, clientMs] = [num('SERVED'), num('FAILED'), num('SERVER_MS'), num('CLIENT_MS')];
  const exporter = new OTLPTraceExporter({ url: env['OTLP_URL'] });
  const resource = resourceFromAttributes({ 'service.name': env['SERVICE'] ?? 'span-sender', 'service.instance.id': String(process.pid) });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })] });
  const tracer = provider.getTracer('epicenter-spanmetrics-test');
  const sent = { rounds, served: 0, failed: 0, calls: 0 };
  for (let r = 0; r < rounds; r++) {
    const t0 = Date.now();
    for (let i = 0; i < served; i++) {
      const server = tracer.startSpan('GET /checkout', { kind: SpanKind.SERVER, startTime: t0, attributes: { 'http.request.method': 'GET', 'http.route': '/checkout' } });
      const call = tracer.startSpan('GET', { kind: SpanKind.CLIENT, startTime: t0 + 5, attributes: { 'peer.service': env['PEER'] ?? 'payments', 'http.request.method': 'GET' } });
      call.end(t0 + 5 + clientMs);
      sent.calls++;
      if (i < failed) {
        server.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined' });
        sent.failed++;
      }
      server.end(t0 + serverMs);
      sent.served++;
    }
    await provider.forceFlush();
    await new Promise((res) => setTimeout(res, 1300));
  }
  await provider.shutdown();
  process.stdout.write(`${JSON.stringify(sent satisfies SentSpans)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
