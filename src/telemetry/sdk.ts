/**
 * The OpenTelemetry SDK for epicenter's own traces and metrics. Loaded ONLY by the entry point
 * (`epicenter run`) before the app starts, and only when telemetry.otlpEndpoint is configured:
 * library code uses @opentelemetry/api alone and stays a no-op otherwise. The SDK packages are
 * required lazily so that a run without telemetry never loads them.
 */
export interface TelemetrySdkConfig {
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:4318 (traces go to /v1/traces, metrics to /v1/metrics). */
  readonly otlpEndpoint?: string;
  /** service.name of epicenter itself. @default 'epicenter' */
  readonly serviceName: string;
  /** service.instance.id, so several `run` instances are told apart. */
  readonly instanceId?: string;
  /** Metric export interval, ms. @default OTEL_METRIC_EXPORT_INTERVAL, else 15000 */
  readonly exportIntervalMs?: number;
}

export interface TelemetrySdk {
  /** Flush and stop the exporters (last step of shutdown). */
  shutdown(): Promise<void>;
}

const NOOP: TelemetrySdk = { shutdown: () => Promise.resolve() };

export async function startTelemetrySdk(cfg: TelemetrySdkConfig): Promise<TelemetrySdk> {
  if (cfg.otlpEndpoint === undefined) return NOOP;
  const base = cfg.otlpEndpoint.replace(/\/+$/, '');
  const [{ NodeSDK }, { OTLPTraceExporter }, { OTLPMetricExporter }, { PeriodicExportingMetricReader }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/exporter-metrics-otlp-http'),
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/resources'),
  ]);
  const attributes: Record<string, string> = { 'service.name': cfg.serviceName };
  if (cfg.instanceId !== undefined) attributes['service.instance.id'] = cfg.instanceId;
  const sdk = new NodeSDK({
    resource: resourceFromAttributes(attributes),
    traceExporter: new OTLPTraceExporter({ url: `${base}/v1/traces` }),
    metricReaders: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }),
        exportIntervalMillis: cfg.exportIntervalMs ?? envInterval() ?? 15_000,
      }),
    ],
    instrumentations: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

/** The standard OTEL_METRIC_EXPORT_INTERVAL (ms), when set to a positive number. */
function envInterval(): number | undefined {
  const v = Number(process.env['OTEL_METRIC_EXPORT_INTERVAL']);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}
