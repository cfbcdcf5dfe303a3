/**
 * Every instrument and attribute name epicenter emits about itself, in one place, so dashboards
 * and alerts have one list to read. Attribute values must be low-cardinality (a topic, a kind,
 * an error code): series ids and change ids go in spans and ClickHouse, never in metric attributes.
 */
export const METER_NAME = 'epicenter';
export const TRACER_NAME = 'epicenter';

export const INSTRUMENTS = {
  /** Counter, {point}: samples decoded and accepted. */
  pointsIn: 'epicenter.pipeline.points',
  /** Counter, {event}: change events decoded and accepted. */
  changesIn: 'epicenter.pipeline.changes',
  /** Counter, {breakpoint}: breakpoints confirmed by the streaming detectors. */
  breakpoints: 'epicenter.pipeline.breakpoints',
  /** Counter, {message}: messages sent to the dead-letter topic. */
  deadLetters: 'epicenter.pipeline.dead_letters',
  /** Histogram, ms: time to decode and detect one batch. */
  batchDuration: 'epicenter.pipeline.batch.duration',
  /** Histogram, ms: produce time of a message → its rows durably stored. */
  endToEnd: 'epicenter.pipeline.end_to_end.latency',
  /** Histogram, ms: one writer flush (store inserts + dead-letter publish + commit). */
  flushDuration: 'epicenter.pipeline.flush.duration',
  /** Observable gauge, {row}: rows buffered in the writer. */
  buffered: 'epicenter.pipeline.buffered_rows',
  /** Observable gauge, {series}: live series with detector state. */
  liveSeries: 'epicenter.pipeline.live_series',
  /** Observable gauge, {message}: consumer lag (log end offset − committed offset), summed per topic. */
  consumerLag: 'epicenter.kafka.consumer.lag',
  /** Observable gauge, {request}: change webhook deliveries since start, by source kind and outcome. */
  changeWebhooks: 'epicenter.changes.webhooks',
} as const;

export const ATTR = {
  /** The topic (semantic convention name). */
  topic: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  consumerGroup: 'messaging.consumer.group.name',
  /** MessageKind: otlp | collectd | metrics-file | changes. */
  kind: 'epicenter.message.kind',
  /** EpicenterError code of a dead letter or failure. */
  errorCode: 'error.type',
  messages: 'epicenter.batch.messages',
  points: 'epicenter.batch.points',
  deadLetters: 'epicenter.batch.dead_letters',
  breakpoints: 'epicenter.batch.breakpoints',
  rows: 'epicenter.flush.rows',
  /** Change webhook source kind: github | argocd | launchdarkly | pagerduty | generic | unknown. */
  changeSource: 'epicenter.change_source.kind',
  /** accepted | ignored | refused:<reason>. */
  outcome: 'epicenter.change_source.outcome',
  /** Span-only (high cardinality): the service analysed. */
  service: 'epicenter.service',
} as const;
