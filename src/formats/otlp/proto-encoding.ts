import type { Sample } from '../../domain/types';
import type { Decoded } from '../../errors';
import { bad, type Origin } from '../origin';
import type { RateState } from '../rate';
import { decodeOtlpMetrics } from './decode';
import { decodeOtlpProto } from './proto';

/**
 * Which OTLP encoding one Kafka message is in, decided per message in this order:
 *  1. its `content-type` header, when present: `application/x-protobuf` (or `application/protobuf`,
 *     `application/vnd.google.protobuf`) → protobuf, `application/json` (or any `+json`) → JSON,
 *     anything else is refused;
 *  2. else the topic's setting (`kafka.metricsEncoding`), when it is not `auto`;
 *  3. else the first bytes: `{`, space, tab, CR or a UTF-8 BOM → JSON; 0x0A → protobuf (field 1,
 *     wire type 2: `resource_metrics`, the only field of ExportMetricsServiceRequest), unless the
 *     0x0A is a line feed before a JSON object (whitespace, `{`, optional whitespace, then `"` or
 *     `}` — bytes a request's known fields cannot start with).
 */
export type OtlpEncoding = 'otlp_proto' | 'otlp_json';
export type OtlpEncodingSetting = 'auto' | OtlpEncoding;

export type EncodingChoice = { encoding: OtlpEncoding } | { problem: string; field?: string };

const PROTO_TYPES = new Set(['application/x-protobuf', 'application/protobuf', 'application/vnd.google.protobuf']);

export function otlpEncodingOf(bytes: Uint8Array, contentType: string | undefined, setting: OtlpEncodingSetting): EncodingChoice {
  if (contentType !== undefined) {
    const media = (contentType.split(';')[0] ?? '').trim().toLowerCase();
    if (PROTO_TYPES.has(media)) return { encoding: 'otlp_proto' };
    if (media === 'application/json' || media.endsWith('+json')) return { encoding: 'otlp_json' };
    return { problem: `content-type ${JSON.stringify(contentType)} is neither OTLP protobuf (application/x-protobuf) nor OTLP/JSON (application/json)`, field: 'headers.content-type' };
  }
  if (setting !== 'auto') return { encoding: setting };
  return sniff(bytes);
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }
const QUOTE = 0x22; // "

function isJsonSpace(b: number | undefined): boolean {
  return b === SPACE || b === TAB || b === LF || b === CR;
}

function sniff(bytes: Uint8Array): EncodingChoice {
  const first = bytes[0];
  if (first === OPEN || first === SPACE || first === TAB || first === CR || first === 0xef) return { encoding: 'otlp_json' };
  if (first === LF) return { encoding: lineFeedBeforeObject(bytes) ? 'otlp_json' : 'otlp_proto' };
  const shown = first === undefined ? 'nothing' : `0x${first.toString(16).padStart(2, '0')}`;
  return { problem: `neither OTLP/JSON (starts with "{") nor OTLP protobuf (starts with 0x0a): first byte is ${shown}` };
}

function lineFeedBeforeObject(bytes: Uint8Array): boolean {
  let i = 0;
  while (isJsonSpace(bytes[i])) i++;
  if (bytes[i] !== OPEN) return false;
  i++;
  while (isJsonSpace(bytes[i])) i++;
  return bytes[i] === QUOTE || bytes[i] === CLOSE;
}

/** The `content-type` header, whatever its case (Kafka header names are case-sensitive). */
export function contentTypeOf(headers: Readonly<Record<string, string>> | undefined): string | undefined {
  if (headers === undefined) return undefined;
  for (const k in headers) if (k.length === 12 && k.toLowerCase() === 'content-type') return headers[k];
  return undefined;
}

/** Decodes one OTLP metrics message (a Kafka record value) in whichever encoding it is in. */
export function decodeOtlpMessage(
  bytes: Buffer, origin: Origin, rates: RateState, headers: Readonly<Record<string, string>> | undefined, setting: OtlpEncodingSetting,
): Decoded<Sample> {
  const choice = otlpEncodingOf(bytes, contentTypeOf(headers), setting);
  if ('problem' in choice) return { values: [], errors: [bad(origin, origin.line, choice.field, choice.problem)] };
  return choice.encoding === 'otlp_proto' ? decodeOtlpProto(bytes, origin, rates) : decodeOtlpMetrics(bytes.toString('utf8'), origin, rates);
}
