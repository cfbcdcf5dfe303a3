import { Enum, Reader, Type, types, type Field, type Message } from 'protobufjs/light';

/**
 * protobufjs decodes like protoc: a known field that arrives with a different wire type than its
 * declaration is kept as an unknown field (`$unknowns`) and the field itself stays unset, so a
 * mangled gauge would simply vanish. This walk finds such fields and names them with the path
 * OTLP/JSON errors use (`resourceMetrics[0].scopeMetrics[0].metrics[3].gauge`). Unknown field
 * numbers stay allowed: newer opentelemetry-proto releases add fields.
 */

interface Shape {
  readonly byId: ReadonlyMap<number, Field>;
  /** Message-typed fields, to descend into. */
  readonly children: readonly { name: string; type: Type; repeated: boolean }[];
}

const shapes = new WeakMap<Type, Shape>();

function shapeOf(t: Type): Shape {
  let s = shapes.get(t);
  if (s !== undefined) return s;
  const byId = new Map<number, Field>();
  const children: { name: string; type: Type; repeated: boolean }[] = [];
  for (const f of t.fieldsArray) {
    f.resolve();
    byId.set(f.id, f);
    if (f.resolvedType instanceof Type) children.push({ name: f.name, type: f.resolvedType, repeated: f.repeated });
  }
  s = { byId, children };
  shapes.set(t, s);
  return s;
}

const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'group start', 'group end', 'fixed32', 'invalid', 'invalid'];

function expectedWire(f: Field): string {
  if (f.resolvedType instanceof Type) return WIRE_NAMES[2] as string;
  const basic = (types.basic as Record<string, number | undefined>)[f.resolvedType instanceof Enum ? 'int32' : f.type];
  const wire = WIRE_NAMES[basic ?? 2] as string;
  return f.repeated && basic !== undefined && basic !== 2 ? `${wire} or length-delimited (packed)` : wire;
}

export interface MisTyped {
  readonly field: string;
  readonly problem: string;
}

/** The first known field sent with a wrong wire type in `m` (of type `t`) or below, if any. */
export function misTypedField(m: Message, t: Type): MisTyped | undefined {
  const shape = shapeOf(t);
  const unknowns = (m as { $unknowns?: Uint8Array[] }).$unknowns;
  if (unknowns !== undefined) {
    for (const raw of unknowns) {
      const tag = Reader.create(raw).uint32();
      const f = shape.byId.get(tag >>> 3);
      if (f !== undefined) {
        return { field: f.name, problem: `wire type ${tag & 7} (${WIRE_NAMES[tag & 7]}) for a field declared ${f.type}, which needs ${expectedWire(f)}` };
      }
    }
  }
  const fields = m as unknown as Record<string, unknown>;
  for (const c of shape.children) {
    const v = fields[c.name];
    if (v === undefined || v === null) continue;
    if (!c.repeated) {
      const below = misTypedField(v as Message, c.type);
      if (below !== undefined) return { field: join(c.name, below.field), problem: below.problem };
      continue;
    }
    const list = v as Message[];
    for (let i = 0; i < list.length; i++) {
      const below = misTypedField(list[i] as Message, c.type);
      if (below !== undefined) return { field: join(`${c.name}[${i}]`, below.field), problem: below.problem };
    }
  }
  return undefined;
}

function join(head: string, tail: string): string {
  return tail === '' ? head : tail.startsWith('[') ? head + tail : `${head}.${tail}`;
}
