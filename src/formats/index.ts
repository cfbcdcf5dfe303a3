/**
 * Input formats: pure decoders from text (or parsed JSON) to domain values, each bad record
 * returned as an EpicenterError BAD_INPUT naming where it came from (file/line or
 * topic/partition/offset, and the field). No I/O: callers read files and messages.
 */
export type { Origin } from './origin';
export { createRateState, type RateState } from './rate';
export { decodeOtlpMetrics, decodeOtlpRequest } from './otlp/decode';
export { decodeOtlpProto } from './otlp/proto';
export { decodeOtlpMessage, otlpEncodingOf, type OtlpEncoding, type OtlpEncodingSetting } from './otlp/proto-encoding';
export { decodeCsvSeries, type CsvOptions } from './csv';
export { decodeCloudEvent, decodeCloudEvents, cloudEventFromKafkaHeaders } from './cloudevents';
export { decodeCollectd } from './collectd';
export { decodeTopology } from './topology';
export { decodeMetricsFile } from './sniff';
export { MIN_TIME_MS, FUTURE_SLACK_MS, MAX_ABS_VALUE } from './checks';
export { decodeMetricRules } from './metric-rules';
