import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { EpicenterError } from '../errors';
import { configKeys } from './keys';

/**
 * Where a configuration value came from: a line of a YAML file or an environment variable.
 * Sources return their values together with the origin of every key they set, so a rejected
 * value is blamed on the line or the variable that set it.
 */
export type Where = { readonly file: string; readonly line?: number } | { readonly env: string };

export interface Source {
  readonly value: Record<string, unknown>;
  /** Dotted key path → where it was set (mappings and leaves alike). */
  readonly origins: ReadonlyMap<string, Where>;
}

export function describeWhere(w: Where): string {
  if ('env' in w) return `environment variable ${w.env}`;
  return w.line === undefined ? w.file : `${w.file}:${w.line}`;
}

export function configError(where: Where, message: string, field?: string): EpicenterError {
  return new EpicenterError('BAD_CONFIG', message, { origin: 'env' in where ? { file: describeWhere(where), field } : { ...where, field } });
}

/** Records the line of every key of a YAML mapping, recursively. */
function keyLines(node: Node | null, path: string, file: string, lc: LineCounter, out: Map<string, Where>): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const name = path === '' ? String(pair.key.value) : `${path}.${String(pair.key.value)}`;
    const offset = pair.key.range?.[0];
    out.set(name, offset === undefined ? { file } : { file, line: lc.linePos(offset).line });
    keyLines(pair.value as Node | null, name, file, lc, out);
  }
}

/** One YAML file; it must exist, parse, and hold a mapping (an empty file is an empty mapping). */
export function yamlSource(file: string): Source {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw configError({ file }, code === 'ENOENT' ? 'config file does not exist' : `cannot read config file: ${(e as Error).message}`);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const err = doc.errors[0];
  if (err !== undefined) {
    const line = lc.linePos(err.pos[0]).line;
    throw configError({ file, line }, `not valid YAML: ${err.message.split('\n')[0] ?? err.code}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { value: {}, origins: new Map() };
  if (typeof value !== 'object' || Array.isArray(value)) throw configError({ file, line: 1 }, 'top level must be a mapping of configuration keys');
  const origins = new Map<string, Where>();
  keyLines(doc.contents, '', file, lc, origins);
  return { value: value as Record<string, unknown>, origins };
}

/**
 * `EPICENTER_*` variables that are not configuration: read by epicenter's own scripts, tests
 * and benchmarks. Any other unknown `EPICENTER_*` variable is refused (a typo would otherwise
 * silently leave the default in place). `EPICENTER_TEST_*` is reserved for tests.
 */
export const TOOL_VARIABLES: readonly string[] = [
  'EPICENTER_ALERTMANAGER_BIN', 'EPICENTER_BP_CACHE', 'EPICENTER_CACHE', 'EPICENTER_COLLECTOR_HOSTMETRICS',
  'EPICENTER_KEEP_SERVICES', 'EPICENTER_NEZHA_DIR', 'EPICENTER_SERVICES_DIR', 'EPICENTER_SIM_CACHE',
  'EPICENTER_SKIP_SERVICES', 'EPICENTER_SLACK_SAMPLE_OUT', 'EPICENTER_TIMELINE_EXAMPLE', 'EPICENTER_UPDATE_SCREENSHOT',
];

const isTool = (name: string): boolean => name.startsWith('EPICENTER_TEST_') || TOOL_VARIABLES.includes(name);

/** A number when the text is one; otherwise the text, so validation names the variable. */
function numberOrText(raw: string): unknown {
  const t = raw.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : raw;
}

/** The `EPICENTER_<KEY PATH>` variables (see configKeys); lists are comma-separated. */
export function envSource(env: NodeJS.ProcessEnv): Source {
  const byName = new Map(configKeys().map((k) => [k.env, k]));
  const value: Record<string, unknown> = {};
  const origins = new Map<string, Where>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('EPICENTER_') || raw === undefined || isTool(name)) continue;
    const key = byName.get(name);
    if (key === undefined) {
      throw configError({ env: name }, `unknown configuration variable; known: ${[...byName.keys()].join(', ')}`);
    }
    let at = value;
    for (const seg of key.path.slice(0, -1)) at = (at[seg] ??= {}) as Record<string, unknown>;
    const v = key.kind === 'list' ? raw.split(',').map((s) => s.trim()).filter((s) => s !== '') : key.kind === 'number' ? numberOrText(raw) : raw;
    at[key.path[key.path.length - 1] ?? ''] = v;
    origins.set(key.name, { env: name });
  }
  return { value, origins };
}
