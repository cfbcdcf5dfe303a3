import { Enum, Type, type Field } from 'protobufjs/light';

/**
 * Field tables for the wire decoder (./proto-wire.ts), built once by reflection from the same
 * protobufjs types (the official opentelemetry-proto definitions), so field numbers, wire types,
 * presence and nesting come from the library, not from hand-copied constants. Only which fields
 * are copied to the plain request is chosen here: exactly those ./proto-plain.ts copies.
 */

export const enum Kind {
  Message,
  String,
  Bytes,
  Double,
  /** fixed64 / sfixed64 / double / float: skipped by size. */
  Fixed64,
  SFixed64,
  Fixed32,
  /** int64, uint64, sint64. */
  Varint64,
  /** int32, uint32, sint32, enums. */
  Varint32,
  Bool,
}

export interface FieldSpec {
  readonly name: string;
  readonly kind: Kind;
  /** Wire type the declaration needs (packed repeated scalars also accept 2). */
  readonly wire: number;
  readonly repeated: boolean;
  /** Repeated scalar that may arrive packed. */
  readonly packable: boolean;
  /** Set even when it holds the default (oneof members, proto3 `optional`); others drop defaults. */
  readonly presence: boolean;
  /** Copied to the plain request; other fields are only checked. */
  readonly keep: boolean;
  readonly child: TypeSpec | undefined;
  /** Bit of its oneof within the message when that oneof has kept members (protobufjs keeps only the last member set), else 0. */
  readonly oneof: number;
}

export interface TypeSpec {
  readonly name: string;
  /** By field number. */
  readonly fields: readonly (FieldSpec | undefined)[];
  /** Repeated fields the plain request always holds (an empty list when absent on the wire). */
  readonly eager: readonly string[];
}

/** Per message type: fields copied, and repeated ones always present. Everything else is checked and skipped. */
const POINT = ['attributes', 'startTimeUnixNano', 'timeUnixNano', 'asDouble', 'asInt', 'count', 'sum', 'flags', 'quantileValues'];
const DATA = { keep: ['dataPoints', 'aggregationTemporality', 'isMonotonic'], eager: ['dataPoints'] };
const PLAN: Record<string, { keep: readonly string[]; eager?: readonly string[] }> = {
  ExportMetricsServiceRequest: { keep: ['resourceMetrics'], eager: ['resourceMetrics'] },
  ResourceMetrics: { keep: ['resource', 'scopeMetrics'], eager: ['scopeMetrics'] },
  Resource: { keep: ['attributes'], eager: ['attributes'] },
  ScopeMetrics: { keep: ['metrics'], eager: ['metrics'] },
  Metric: { keep: ['name', 'unit', 'gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] },
  Gauge: DATA,
  Sum: DATA,
  Histogram: DATA,
  ExponentialHistogram: DATA,
  Summary: DATA,
  NumberDataPoint: { keep: POINT },
  HistogramDataPoint: { keep: POINT },
  ExponentialHistogramDataPoint: { keep: POINT },
  SummaryDataPoint: { keep: POINT },
  ValueAtQuantile: { keep: ['quantile', 'value'] },
  KeyValue: { keep: ['key', 'value'] },
  AnyValue: { keep: ['stringValue', 'intValue', 'doubleValue', 'boolValue', 'bytesValue', 'arrayValue', 'kvlistValue'] },
  ArrayValue: { keep: ['values'], eager: ['values'] },
  KeyValueList: { keep: ['values'], eager: ['values'] },
};

const SCALAR: Record<string, [Kind, number]> = {
  string: [Kind.String, 2],
  bytes: [Kind.Bytes, 2],
  double: [Kind.Double, 1],
  fixed64: [Kind.Fixed64, 1],
  sfixed64: [Kind.SFixed64, 1],
  float: [Kind.Fixed32, 5],
  fixed32: [Kind.Fixed32, 5],
  sfixed32: [Kind.Fixed32, 5],
  int64: [Kind.Varint64, 0],
  uint64: [Kind.Varint64, 0],
  sint64: [Kind.Varint64, 0],
  int32: [Kind.Varint32, 0],
  uint32: [Kind.Varint32, 0],
  sint32: [Kind.Varint32, 0],
  bool: [Kind.Bool, 0],
};

/** Kinds a kept field may have (the decoder converts only these). */
const KEPT_KINDS = new Set([Kind.Message, Kind.String, Kind.Bytes, Kind.Double, Kind.Fixed64, Kind.SFixed64, Kind.Varint64, Kind.Varint32, Kind.Bool]);

/** The field tables of `root` and every message type below it. Throws if a kept field has a kind the decoder cannot copy. */
export function buildSpec(root: Type): TypeSpec {
  const done = new Map<Type, TypeSpec>();
  const build = (t: Type): TypeSpec => {
    const known = done.get(t);
    if (known !== undefined) return known;
    const plan = PLAN[t.name];
    const fields: (FieldSpec | undefined)[] = [];
    const spec: TypeSpec = { name: t.name, fields, eager: plan?.eager ?? [] };
    done.set(t, spec);
    const groups = t.oneofsArray.filter((o) => o.oneof.some((n) => plan?.keep.includes(n) === true)).map((o) => o.name);
    for (const f of t.fieldsArray) fields[f.id] = field(f.resolve(), plan?.keep, groups, build);
    return spec;
  };
  return build(root);
}

function field(f: Field, keptNames: readonly string[] | undefined, groups: readonly string[], build: (t: Type) => TypeSpec): FieldSpec {
  const keep = keptNames?.includes(f.name) === true;
  const isMessage = f.resolvedType instanceof Type;
  const [kind, wire] = isMessage ? [Kind.Message, 2] : f.resolvedType instanceof Enum ? [Kind.Varint32, 0] : (SCALAR[f.type] ?? [undefined, -1]);
  if (kind === undefined) throw new Error(`proto-spec: field ${f.fullName} has unsupported type ${f.type}`);
  if (keep && (!KEPT_KINDS.has(kind) || (f.repeated && !isMessage))) throw new Error(`proto-spec: kept field ${f.fullName} has a kind the wire decoder does not copy`);
  const packable = f.repeated && !isMessage && kind !== Kind.String && kind !== Kind.Bytes;
  return {
    name: f.name,
    kind,
    wire,
    repeated: f.repeated,
    packable,
    presence: f.partOf !== null || (f as Field & { hasPresence?: boolean }).hasPresence === true,
    keep,
    child: isMessage ? build(f.resolvedType as Type) : undefined,
    oneof: f.partOf === null || !groups.includes(f.partOf.name) ? 0 : 1 << groups.indexOf(f.partOf.name),
  };
}
