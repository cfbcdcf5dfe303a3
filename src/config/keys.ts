import { z } from 'zod';
import { configSchema } from './schema';

/**
 * Every leaf key of the configuration, read off the zod schema (through its JSON Schema), so
 * the environment variables, their coercion and docs/configuration.md can never drift from
 * what is validated.
 */
export interface ConfigKey {
  /** e.g. ['kafka', 'topics', 'deadLetter'] */
  readonly path: readonly string[];
  /** Dotted path, e.g. `kafka.topics.deadLetter`. */
  readonly name: string;
  /** e.g. `EPICENTER_KAFKA_TOPICS_DEAD_LETTER` */
  readonly env: string;
  /** How a value is written: `integer`, `string`, `URL`, `list of string`, `one of a, b`. */
  readonly type: string;
  /** How an environment value is read: lists are comma-separated, numbers parsed. */
  readonly kind: 'number' | 'list' | 'text';
  readonly default: unknown;
  readonly description: string;
  /** Extra constraints in words (minimum, maximum, pattern…). */
  readonly constraints: readonly string[];
}

interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly description?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly minItems?: number;
  readonly pattern?: string;
}

/** `deadLetter` → `DEAD_LETTER` */
function screaming(segment: string): string {
  return segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function envName(path: readonly string[]): string {
  return ['EPICENTER', ...path.map(screaming)].join('_');
}

function typeOf(s: JsonSchema): string {
  if (s.enum !== undefined) return `one of ${s.enum.map(String).join(', ')}`;
  if (s.type === 'array') return `list of ${s.items === undefined ? 'any' : typeOf(s.items)}`;
  if (s.format === 'uri') return 'URL (http or https)';
  return s.type ?? 'any';
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function constraintsOf(s: JsonSchema): string[] {
  const out: string[] = [];
  if (s.minimum !== undefined && s.minimum > 0) out.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined && s.maximum < MAX_SAFE) out.push(`≤ ${s.maximum}`);
  if (s.minLength !== undefined && s.minLength > 1) out.push(`at least ${s.minLength} characters`);
  if (s.minLength === 1) out.push('not empty');
  if (s.minItems !== undefined) out.push(`at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
  if (s.pattern !== undefined) out.push(`matches \`${s.pattern}\``);
  return out;
}

function collect(s: JsonSchema, path: string[], out: ConfigKey[]): void {
  if (s.type === 'object' && s.properties !== undefined) {
    for (const [k, child] of Object.entries(s.properties)) collect(child, [...path, k], out);
    return;
  }
  out.push({
    path,
    name: path.join('.'),
    env: envName(path),
    type: typeOf(s),
    kind: s.type === 'array' ? 'list' : s.type === 'integer' || s.type === 'number' ? 'number' : 'text',
    default: s.default,
    description: s.description ?? '',
    constraints: constraintsOf(s),
  });
}

let cache: readonly ConfigKey[] | undefined;

/** The leaf keys in schema order. */
export function configKeys(): readonly ConfigKey[] {
  if (cache === undefined) {
    const out: ConfigKey[] = [];
    collect(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, [], out);
    cache = Object.freeze(out);
  }
  return cache;
}
