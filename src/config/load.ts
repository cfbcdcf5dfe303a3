import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config } from './schema';
import { EpicenterError } from '../errors';

/**
 * Environment overrides: EPICENTER_<SECTION>_<KEY> in screaming snake case, e.g.
 * EPICENTER_KAFKA_BROKERS=a:9092,b:9092, EPICENTER_HTTP_PORT=9000, EPICENTER_SLACK_WEBHOOK_URL=…
 * Lists are comma-separated; numbers are parsed; the schema then validates the result.
 */
function envOverrides(env: NodeJS.ProcessEnv, base: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('EPICENTER_') || raw === undefined) continue;
    const path = name.slice('EPICENTER_'.length).toLowerCase().split('_');
    const section = path[0];
    if (section === undefined || path.length < 2) continue;
    if (!['kafka', 'clickhouse', 'http', 'slack', 'analysis', 'telemetry', 'log', 'pipeline'].includes(section)) continue;
    const sec = (out[section] ??= {}) as Record<string, unknown>;
    // Nested groups (EPICENTER_KAFKA_TOPICS_DEAD_LETTER → kafka.topics.deadLetter).
    const group = path.length > 2 ? NESTED[section]?.find((g) => g.toLowerCase() === path[1]) : undefined;
    if (group !== undefined) {
      const sub = (sec[group] = { ...(sec[group] as Record<string, unknown> | undefined) });
      const subKey = camel(path.slice(2));
      sub[subKey] = coerce(raw, subKey);
      continue;
    }
    const key = camel(path.slice(1));
    sec[key] = coerce(raw, key);
  }
  return out;
}

/** Sections with nested objects reachable from the environment. */
const NESTED: Readonly<Record<string, readonly string[]>> = { kafka: ['topics'] };

function camel(parts: readonly string[]): string {
  return parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join('');
}

function coerce(raw: string, key: string): unknown {
  if (key === 'brokers' || key === 'serviceLabels') return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (/^-?\d+(\.\d+)?$/.test(raw) && !/(password|token|secret|url)/i.test(key)) return Number(raw);
  return raw;
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Validate any object as a Config; errors name the key. */
export function parseConfig(raw: unknown, origin = 'config'): Readonly<Config> {
  const r = configSchema.safeParse(raw ?? {});
  if (!r.success) {
    const msgs = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new EpicenterError('BAD_CONFIG', `${origin}: ${msgs.join('; ')}`, { origin: { file: origin, field: r.error.issues[0]?.path.join('.') } });
  }
  return deepFreeze(r.data);
}

/** Load config from YAML files (later files override earlier ones, by section) plus the environment. */
export function loadConfig(files: readonly string[] = ['config/default.yaml'], env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  let merged: Record<string, unknown> = {};
  for (const f of files) {
    if (!existsSync(f)) continue;
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(f, 'utf8'));
    } catch (e) {
      throw new EpicenterError('BAD_CONFIG', `${f}: not valid YAML: ${(e as Error).message}`, { origin: { file: f } });
    }
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new EpicenterError('BAD_CONFIG', `${f}: top level must be a mapping`, { origin: { file: f } });
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      const prev = merged[k];
      merged[k] = prev !== null && typeof prev === 'object' && v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...(prev), ...(v) } : v;
    }
  }
  merged = envOverrides(env, merged);
  return parseConfig(merged, files.join(', '));
}
