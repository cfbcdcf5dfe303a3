import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadHistory, teamsOf } from '../../app/whatif';
import { createClickHouseStore, type ClickHouseStore } from '../../clickhouse/store';
import { loadConfig } from '../../config/load';
import { EpicenterError } from '../../errors';
import { buildSnapshot, encodeSnapshot, type Snapshot } from '../../whatif';
import { snapshotFromStore } from '../../whatif/store';
import { parseTimeArg } from '../args';
import { EXIT_REJECTED, loadServiceTopology, reportRejected } from '../io';
import type { Register } from './index';

export interface SnapshotSourceOptions {
  source?: string;
  metrics?: string[];
  changes?: string[];
  topology?: string;
  days?: string;
  until?: string;
  config?: string[];
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

function parseDays(s: string | undefined): number {
  const d = s === undefined ? 7 : Number(s);
  if (!Number.isFinite(d) || d <= 0 || d > 90) throw new EpicenterError('BAD_REQUEST', `--days: '${s ?? ''}' must be a number of days in (0, 90]`, { origin: { field: 'days' } });
  return d;
}

/**
 * Build a snapshot from files or ClickHouse (shared by `snapshot` and `whatif`). With ClickHouse,
 * `withStore` runs on the snapshot while the store is still open (the what-if keeps its verdict there).
 */
export async function snapshotFrom(o: SnapshotSourceOptions, defaultUntil?: number, withStore?: (store: ClickHouseStore, snapshot: Snapshot) => Promise<void>): Promise<{ snapshot: Snapshot; rejected: EpicenterError[] }> {
  const days = parseDays(o.days);
  const until = o.until === undefined ? defaultUntil : parseTimeArg(o.until, 'until');
  if (o.source === 'clickhouse') {
    const config = loadConfig(o.config ?? ['config/default.yaml']);
    const t = loadServiceTopology(o.topology, config.topologyFile);
    const store = await createClickHouseStore(config.clickhouse);
    try {
      const snapshot = await snapshotFromStore(store, t.topology, { until: until ?? Date.now(), days });
      await withStore?.(store, snapshot);
      return { snapshot, rejected: t.rejected };
    } finally {
      await store.close();
    }
  }
  if (o.source !== undefined && o.source !== 'files') throw new EpicenterError('BAD_REQUEST', `--source: '${o.source}' is not one of files, clickhouse`, { origin: { field: 'source' } });
  if (o.metrics === undefined || o.metrics.length === 0) throw new EpicenterError('BAD_REQUEST', '--metrics FILE… is required (or --source clickhouse, or --snapshot FILE)', { origin: { field: 'metrics' } });
  const h = loadHistory(o);
  const snapshot = buildSnapshot({ series: h.series, changes: h.changes, topology: h.topology, days, teams: teamsOf(h.changes), ...(until === undefined ? {} : { until }) });
  return { snapshot, rejected: h.rejected };
}

/** The options both commands take to read history. */
export function historyOptions(cmd: Command): Command {
  return cmd
    .option('--metrics <file...>', 'metric files: OTLP/JSON (NDJSON or document), collectd JSON or CSV')
    .option('--changes <file>', 'CloudEvents change file, with quantities in data (repeatable)', collect)
    .option('--topology <file>', 'topology YAML: services, teams, dependsOn, limits')
    .option('--source <source>', "'files' (default) or 'clickhouse' (what `epicenter run` stored)")
    .option('--days <n>', 'history to model, days (default 7)')
    .option('--until <time>', 'use only data before this time (ISO 8601 or epoch s/ms)')
    .option('--config <file...>', 'config YAML files, for --source clickhouse (default: config/default.yaml)');
}

export const registerSnapshot: Register = (program: Command) => {
  historyOptions(
    program
      .command('snapshot')
      .description('Build a compact, versioned model of the running system (levels, daily profiles, limits, learnt couplings, impact catalogue) for what-if'),
  )
    .requiredOption('--out <file>', 'where to write the snapshot (JSON)')
    .action(async (opts: SnapshotSourceOptions & { out: string }) => {
      const { snapshot, rejected } = await snapshotFrom(opts);
      reportRejected(rejected);
      writeFileSync(opts.out, encodeSnapshot(snapshot));
      process.stdout.write(`wrote ${opts.out}: ${snapshot.services.length} services, ${snapshot.series.length} series, ${snapshot.couplings.length} couplings, ${snapshot.impacts.length} past changes measured, ${new Date(snapshot.from).toISOString()} – ${new Date(snapshot.to).toISOString()}\n`);
      if (rejected.length > 0) process.exitCode = EXIT_REJECTED;
    });
};
