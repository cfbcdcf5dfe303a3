import type { Breakpoint, ChangeEvent, Point, Sample, SeriesRef } from '../domain/types';
import type { BreakpointQuery, ChangeQuery, ChangeSink, PointQuery, SeriesData, Store, StoredAnalysis } from '../ports';

/**
 * The embedded store behind `npm start`: everything in process memory, same semantics as the
 * ClickHouse store (idempotent inserts keyed like its ReplacingMergeTree rows).
 */
export class MemoryStore implements Store, ChangeSink {
  private readonly series = new Map<string, { ref: SeriesRef; points: Map<number, number> }>();
  private readonly changes = new Map<string, ChangeEvent>();
  private readonly breakpoints = new Map<string, Breakpoint>();
  private readonly analyses = new Map<string, StoredAnalysis>();

  insertPoints(samples: readonly Sample[]): Promise<void> {
    for (const s of samples) {
      let e = this.series.get(s.series.id);
      if (e === undefined) {
        e = { ref: s.series, points: new Map() };
        this.series.set(s.series.id, e);
      }
      e.points.set(s.t, s.v);
    }
    return Promise.resolve();
  }

  insertBreakpoints(bps: readonly Breakpoint[]): Promise<void> {
    for (const b of bps) this.breakpoints.set(`${b.series.id}@${b.time}@${b.kind}`, b);
    return Promise.resolve();
  }

  insertChanges(cs: readonly ChangeEvent[]): Promise<void> {
    for (const c of cs) this.changes.set(`${c.source}\u0000${c.id}`, c);
    return Promise.resolve();
  }

  publishChanges(cs: readonly ChangeEvent[]): Promise<void> {
    return this.insertChanges(cs);
  }

  insertAnalysis(a: StoredAnalysis): Promise<void> {
    this.analyses.set(a.id, a);
    return Promise.resolve();
  }

  queryPoints(q: PointQuery): Promise<SeriesData[]> {
    const wanted = q.services === undefined ? undefined : new Set(q.services);
    const out: SeriesData[] = [];
    for (const { ref, points } of this.series.values()) {
      if (wanted !== undefined && !wanted.has(ref.service)) continue;
      const pts: Point[] = [];
      for (const [t, v] of points) if (t >= q.from && t < q.to) pts.push({ t, v });
      if (pts.length === 0) continue;
      pts.sort((a, b) => a.t - b.t);
      out.push({ series: ref, points: pts });
    }
    return Promise.resolve(out);
  }

  queryChanges(q: ChangeQuery): Promise<ChangeEvent[]> {
    const out = [...this.changes.values()].filter(
      (c) => c.time >= q.from && c.time < q.to && (q.service === undefined || c.service === q.service) && (q.team === undefined || c.team === q.team),
    );
    return Promise.resolve(out.sort((a, b) => a.time - b.time));
  }

  queryBreakpoints(q: BreakpointQuery): Promise<Breakpoint[]> {
    const out = [...this.breakpoints.values()].filter((b) => b.time >= q.from && b.time < q.to && (q.service === undefined || b.series.service === q.service));
    return Promise.resolve(out.sort((a, b) => a.time - b.time));
  }

  recentAnalyses(q: { service?: string; limit: number }): Promise<StoredAnalysis[]> {
    const out = [...this.analyses.values()].filter((a) => q.service === undefined || a.service === q.service);
    return Promise.resolve(out.sort((a, b) => b.createdAt - a.createdAt).slice(0, q.limit));
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
