import { Reader, Root, type Message, type Type } from 'protobufjs/light';
import type { Sample } from '../../domain/types';
import type { Decoded } from '../../errors';
import { bad, type Origin } from '../origin';
import { createRateState, type RateState } from '../rate';
import { decodeOtlpRequest } from './decode';
import { misTypedField } from './proto-check';
import { plainRequest } from './proto-plain';
import { buildSpec } from './proto-spec';
import { wireRequest } from './proto-wire';
import descriptor from './proto-descriptor.json';

/**
 * OTLP protobuf (the Collector's Kafka exporter `otlp_proto`, its default): bytes of one
 * ExportMetricsServiceRequest, decoded by protobufjs from the official opentelemetry-proto
 * definitions (vendor/opentelemetry-proto, compiled into ./proto-descriptor.json by
 * scripts/otlp-descriptor.mjs), then turned into the plain structure OTLP/JSON parses to
 * (camelCase, 64-bit integers as decimal strings, enums as numbers, bytes as base64) so that
 * one validation path serves both encodings and errors name the same fields. Well-formed requests
 * take a faster route to the same plain structure (./proto-wire.ts, tested against this one).
 */

const root = Root.fromJSON(descriptor);
export const REQUEST_TYPE: Type = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
const REQUEST_SPEC = buildSpec(REQUEST_TYPE);

/** Decodes one protobuf ExportMetricsServiceRequest; malformed bytes give one BAD_INPUT naming the byte or field. */
export function decodeOtlpProto(bytes: Uint8Array, origin: Origin, rates: RateState = createRateState()): Decoded<Sample> {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The wire decoder takes the common case in one pass; anything outside its clean subset
  // (malformed or unusual) goes to protobufjs, whose verdict and error text then stand.
  const doc = wireRequest(buf, REQUEST_SPEC);
  if (doc !== undefined) return decodeOtlpRequest(doc, origin, rates);
  const parsed = parseOtlpProto(buf);
  if ('problem' in parsed) return { values: [], errors: [bad(origin, origin.line, parsed.field, parsed.problem)] };
  return decodeOtlpRequest(parsed.doc, origin, rates);
}

export type ParsedProto = { doc: Record<string, unknown> } | { problem: string; field?: string };

/**
 * Bytes → plain request object, or the reason they are not a well-formed request: truncated or
 * overlong length prefixes, invalid wire types, nesting deeper than protobufjs's recursion limit
 * (100), invalid UTF-8 in strings, or a known field sent with the wrong wire type (which
 * protobufjs, like protoc, would otherwise keep as an unknown field and silently drop).
 */
export function parseOtlpProto(bytes: Uint8Array): ParsedProto {
  const reader = Reader.create(bytes);
  // Keep unknown fields: misTypedField looks there for known fields sent with a wrong wire type.
  reader.discardUnknown = false;
  let msg: Message;
  try {
    msg = REQUEST_TYPE.decode(reader);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const hint = why.startsWith('index out of range') ? ' (a length or value runs past the end of its message: truncated or corrupt)' : '';
    return { problem: `malformed OTLP protobuf near byte ${reader.pos} of ${bytes.length}: ${why}${hint}` };
  }
  const wrong = misTypedField(msg, REQUEST_TYPE);
  if (wrong !== undefined) return { problem: wrong.problem, field: wrong.field };
  return { doc: plainRequest(msg) };
}
