import { execFile } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROKERS, ROOT } from './services';

/** scripts/collector/collector.sh <args>; rejects with its output on failure. */
export function collectorSh(args: readonly string[], timeoutMs = 3_600_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [join(ROOT, 'scripts', 'collector', 'collector.sh'), ...args], { cwd: ROOT, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`collector.sh ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

/** A free TCP port on the loopback (closed again before use: a small race the tests accept). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a !== null ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface CollectorSpec {
  readonly otlpPort: number;
  readonly topic: string;
  /** Omitted: the exporter's default (otlp_proto). */
  readonly encoding?: 'otlp_proto' | 'otlp_json';
  /** Executable names (process comm) the host_metrics process scraper reports. */
  readonly processNames: readonly string[];
}

/** The Collector's YAML: otlp (HTTP) and host_metrics (process scraper) → batch → kafka. */
export function collectorConfig(s: CollectorSpec): string {
  return `receivers:
${otlpHttp(s.otlpPort)}
  host_metrics:
    collection_interval: 1s
    scrapers:
      process:
        include:
          names: [${s.processNames.map((n) => JSON.stringify(n)).join(', ')}]
          match_type: strict
        mute_process_all_errors: true
        metrics:
          process.open_file_descriptors: { enabled: true }
          process.threads: { enabled: true }
${toKafka(s)}
    metrics:
      receivers: [otlp, host_metrics]
      processors: [batch]
      exporters: [kafka]
`;
}

/**
 * The Collector's YAML for span metrics: spans in over OTLP/HTTP, the span metrics connector
 * (flushing every second, `peer.service` kept as a dimension, as a shop adds it to see its
 * calls per dependency) → batch → kafka.
 */
export function spanMetricsConfig(s: Pick<CollectorSpec, 'otlpPort' | 'topic'>): string {
  return `receivers:
${otlpHttp(s.otlpPort)}
connectors:
  span_metrics:
    metrics_flush_interval: 1s
    dimensions:
      - name: peer.service
${toKafka(s)}
    traces:
      receivers: [otlp]
      exporters: [span_metrics]
    metrics:
      receivers: [span_metrics]
      processors: [batch]
      exporters: [kafka]
`;
}

const otlpHttp = (port: number): string => `  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${port}`;

/** The batch processor, the kafka exporter and the service section up to its pipelines. */
function toKafka(s: Pick<CollectorSpec, 'topic' | 'encoding'>): string {
  const encoding = s.encoding === undefined ? '' : `\n      encoding: ${s.encoding}`;
  return `processors:
  batch:
    timeout: 200ms
exporters:
  kafka:
    brokers: [${BROKERS.join(', ')}]
    metrics:
      topic: ${s.topic}${encoding}
    partition_metrics_by_resource_attributes: true
service:
  telemetry:
    metrics:
      level: none
  pipelines:`;
}

/** Writes `yaml` to a temp folder and starts collector `name` with it. */
export async function startCollector(name: string, yaml: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'epicenter-collector-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  await collectorSh(['start', name, file], 120_000);
}

/**
 * node under another name: a symlink's name becomes the process's comm, which is what the
 * process scraper's `include.names` matches (every test process is otherwise just "node").
 */
export function nodeNamed(name: string): string {
  const link = join(mkdtempSync(join(tmpdir(), 'epicenter-node-')), name);
  symlinkSync(process.execPath, link);
  return link;
}
