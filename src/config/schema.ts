import { z } from 'zod';
import { changeSourcesSchema } from '../changes/config';

/**
 * The whole configuration, validated once where it enters (see ./load.ts) and then frozen.
 * Every object is strict, so a misspelt key at any depth is an error rather than a silent
 * default. Every option carries its description (with its unit) in `.describe()`:
 * docs/configuration.md is generated from this file (`npm run docs:config`).
 */

const id = () => z.string().min(1);
const int = (min: number) => z.number().int().min(min);
/** An http(s) URL: `new URL()` alone accepts "localhost:8123" as scheme "localhost:". */
const httpUrl = () => z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

const kafka = z
  .strictObject({
    brokers: z.array(z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'must be host:port')).min(1).default(['127.0.0.1:9092']).describe('Bootstrap brokers, host:port. In the environment: comma-separated.'),
    clientId: id().default('epicenter').describe('Kafka client id.'),
    groupId: id().default('epicenter-metrics').describe('Consumer group shared by every instance for the metric topics; the changes consumers\' groups derive from it.'),
    topics: z
      .strictObject({
        metrics: id().default('otlp_metrics').describe('OTLP metrics from the Collector\'s Kafka exporter.'),
        collectd: id().default('collectd').describe('collectd write_kafka JSON.'),
        changes: id().default('changes').describe('CloudEvents change events; every instance reads it in full; `POST /v1/changes` publishes here.'),
        deadLetter: id().default('epicenter.dlq').describe('Dead-letter topic: undecodable messages with the reason in headers (created with 1 partition when missing).'),
      })
      .prefault({}),
    sessionTimeoutMs: int(6000).default(30000).describe('Consumer group session timeout, ms.'),
    heartbeatIntervalMs: int(100).default(3000).describe('Consumer heartbeat interval, ms; at most a third of kafka.sessionTimeoutMs.'),
    metricsEncoding: z.enum(['auto', 'otlp_proto', 'otlp_json']).default('auto').describe('Encoding of metric messages without a content-type header: `auto` tells OTLP protobuf from OTLP/JSON by the first bytes of each message.'),
    maxMessageBytes: int(1024).default(1_048_576).describe('Largest message accepted for decoding, bytes; larger ones go to the dead-letter topic.'),
  })
  .prefault({});

const clickhouse = z
  .strictObject({
    url: httpUrl().default('http://127.0.0.1:8123').describe('ClickHouse HTTP interface.'),
    database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier').default('epicenter').describe('Database, created and migrated at start.'),
    username: z.string().default('default').describe('ClickHouse user.'),
    password: z.string().default('').describe('ClickHouse password.'),
    batchRows: int(1).default(200_000).describe('Flush a batch at this many rows (also the largest INSERT: fewer, bigger parts cost ClickHouse less per row).'),
    batchMs: int(10).default(1000).describe('Flush a batch at least this often, ms.'),
    maxBufferedRows: int(1).default(1_000_000).describe('Rows buffered before consumption pauses (backpressure).'),
    insertConcurrency: int(1).max(8).default(3).describe('INSERTs in flight at once; rows still count as stored (and offsets are committed) in order.'),
    retentionDays: int(1).default(14).describe('Days raw points are kept (TTL where the server supports it); also the oldest sample accepted.'),
    seriesEveryMs: int(1000).default(300_000).describe('A consumer writes a series\' `series` row when it first sees the series, then at most this often, ms (5 min): `series.last_seen` lags the newest sample by up to this much.'),
  })
  .prefault({});

const http = z
  .strictObject({
    host: z.string().default('127.0.0.1').describe('Address the HTTP API listens on.'),
    port: z.number().int().min(0).max(65535).default(8080).describe('Port of the HTTP API; 0 picks a free one.'),
    token: z.string().min(16, 'must be at least 16 characters').optional().describe('Bearer token required on every /v1 route when set.'),
    bodyLimit: int(1024).default(1_048_576).describe('Request body limit, bytes.'),
    publicUrl: httpUrl().default('http://127.0.0.1:8080').describe('Base URL people reach epicenter at, used in links (Slack → timeline).'),
  })
  .prefault({});

const slack = z
  .strictObject({
    webhookUrl: httpUrl().optional().describe('Incoming webhook URL; alert enrichment posts nothing when unset. A secret.'),
    signingSecret: z.string().min(8).optional().describe('Signing secret for slash commands; slash commands are refused when unset.'),
    serviceLabels: z.array(id()).min(1).default(['service', 'service_name', 'job', 'app']).describe('Alert labels tried in order to find the service. In the environment: comma-separated.'),
    maxRetries: z.number().int().min(0).max(20).default(5).describe('Retries of a Slack post answered 429 or 5xx.'),
  })
  .prefault({});

const analysis = z
  .strictObject({
    windowMs: int(60_000).default(6 * 3600_000).describe('Look-back window before the time analysed, ms (6 h).'),
    afterMs: int(0).default(3600_000).describe('Look-ahead after the time analysed when data exists (postmortems), ms (1 h).'),
    metricNamesFile: id()
      .optional()
      .describe("Golden-signal rules for a shop's own metric names (YAML like the bundled config/metrics.yaml), relative to the working directory; unset: the bundled file. Used by every analysis: CLI, HTTP API, Slack, timelines."),
  })
  .prefault({});

const pipeline = z
  .strictObject({
    maxSeries: int(1).default(500_000).describe('Live series with streaming-detector state per instance; the least recently seen is forgotten beyond it.'),
    seriesIdleMs: int(60_000).default(3 * 3600_000).describe('Forget a series\' detector state after this long without samples, ms (3 h).'),
    statsIntervalMs: int(1000).default(10_000).describe('How often each instance logs (and stores in pipeline_stats) its counters, ms.'),
  })
  .prefault({});

const telemetry = z
  .strictObject({
    otlpEndpoint: httpUrl().optional().describe('OTLP/HTTP endpoint for epicenter\'s own traces and metrics; the SDK is not loaded when unset.'),
    serviceName: z.string().default('epicenter').describe('service.name of epicenter\'s own telemetry.'),
  })
  .prefault({});

const log = z
  .strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level of the JSON logs on stdout; `debug` also turns on kafkajs\' info logs.'),
  })
  .prefault({});

export const configSchema = z
  .strictObject({
    kafka,
    clickhouse,
    http,
    slack,
    analysis,
    pipeline,
    changeSources: changeSourcesSchema.prefault({}).describe('Webhook senders of change events (POST /v1/changes/<kind>/<name>), by kind and a name of your choice; see docs/changes.md.'),
    topologyFile: id().default('config/topology.yaml').describe('Topology YAML (services, teams, dependencies, limits), relative to the working directory; epicenter runs without it, with a warning.'),
    telemetry,
    log,
  })
  .superRefine((c, ctx) => {
    if (c.kafka.heartbeatIntervalMs * 3 > c.kafka.sessionTimeoutMs) {
      ctx.addIssue({ code: 'custom', path: ['kafka', 'heartbeatIntervalMs'], message: 'must be at most a third of kafka.sessionTimeoutMs' });
    }
  });

export type Config = z.infer<typeof configSchema>;
