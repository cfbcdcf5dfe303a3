import { strict as assert } from 'node:assert';
import { startStatsLoop } from '../../../src/app/stats';
import type { Logger } from '../../../src/app/logger';
import { SourceCounters } from '../../../src/changes/counters';
import type { ClickHouseWriter, PipelineStatsInput } from '../../../src/clickhouse';
import type { LagMonitor } from '../../../src/kafka';
import type { Pipeline } from '../../../src/pipeline/pipeline-api';

describe('stats loop: change webhook deliveries in pipeline_stats rows', () => {
  it('each row counts the deliveries since the previous row, per kind', async () => {
    const rows: PipelineStatsInput[] = [];
    const zero = { points: 0, changes: 0, breakpoints: 0, deadLetters: 0, messages: 0, buffered: 0, lastBatchMs: 0, liveSeries: 0, evictedSeries: 0, paused: false, storeHealthy: true, e2e: {} };
    const counters = new SourceCounters();
    counters.accepted('github', 1); // before the loop starts: not in any row
    const stop = startStatsLoop({
      pipeline: { stats: () => zero } as unknown as Pipeline,
      lag: { total: () => 0, lag: () => new Map<string, number>() } as unknown as LagMonitor,
      log: { info: () => {} } as unknown as Logger,
      instance: 'i-1',
      intervalMs: 5,
      writer: { writePipelineStats: (s: PipelineStatsInput) => rows.push(s) } as unknown as ClickHouseWriter,
      sourceCounters: counters,
    });
    const rowsAtLeast = async (n: number): Promise<void> => {
      for (let i = 0; i < 400 && rows.length < n; i++) await new Promise((r) => setTimeout(r, 5));
    };
    try {
      await rowsAtLeast(1);
      counters.accepted('github', 2);
      counters.refused('argocd', 'unsigned');
      const before = rows.length;
      await rowsAtLeast(before + 1);
      await rowsAtLeast(rows.length + 1);
      const all = rows.flatMap((r) => r.changeWebhooks ?? []);
      assert.deepEqual(all.sort((a, b) => a.kind.localeCompare(b.kind)), [
        { kind: 'argocd', accepted: 0, refused: 1 },
        { kind: 'github', accepted: 1, refused: 0 },
      ]);
    } finally {
      stop();
    }
  });
});
