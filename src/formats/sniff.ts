import type { Sample } from '../domain/types';
import type { Decoded } from '../errors';
import { decodeCollectd } from './collectd';
import { decodeCsvSeries, type CsvOptions } from './csv';
import type { Origin } from './origin';
import { decodeOtlpMetrics } from './otlp/decode';
import type { RateState } from './rate';

/**
 * Decodes a metrics file, sniffing the format from its first non-blank character: `{` OTLP/JSON
 * (NDJSON or one document), `[` collectd JSON (one message array per line), anything else CSV
 * (named and owned as `csv` says).
 */
export function decodeMetricsFile(text: string, origin: Origin, rates?: RateState, csv?: CsvOptions): Decoded<Sample> {
  const m = /\S/.exec(text);
  const first = m?.[0];
  if (first === '{') return decodeOtlpMetrics(text, origin, rates);
  if (first === '[') return decodeCollectd(text, origin, rates);
  return decodeCsvSeries(text, origin, csv);
}
