import type { FastifyBaseLogger } from 'fastify';
import type { SourceCounters } from '../changes/counters';
import type { Config } from '../config/schema';
import type { Topology } from '../domain/types';
import type { ChangeSink, Clock, Store, StoredAnalysis } from '../ports';
import type { SlackClient } from '../slack/webhook';
import type { VerdictStore } from '../whatif/store';

/** One analysis request, as `analyzeFromStore` in src/app/analyze.ts takes it. Times and spans in ms. */
export interface AnalyzeRequest {
  readonly service: string;
  /** epoch ms */
  readonly at: number;
  /** Look-back before `at`, ms. */
  readonly windowMs: number;
  /** Look-ahead after `at`, ms. */
  readonly afterMs: number;
}

/** What the HTTP server needs; the composition root (`epicenter run`, `npm start`) builds it. */
export interface HttpDeps {
  readonly config: Readonly<Config>;
  readonly store: Store;
  /** Where POST /v1/changes publishes (the change topic, or the embedded store). */
  readonly changes: ChangeSink;
  /** The current service graph (re-read on every request: it may be reloaded). */
  readonly topology: () => Topology;
  readonly analyze: (req: AnalyzeRequest) => Promise<StoredAnalysis>;
  /** Postmortem timeline renderer (src/timeline); GET /v1/timeline answers 404 without it. */
  readonly timeline?: (q: { service: string; at: number }) => Promise<{ markdown: string; html: string }>;
  /** A pino logger; by default fastify creates one at config.log.level. */
  readonly logger?: FastifyBaseLogger;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Slack poster; by default an incoming-webhook client when slack.webhookUrl is set, else none (alerts are analysed, nothing posted). */
  readonly slack?: SlackClient;
  /** Accepted/refused webhook counts, shared with the pipeline stats; the route keeps its own when absent. */
  readonly sourceCounters?: SourceCounters;
  /** Where POST /v1/whatif keeps its verdicts (the ClickHouse store); none kept without it. */
  readonly verdicts?: VerdictStore;
  /** Extra readiness check for GET /readyz (e.g. Kafka consumer joined); the store is always pinged. */
  readonly readiness?: () => Promise<void>;
}
