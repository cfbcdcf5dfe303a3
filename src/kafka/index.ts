/** The Kafka adapter (the only place that imports kafkajs). Only src/app and tests should import it. */
export { createKafka, isRetriableKafkaError, busError, type KafkaLog, type KafkaClientConfig } from './client';
export { KafkaSource, type KafkaSourceConfig } from './source';
export { KafkaDeadLetterSink, DLQ_HEADERS, deadLetterKey, deadLetterHeaders } from './dead-letters';
export { KafkaChangeSink } from './changes';
export { LagMonitor } from './lag';
export { ensureTopic, metricTopics, type MetricTopics } from './topics';
