/**
 * What the drill's processes share: an OpenTelemetry SDK meter exporting over OTLP/HTTP to the
 * Collector at a fixed interval (like any instrumented service), their own open-fd count read from
 * /proc/self/fd, and one-line JSON logs on stdout that the drill reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Meter } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

/** The semantic-convention name epicenter (and the topology's limits) know fds by. */
export const FD_METRIC = 'process.open_file_descriptor.count';

export interface Telemetry {
  readonly meter: Meter;
  shutdown(): Promise<void>;
}

/** A MeterProvider for `service` exporting every `intervalMs` to `url` (OTLP/HTTP, cumulative). */
export function startTelemetry(service: string, url: string, intervalMs: number): Telemetry {
  const exporter = new OTLPMetricExporter({ url });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: intervalMs, exportTimeoutMillis: Math.max(1000, intervalMs - 200) });
  const resource = resourceFromAttributes({ 'service.name': service, 'service.instance.id': `${service}-${process.pid}` });
  const provider = new MeterProvider({ resource, readers: [reader] });
  return { meter: provider.getMeter('epicenter-drill'), shutdown: () => provider.shutdown() };
}

/** The soft RLIMIT_NOFILE of this process (what `ulimit -n` set), from /proc/self/limits. */
export function fdLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const soft = Number(line?.split(/\s{2,}/)[1]);
  return Number.isFinite(soft) ? soft : Infinity;
}

/**
 * Open fds of this process. Listing /proc/self/fd needs one fd itself (it shows in the listing and
 * is not counted); when none is left the listing fails with EMFILE, which by definition means
 * every fd up to the limit is in use, so the count is the limit.
 */
export function openFds(limit: number, onEmfile: () => void): number {
  try {
    return readdirSync('/proc/self/fd').length - 1;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EMFILE') throw e;
    onEmfile();
    return limit;
  }
}

/** One JSON log line on stdout: `{t, msg, ...fields}`. */
export function log(msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ t: Date.now(), msg, ...fields })}\n`);
}

/** Env variable `name`, or fail at start naming it. */
export function env(name: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`drill: environment variable ${name} is required`);
  return v;
}
