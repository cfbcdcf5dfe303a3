/**
 * Helpers of clickhouse-modern.test.ts: the chdb venv, rows that are hard to store, and comparing
 * results of ClickHouse 26.9's engine with the 18.16 server's.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { ClickHouseStore } from '../../../src/clickhouse/store';
import { makeSeries } from '../../../src/domain/series';
import type { ChangeEvent, Sample } from '../../../src/domain/types';
import type { JsonResult } from '../../compat/chdb-connection';
import { CLICKHOUSE_URL, ROOT } from './services';

/** The venv's python, made by scripts/lib/chdb.sh (a failure is this suite's failure, with the script's reason). */
export function chdbPython(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [join(ROOT, 'scripts', 'lib', 'chdb.sh')], { timeout: 900_000 }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`scripts/lib/chdb.sh could not make the chdb-core venv (exit ${String(err.code)}): ${stderr.trim() || err.message}`));
      else resolve(stdout.trim().split('\n').pop() ?? '');
    });
  });
}

/** A type as Grafana's plugin and our readers see it: LowCardinality is storage, not a type change. */
export const plainType = (t: string): string => t.replace(/LowCardinality\((.*)\)/, '$1');

/** Rows that strings, edges and 64-bit values make hard, on top of the dashboards' incident. */
export async function seedEdges(store: ClickHouseStore, now: number): Promise<{ samples: Sample[]; changes: ChangeEvent[] }> {
  const odd = makeSeries('odd.metric', { 'service.name': 'C', note: 'tab\there "q" \\ back\nnl é✓ \'x\'' }, 'C', 'ms');
  const samples: Sample[] = [
    { series: odd, t: now - 5000, v: -0 },
    { series: odd, t: now - 4000, v: 5e-324 },
    { series: odd, t: now - 3000, v: 1.7976931348623157e308 },
    { series: odd, t: now - 2000, v: 0.1 + 0.2 },
  ];
  await store.insertPoints(samples);
  const changes: ChangeEvent[] = [
    { id: 'flag-c', source: 'ld/C', type: 'flag', rawType: 'flag.updated', service: 'C', team: 'team-c', time: now - 6000, summary: 'ünïcode\tand "quotes"',
      keys: ['a', 'b'], settings: [{ key: 'a', to: 'on' }, { key: 'b', from: 'x' }], origins: [{ source: 'ld/C', id: 'flag-c', kind: 'launchdarkly' }, { source: 'gh/C', id: '7', url: 'https://x/7' }] },
  ];
  await store.insertChanges(changes);
  // 2^53 + 1: exact only if 64-bit integers come back as strings (connection.ts QUERY_SETTINGS).
  await store.insertDeadLetters([{ t: now - 1000, topic: 'otlp_metrics', partition: 2, offset: '9007199254740993', reason: 'bad', code: 'BAD_INPUT', payload: new Uint8Array([0xff, 0, 1]) }]);
  await store.insertPipelineStats({ t: now - 1000, instance: 'epi-2', pointsIn: 1, changesIn: 0, breakpoints: 0, deadLetters: 1, lag: -3, batchMs: 0.125, bufferedRows: 0 });
  return { samples, changes };
}

/** Equal, with numbers equal to 1e-12 relative (an aggregate summed in another order may differ in its last bits). */
export function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

export const sortRows = (rows: readonly unknown[]): unknown[] => [...rows].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));

/** A SELECT on the 18.16 server over HTTP in FORMAT JSON (column names and types in `meta`). */
export async function old(sqlText: string): Promise<JsonResult> {
  const res = await fetch(CLICKHOUSE_URL, { method: 'POST', body: `${sqlText}\nFORMAT JSON` });
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse 18.16 ${res.status}: ${text.slice(0, 400)}`);
  return JSON.parse(text) as JsonResult;
}
