/**
 * A real process that reports metrics through the OpenTelemetry JS SDK and its OTLP/HTTP exporter
 * to a Collector, like any instrumented service. Run as a script (see collector.test.ts):
 *
 *   OTLP_URL=http://127.0.0.1:4318/v1/metrics SERVICE=svc TEMPORALITY=cumulative|delta ROUNDS=6
 *   HOLD_FDS=40 LINGER_MS=2500 node --import tsx otel-sender.ts
 *
 * Each round records known values, collects and exports once, then prints one JSON line per
 * exported data point, so the test knows exactly what was sent. It holds HOLD_FDS open file
 * descriptors and stays alive LINGER_MS after the last round, for the Collector's process scraper.
 */
import { openSync } from 'node:fs';
import { AggregationTemporalityPreference, OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** One exported data point, as the test reads it back. */
export interface SentPoint {
  metric: string;
  type: 'gauge' | 'sum' | 'histogram';
  monotonic: boolean;
  delta: boolean;
  attributes: Record<string, string>;
  /** Epoch ms, truncated from the nanosecond times the exporter sends. */
  startMs: number;
  timeMs: number;
  value: number;
  count?: number;
  sum?: number;
}

class OnDemand extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const ms = (hr: [number, number]): number => hr[0] * 1000 + Math.floor(hr[1] / 1e6);

function flatten(rm: ResourceMetrics): SentPoint[] {
  const out: SentPoint[] = [];
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      const delta = m.aggregationTemporality === AggregationTemporality.DELTA;
      for (const p of m.dataPoints) {
        const base = { metric: m.descriptor.name, delta, attributes: Object.fromEntries(Object.entries(p.attributes).map(([k, v]) => [k, String(v)])), startMs: ms(p.startTime), timeMs: ms(p.endTime) };
        if (m.dataPointType === DataPointType.HISTOGRAM) {
          const h = p.value as { count: number; sum?: number };
          out.push({ ...base, type: 'histogram', monotonic: true, value: h.count, count: h.count, sum: h.sum ?? 0 });
        } else {
          const monotonic = m.dataPointType === DataPointType.SUM && m.isMonotonic;
          out.push({ ...base, type: m.dataPointType === DataPointType.GAUGE ? 'gauge' : 'sum', monotonic, value: p.value as number });
        }
      }
    }
  }
  return out;
}

async function main(): Promise<void> {
  const env = process.env;
  const rounds = Number(env['ROUNDS'] ?? 6);
  const held = Array.from({ length: Number(env['HOLD_FDS'] ?? 0) }, () => openSync('/dev/null', 'r'));
  const exporter = new OTLPMetricExporter({
    url: env['OTLP_URL'],
    temporalityPreference: env['TEMPORALITY'] === 'delta' ? AggregationTemporalityPreference.DELTA : AggregationTemporalityPreference.CUMULATIVE,
  });
  const reader = new OnDemand({ aggregationTemporalitySelector: (k) => exporter.selectAggregationTemporality(k) });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': env['SERVICE'] ?? 'sender', 'service.instance.id': String(process.pid) }), readers: [reader] });
  const meter = provider.getMeter('epicenter-collector-test');
  let round = 0;
  meter.createObservableGauge('sender.queue_depth', { unit: '{item}' }).addCallback((o) => o.observe(10 * round + held.length, { queue: 'main' }));
  const requests = meter.createCounter('sender.requests', { unit: '{request}' });
  const inflight = meter.createUpDownCounter('sender.inflight', { unit: '{request}' });
  const latency = meter.createHistogram('sender.latency', { unit: 'ms' });
  for (round = 1; round <= rounds; round++) {
    requests.add(30 * round, { route: '/a' });
    inflight.add(round % 2 === 0 ? -1 : 3);
    for (const v of [2, 4, 6 * round]) latency.record(v);
    // Like a periodic reader: the first delta interval starts at the first recording, so it must last.
    await new Promise((r) => setTimeout(r, 400));
    const { resourceMetrics } = await reader.collect();
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(resourceMetrics, resolve));
    if (result.code !== 0) throw new Error(`export failed: ${result.error?.message ?? 'unknown error'}`);
    for (const p of flatten(resourceMetrics)) process.stdout.write(`${JSON.stringify(p)}\n`);
  }
  await new Promise((r) => setTimeout(r, Number(env['LINGER_MS'] ?? 0)));
  await provider.shutdown();
  await exporter.shutdown();
  process.stdout.write(`held ${held.length} fds\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
