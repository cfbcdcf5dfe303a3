/**
 * ClickHouse's own CPU per points row, by insert format and INSERT size, on the running server
 * (services from scripts/services.sh; EPICENTER_SERVICES_DIR when started from another checkout):
 * RowBinary (what the writer sends) against TabSeparated (what it sent before), 50,000- against
 * 200,000-row INSERTs, and the same rows into a copy of `points` without any materialized view
 * (what a view over every points insert would cost: `series_mv` did until schema version 4). Rounds alternate so load from other work on the
 * machine falls on every variant alike; the median of the rounds is reported.
 *
 * Run: npm run build && node dist/bench/pipeline/insert-formats.js [ROWS per variant and round, default 1000000] [ROUNDS, default 3]
 * Writes bench/results/pipeline-insert.md.
 */
import { Readable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { createClickHouseStore } from '../../src/clickhouse';
import { POINT_COLUMNS, pointsRowBinary } from '../../src/clickhouse/rowbinary';
import { pointLine } from '../../src/clickhouse/tsv';
import { parseConfig } from '../../src/config/load';
import { makeSeries } from '../../src/domain/series';
import type { Sample, SeriesRef } from '../../src/domain/types';
import { cpuSeconds, servicePid } from './procs';

const ROOT = join(__dirname, '..', '..', '..');
const ROWS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 3);

interface Variant {
  readonly name: string;
  readonly format: 'RowBinary' | 'TabSeparated';
  readonly size: number;
  readonly table: 'points' | 'points_no_view';
}
const VARIANTS: readonly Variant[] = [
  { name: 'RowBinary, 50,000-row INSERTs', format: 'RowBinary', size: 50_000, table: 'points' },
  { name: 'TabSeparated, 50,000-row INSERTs', format: 'TabSeparated', size: 50_000, table: 'points' },
  { name: 'RowBinary, 200,000-row INSERTs', format: 'RowBinary', size: 200_000, table: 'points' },
  { name: 'RowBinary, 50,000-row INSERTs, table without series_mv', format: 'RowBinary', size: 50_000, table: 'points_no_view' },
];

async function main(): Promise<void> {
  const chPid = servicePid(ROOT, 'clickhouse');
  if (chPid < 0) throw new Error('bench: ClickHouse pid unknown (set EPICENTER_SERVICES_DIR)');
  const db = `bench_insert_${Date.now().toString(36)}`;
  const store = await createClickHouseStore(parseConfig({ clickhouse: { database: db } }).clickhouse);
  const client = createClient({ url: 'http://127.0.0.1:8123', request_timeout: 120_000, log: { level: ClickHouseLogLevel.OFF } });
  try {
    await client.command({ query: `CREATE TABLE ${db}.points_no_view AS ${db}.points` });
    // The bench:pipeline shape: 500 resources × 200 gauges with a peer attribute.
    const series: SeriesRef[] = [];
    for (let r = 0; r < 500; r++) {
      const svc = `svc-${Math.floor(r / 5)}`;
      for (let m = 0; m < 200; m++) {
        series.push(makeSeries(`bench.metric_${m}`, { 'service.name': svc, 'service.instance.id': `${svc}-i${r % 5}`, 'service.version': '1.4.2', 'server.address': `peer-${m % 20}` }, undefined, '{connection}'));
      }
    }
    const t0 = Date.now() - 86_400_000;
    let next = 0;
    const samples = (n: number): Sample[] =>
      Array.from({ length: n }, () => {
        const k = next++;
        return { series: series[k % series.length] as SeriesRef, t: t0 + Math.floor(k / series.length) * 10_000, v: 100 + (k % 17) + 0.25 };
      });
    const cpu = new Map<string, number[]>();
    const bytes = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of VARIANTS) {
        const bodies: Buffer[] = [];
        for (let i = 0; i < ROWS / v.size; i++) {
          const b = samples(v.size);
          bodies.push(v.format === 'RowBinary' ? pointsRowBinary(b) : Buffer.from(b.map(pointLine).join('')));
        }
        const c0 = cpuSeconds(chPid);
        for (const body of bodies) {
          const r = await client.exec({ query: `INSERT INTO ${db}.${v.table} (${POINT_COLUMNS.join(', ')}) FORMAT ${v.format}`, values: Readable.from([body], { objectMode: false }) });
          r.stream.resume();
          await new Promise((done) => r.stream.on('end', done));
        }
        cpu.set(v.name, [...(cpu.get(v.name) ?? []), ((cpuSeconds(chPid) - c0) * 1e6) / ROWS]);
        bytes.set(v.name, bodies.reduce((a, b) => a + b.length, 0) / ROWS);
      }
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const lines = [
      '# ClickHouse CPU per points row, by insert format and size',
      '',
      `Command: \`npm run build && node dist/bench/pipeline/insert-formats.js ${ROWS} ${ROUNDS}\` (bench/pipeline/insert-formats.ts). ClickHouse ${store.serverVersion()} on the shared 2-core machine; ${ROWS.toLocaleString('en-US')} rows per variant and round, ${ROUNDS} rounds alternating the variants, the bench:pipeline series shape (100,000 series, 5 labels). CPU is the server process's utime+stime over the INSERTs.`,
      '',
      '| variant | body bytes per row | ClickHouse CPU per row, median (rounds) |',
      '|---|---:|---:|',
      ...VARIANTS.map((v) => `| ${v.name} | ${(bytes.get(v.name) ?? 0).toFixed(0)} | **${median(cpu.get(v.name) ?? []).toFixed(2)} µs** (${(cpu.get(v.name) ?? []).map((x) => x.toFixed(2)).join(', ')}) |`),
      '',
    ];
    writeFileSync(join(ROOT, 'bench', 'results', 'pipeline-insert.md'), lines.join('\n'));
    console.log(lines.join('\n'));
  } finally {
    await store.dropDatabase();
    await store.close();
    await client.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
