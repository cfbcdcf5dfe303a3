import type { RefusalReason } from './source';

/**
 * Accepted / ignored / refused webhook deliveries per source kind (and refusals per reason), for
 * pipeline stats and GET /v1/changes/sources. Names are bounded (kinds and reasons are fixed lists),
 * so these can be metric attributes; a source's configured name is not kept here.
 */
export interface SourceCount {
  accepted: number;
  changes: number;
  ignored: number;
  refused: number;
  reasons: Partial<Record<RefusalReason, number>>;
}

export class SourceCounters {
  private readonly counts = new Map<string, SourceCount>();

  private of(kind: string): SourceCount {
    let c = this.counts.get(kind);
    if (c === undefined) {
      c = { accepted: 0, changes: 0, ignored: 0, refused: 0, reasons: {} };
      this.counts.set(kind, c);
    }
    return c;
  }

  accepted(kind: string, changes: number): void {
    const c = this.of(kind);
    c.accepted += 1;
    c.changes += changes;
  }

  ignored(kind: string): void {
    this.of(kind).ignored += 1;
  }

  refused(kind: string, reason: RefusalReason): void {
    const c = this.of(kind);
    c.refused += 1;
    c.reasons[reason] = (c.reasons[reason] ?? 0) + 1;
  }

  /** A copy: per kind, plus `total`. */
  snapshot(): Record<string, SourceCount> {
    const out: Record<string, SourceCount> = {};
    const total: SourceCount = { accepted: 0, changes: 0, ignored: 0, refused: 0, reasons: {} };
    for (const [kind, c] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      out[kind] = { ...c, reasons: { ...c.reasons } };
      total.accepted += c.accepted;
      total.changes += c.changes;
      total.ignored += c.ignored;
      total.refused += c.refused;
      for (const [r, n] of Object.entries(c.reasons) as [RefusalReason, number][]) total.reasons[r] = (total.reasons[r] ?? 0) + n;
    }
    out['total'] = total;
    return out;
  }
}

/**
 * Accepted and refused deliveries per kind between two snapshots (for pipeline_stats rows, which
 * count since the previous row). Kinds with no delivery in between are left out; `total` is not a kind.
 */
export function deliveriesSince(prev: Record<string, SourceCount>, cur: Record<string, SourceCount>): { kind: string; accepted: number; refused: number }[] {
  const out: { kind: string; accepted: number; refused: number }[] = [];
  for (const [kind, c] of Object.entries(cur)) {
    if (kind === 'total') continue;
    const accepted = c.accepted - (prev[kind]?.accepted ?? 0);
    const refused = c.refused - (prev[kind]?.refused ?? 0);
    if (accepted !== 0 || refused !== 0) out.push({ kind, accepted, refused });
  }
  return out;
}
