import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { EpicenterError } from '../errors';
import { configKeys } from './keys';
import { configSchema, type Config } from './schema';
import { configError, describeWhere, envSource, yamlSource, type Source, type Where } from './sources';

/**
 * Configuration enters here, once: the bundled defaults, then each `--config` file (later files
 * override earlier ones, key by key), then `EPICENTER_*` variables; validated by the strict
 * schema and deep-frozen. Every rejection names the key and the file line or variable that set it.
 */

/** How the CLI names the bundled defaults; this name always means the package's own file. */
export const DEFAULT_CONFIG = 'config/default.yaml';

/**
 * The package's own folder: the nearest one with a package.json above this file (src/config
 * under tsx, dist/src/config when built), whatever the working directory.
 */
export function packageDir(): string {
  for (let d = __dirname; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) throw new EpicenterError('BAD_CONFIG', `no package root (package.json) above ${__dirname}`);
  }
}

/** The bundled defaults, `config/default.yaml` in the package's own folder. */
export function bundledConfigFile(): string {
  return join(packageDir(), DEFAULT_CONFIG);
}

const isMapping = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Deep merge of `from` into `into`; mappings merge key by key, anything else replaces; null means
 * unset. Merged mappings have no prototype, so a YAML key `__proto__` is an ordinary (unknown,
 * hence refused) key instead of a way to write into Object.prototype.
 */
function mergeInto(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    if (v === null || v === undefined) continue;
    const prev = Object.hasOwn(into, k) ? into[k] : undefined;
    if (isMapping(v) && isMapping(prev)) mergeInto(prev, v);
    else into[k] = isMapping(v) ? mapping(v) : v;
  }
}

function mapping(from: Record<string, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  mergeInto(out, from);
  return out;
}

function valueAt(o: unknown, path: string): unknown {
  let at = o;
  for (const seg of path.split('.')) at = isMapping(at) && Object.hasOwn(at, seg) ? at[seg] : undefined;
  return at;
}

/** Merged values and, per dotted key, the origin of the value that won. */
function mergeSources(sources: readonly Source[]): { value: Record<string, unknown>; origins: Map<string, Where> } {
  const value = mapping({});
  const origins = new Map<string, Where>();
  for (const s of sources) {
    mergeInto(value, s.value);
    for (const [key, where] of s.origins) {
      if (valueAt(s.value, key) === null) continue;
      // A scalar replacing a mapping takes the blame for everything below it.
      if (!isMapping(valueAt(s.value, key))) for (const k of origins.keys()) if (k.startsWith(`${key}.`)) origins.delete(k);
      origins.set(key, where);
    }
  }
  return { value, origins };
}

/** The nearest origin of `path` or of a mapping above it. */
function blame(origins: ReadonlyMap<string, Where>, path: readonly string[], fallback: Where): Where {
  for (let i = path.length; i > 0; i--) {
    const w = origins.get(path.slice(0, i).join('.'));
    if (w !== undefined) return w;
  }
  return fallback;
}

/** The keys allowed directly below `prefix` (dotted; '' for the top level). */
function keysBelow(prefix: string): string[] {
  const depth = prefix === '' ? 0 : prefix.split('.').length;
  const out = new Set<string>();
  for (const k of configKeys()) if (prefix === '' || k.name.startsWith(`${prefix}.`)) out.add(k.path[depth] ?? '');
  return [...out];
}

interface Problem {
  readonly where: Where;
  readonly key: string;
  readonly message: string;
}

function problemsOf(issues: readonly z.core.$ZodIssue[], origins: ReadonlyMap<string, Where>, fallback: Where): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        out.push({ where: blame(origins, [...path, k], fallback), key: [...path, k].join('.'), message: `unknown key; known here: ${keysBelow(path.join('.')).join(', ')}` });
      }
    } else {
      out.push({ where: blame(origins, path, fallback), key: path.join('.') || '(top level)', message: issue.message });
    }
  }
  return out;
}

/** File problems by file and line, then variables. */
function inReadingOrder(a: Problem, b: Problem): number {
  const rank = (w: Where): [number, string, number] => ('env' in w ? [1, w.env, 0] : [0, w.file, w.line ?? 0]);
  const [ra, rb] = [rank(a.where), rank(b.where)];
  return ra[0] - rb[0] || ra[1].localeCompare(rb[1]) || ra[2] - rb[2];
}

function validate(raw: unknown, origins: ReadonlyMap<string, Where>, fallback: Where): Readonly<Config> {
  const r = configSchema.safeParse(raw ?? {});
  if (r.success) return deepFreeze(r.data);
  const [first, ...rest] = problemsOf(r.error.issues, origins, fallback).sort(inReadingOrder);
  if (first === undefined) throw configError(fallback, 'invalid configuration');
  const more = rest.map((p) => `${describeWhere(p.where)}: ${p.key}: ${p.message}`);
  throw configError(first.where, [first.message, ...more].join('; '), first.key);
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Validate any object as a Config (tests, embedding); errors name the key and `origin`. */
export function parseConfig(raw: unknown, origin = 'config'): Readonly<Config> {
  return validate(raw, new Map(), { file: origin });
}

/**
 * The bundled defaults, then `files` in order (each must exist; `config/default.yaml` names the
 * bundled file), then the environment. Throws BAD_CONFIG naming the key and where it was set.
 */
export function loadConfig(files: readonly string[] = [DEFAULT_CONFIG], env: NodeJS.ProcessEnv = process.env, defaults = bundledConfigFile()): Readonly<Config> {
  if (!existsSync(defaults)) throw configError({ file: defaults }, 'the bundled default configuration is missing: reinstall epicenter');
  const own = resolve(defaults);
  const extra = files.filter((f) => f !== DEFAULT_CONFIG && resolve(f) !== own);
  const sources = [yamlSource(defaults), ...extra.map(yamlSource), envSource(env)];
  const { value, origins } = mergeSources(sources);
  return validate(value, origins, { file: [defaults, ...extra].join(', ') });
}
