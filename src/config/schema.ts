import { z } from 'zod';
import { changeSourcesSchema } from '../changes/config';

/**
 * The whole configuration, validated once where it enters (see ./load.ts) and then frozen.
 * Every option documents its unit and default.
 */
export const configSchema = z
  .object({
    kafka: z
      .object({
        /** Bootstrap brokers. @default ['127.0.0.1:9092'] */
        brokers: z.array(z.string().min(1)).min(1).default(['127.0.0.1:9092']),
        clientId: z.string().min(1).default('epicenter'),
        /** Consumer group shared by every instance for the metric topics. */
        groupId: z.string().min(1).default('epicenter-metrics'),
        topics: z
          .object({
            /** OTLP/JSON from the Collector's Kafka exporter. */
            metrics: z.string().min(1).default('otlp_metrics'),
            /** collectd write_kafka JSON. */
            collectd: z.string().min(1).default('collectd'),
            /** CloudEvents change events; every instance reads it in full. */
            changes: z.string().min(1).default('changes'),
            deadLetter: z.string().min(1).default('epicenter.dlq'),
          })
          .prefault({}),
        /** ms. @default 30000 */
        sessionTimeoutMs: z.number().int().min(6000).default(30000),
        /** ms; must be below a third of sessionTimeoutMs. @default 3000 */
        heartbeatIntervalMs: z.number().int().min(100).default(3000),
        /** Largest message accepted for decoding, bytes. @default 1048576 */
        maxMessageBytes: z.number().int().min(1024).default(1_048_576),
      })
      .prefault({}),
    clickhouse: z
      .object({
        url: z.string().url().default('http://127.0.0.1:8123'),
        database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier').default('epicenter'),
        username: z.string().default('default'),
        password: z.string().default(''),
        /** Flush a batch at this many rows. @default 50000 */
        batchRows: z.number().int().min(1).default(50_000),
        /** Flush a batch at least this often, ms. @default 1000 */
        batchMs: z.number().int().min(10).default(1000),
        /** Rows buffered before consumption pauses (backpressure). @default 500000 */
        maxBufferedRows: z.number().int().min(1).default(500_000),
        /** Days raw points are kept (TTL where the server supports it). @default 14 */
        retentionDays: z.number().int().min(1).default(14),
      })
      .prefault({}),
    http: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Bearer token required on every /v1 route when set. */
        token: z.string().min(16, 'must be at least 16 characters').optional(),
        /** Request body limit, bytes. @default 1048576 */
        bodyLimit: z.number().int().min(1024).default(1_048_576),
        /** Base URL people reach epicenter at, used in links (Slack → timeline). */
        publicUrl: z.string().url().default('http://127.0.0.1:8080'),
      })
      .prefault({}),
    slack: z
      .object({
        /** Incoming webhook URL; alert enrichment posts nothing when unset. */
        webhookUrl: z.string().url().optional(),
        /** Signing secret for slash commands; slash commands are refused when unset. */
        signingSecret: z.string().min(8).optional(),
        /** Alert labels tried in order to find the service. */
        serviceLabels: z.array(z.string().min(1)).min(1).default(['service', 'service_name', 'job', 'app']),
        /** Max retries of 429/5xx. @default 5 */
        maxRetries: z.number().int().min(0).max(20).default(5),
      })
      .prefault({}),
    analysis: z
      .object({
        /** Look-back window before `at`, ms. @default 6h */
        windowMs: z.number().int().min(60_000).default(6 * 3600_000),
        /** Look-ahead after `at` when data exists (postmortems), ms. @default 1h */
        afterMs: z.number().int().min(0).default(3600_000),
      })
      .prefault({}),
    pipeline: z
      .object({
        /** Live series with streaming-detector state per instance; the least recently seen is forgotten beyond it. @default 500000 */
        maxSeries: z.number().int().min(1).default(500_000),
        /** Forget a series' detector state after this long without samples, ms. @default 3 h */
        seriesIdleMs: z.number().int().min(60_000).default(3 * 3600_000),
        /** How often each instance logs (and stores in pipeline_stats) its counters, ms. @default 10000 */
        statsIntervalMs: z.number().int().min(1000).default(10_000),
      })
      .prefault({}),
    /** Webhook senders of change events (POST /v1/changes/<kind>/<name>); see docs/changes.md. */
    changeSources: changeSourcesSchema.prefault({}),
    /** Topology YAML file. */
    topologyFile: z.string().min(1).default('config/topology.yaml'),
    telemetry: z
      .object({
        /** OTLP/HTTP endpoint for epicenter's own traces and metrics; the SDK is not loaded when unset. */
        otlpEndpoint: z.string().url().optional(),
        serviceName: z.string().default('epicenter'),
      })
      .prefault({}),
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.kafka.heartbeatIntervalMs * 3 > c.kafka.sessionTimeoutMs) {
      ctx.addIssue({ code: 'custom', path: ['kafka', 'heartbeatIntervalMs'], message: 'must be at most a third of kafka.sessionTimeoutMs' });
    }
  });

export type Config = z.infer<typeof configSchema>;
