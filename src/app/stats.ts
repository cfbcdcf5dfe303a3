import { deliveriesSince, type SourceCounters } from '../changes/counters';
import type { ClickHouseWriter } from '../clickhouse';
import type { LagMonitor } from '../kafka';
import type { Pipeline, PipelineStats } from '../pipeline/pipeline';
import { INSTRUMENTS, observeGauge, ATTR } from '../telemetry';
import type { Logger } from './logger';

/**
 * Every `intervalMs`: one `pipeline stats` log line (counts since the previous line, lag,
 * end-to-end latency quantiles) and one pipeline_stats row in ClickHouse (with the change webhook
 * deliveries per source kind since the previous row). Also registers the
 * observable gauges (buffered rows, live series, consumer lag) that read the same numbers.
 * Returns a stop function.
 */
export function startStatsLoop(p: {
  pipeline: Pipeline;
  lag: LagMonitor;
  log: Logger;
  instance: string;
  intervalMs: number;
  writer?: ClickHouseWriter;
  /** Change webhooks accepted/ignored/refused (POST /v1/changes/<kind>/<name>), logged as totals since start. */
  sourceCounters?: SourceCounters;
}): () => void {
  let prev: PipelineStats = p.pipeline.stats();
  let prevHooks = p.sourceCounters?.snapshot() ?? {};
  let lastT = Date.now();
  const unobserve = [
    observeGauge(INSTRUMENTS.buffered, '{row}', 'Rows buffered in the writer', () => [{ value: p.pipeline.stats().buffered }]),
    observeGauge(INSTRUMENTS.liveSeries, '{series}', 'Live series with detector state', () => [{ value: p.pipeline.stats().liveSeries }]),
    observeGauge(INSTRUMENTS.consumerLag, '{message}', 'Consumer lag per topic (log end − committed)', () =>
      [...p.lag.lag()].map(([topic, value]) => ({ value, attributes: { [ATTR.topic]: topic } })),
    ),
    observeGauge(INSTRUMENTS.changeWebhooks, '{request}', 'Change webhook deliveries since start, by source kind and outcome', () => webhookReadings(p.sourceCounters)),
  ];
  const timer = setInterval(() => {
    const s = p.pipeline.stats(true);
    const t = Date.now();
    const d = {
      points: s.points - prev.points,
      changes: s.changes - prev.changes,
      breakpoints: s.breakpoints - prev.breakpoints,
      deadLetters: s.deadLetters - prev.deadLetters,
      messages: s.messages - prev.messages,
    };
    const hooks = p.sourceCounters?.snapshot() ?? {};
    const secs = Math.max(0.001, (t - lastT) / 1000);
    p.log.info(
      {
        ...d,
        pointsPerSec: Math.round(d.points / secs),
        lag: p.lag.total(),
        buffered: s.buffered,
        paused: s.paused,
        storeHealthy: s.storeHealthy,
        liveSeries: s.liveSeries,
        evictedSeries: s.evictedSeries,
        e2eMs: s.e2e,
        rssMb: Math.round(process.memoryUsage().rss / 1_048_576),
        heapMb: Math.round(process.memoryUsage().heapUsed / 1_048_576),
        totals: { points: s.points, changes: s.changes, breakpoints: s.breakpoints, deadLetters: s.deadLetters, messages: s.messages },
        ...(p.sourceCounters === undefined ? {} : { changeWebhooks: hooks['total'] }),
      },
      'pipeline stats',
    );
    p.writer?.writePipelineStats({
      t,
      instance: p.instance,
      pointsIn: d.points,
      changesIn: d.changes,
      breakpoints: d.breakpoints,
      deadLetters: d.deadLetters,
      lag: p.lag.total(),
      batchMs: s.lastBatchMs,
      bufferedRows: s.buffered,
      changeWebhooks: deliveriesSince(prevHooks, hooks),
    });
    prev = s;
    prevHooks = hooks;
    lastT = t;
  }, p.intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    for (const u of unobserve) u();
  };
}

/** Per source kind: accepted, ignored and refused (by reason) deliveries since start. */
export function webhookReadings(counters: SourceCounters | undefined): { value: number; attributes: Record<string, string> }[] {
  const out: { value: number; attributes: Record<string, string> }[] = [];
  for (const [kind, c] of Object.entries(counters?.snapshot() ?? {})) {
    if (kind === 'total') continue;
    out.push({ value: c.accepted, attributes: { [ATTR.changeSource]: kind, [ATTR.outcome]: 'accepted' } }, { value: c.ignored, attributes: { [ATTR.changeSource]: kind, [ATTR.outcome]: 'ignored' } });
    for (const [reason, n] of Object.entries(c.reasons)) out.push({ value: n, attributes: { [ATTR.changeSource]: kind, [ATTR.outcome]: `refused:${reason}` } });
  }
  return out;
}
