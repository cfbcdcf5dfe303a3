import { readFileSync } from 'node:fs';

/** Self time per function from a V8 .cpuprofile (node --cpu-prof), largest first. */
export interface ProfileEntry {
  readonly fn: string;
  readonly where: string;
  readonly ms: number;
  readonly share: number;
}

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export function topFunctions(file: string, n = 15): { total: number; top: ProfileEntry[] } {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const node = byId.get(prof.samples[i] ?? -1);
    const dt = prof.timeDeltas[i] ?? 0;
    if (node === undefined) continue;
    const cf = node.callFrame;
    const fn = cf.functionName === '' ? '(anonymous)' : cf.functionName;
    const where = cf.url === '' ? '' : `${shorten(cf.url)}:${cf.lineNumber + 1}`;
    const key = `${fn}@${where}`;
    const e = self.get(key) ?? { fn, where, us: 0 };
    e.us += dt;
    self.set(key, e);
    total += dt;
  }
  const top = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, n)
    .map((e) => ({ fn: e.fn, where: e.where, ms: Math.round(e.us / 1000), share: e.us / total }));
  return { total: Math.round(total / 1000), top };
}

/** Group self time by area (our folders, kafkajs, JSON.parse, GC, idle…). */
export function byArea(file: string): { area: string; share: number }[] {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const areas = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const node = byId.get(prof.samples[i] ?? -1);
    const dt = prof.timeDeltas[i] ?? 0;
    if (node === undefined) continue;
    const a = area(node.callFrame.functionName, node.callFrame.url);
    areas.set(a, (areas.get(a) ?? 0) + dt);
    total += dt;
  }
  return [...areas].map(([a, us]) => ({ area: a, share: us / total })).sort((x, y) => y.share - x.share);
}

function area(fn: string, url: string): string {
  if (fn === '(idle)') return 'idle (waiting on I/O)';
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(program)') return 'V8/native (program)';
  if (fn === 'parse' && url === '') return 'JSON.parse';
  const m = /dist\/src\/([a-z]+)\//.exec(url);
  if (m !== null) return `src/${m[1]}`;
  if (url.includes('node_modules/kafkajs')) return 'kafkajs';
  if (url.includes('node_modules/@clickhouse')) return '@clickhouse/client';
  if (url.includes('node_modules/zod')) return 'zod (formats validation)';
  if (url.includes('node_modules/pino') || url.includes('sonic-boom')) return 'pino';
  if (url.startsWith('node:') || url === '') return 'node core / builtins';
  return 'other';
}

function shorten(url: string): string {
  const i = url.indexOf('/dist/');
  if (i >= 0) return url.slice(i + 6);
  const j = url.indexOf('node_modules/');
  if (j >= 0) return url.slice(j + 13);
  return url.replace(/^file:\/\//, '');
}
