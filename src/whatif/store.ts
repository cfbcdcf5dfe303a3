import type { ChangeEvent, Topology } from '../domain/types';
import type { Store } from '../ports';
import type { QuantifiedChange } from './proposal';
import { buildSnapshot } from './snapshot';
import type { Prediction, Proposal, Quantities, Setting, Snapshot, StoredVerdict } from './types';

const DAY = 86_400_000;

/** A stored setting value as the what-if reads it: a number when the text is one (`"80"`, `"1.5"`), else the text. */
function value(x: string): number | string {
  const n = Number(x.trim());
  return x.trim() !== '' && Number.isFinite(n) ? n : x;
}

/**
 * The quantities a stored change still carries: its settings with both values (`{key, from, to}`,
 * numbers where the text is one) and its version. Stored changes keep no `peer`, replicas, traffic
 * or declared effects, so those stay unknown.
 */
export function storedQuantities(c: ChangeEvent): Quantities {
  const settings: Setting[] = [];
  for (const s of c.settings ?? []) if (s.from !== undefined && s.to !== undefined) settings.push({ key: s.key, from: value(s.from), to: value(s.to) });
  return { ...(settings.length === 0 ? {} : { settings }), ...(c.version === undefined ? {} : { version: c.version }) };
}

/**
 * A snapshot from what `epicenter run` stored: points of the last `days` before `until`, and the
 * change log of the same window with the quantities stored changes keep (their settings), so the
 * impact catalogue learns elasticities of settings as it does from files.
 */
export async function snapshotFromStore(store: Store, topology: Topology, o: { until: number; days: number }): Promise<Snapshot> {
  const from = o.until - o.days * DAY;
  const [series, changes] = await Promise.all([store.queryPoints({ from, to: o.until }), store.queryChanges({ from, to: o.until })]);
  const quantified: QuantifiedChange[] = changes.map((change) => ({ change, quantities: storedQuantities(change) }));
  return buildSnapshot({ series, changes: quantified, topology, until: o.until, days: o.days });
}

/** Where what-if verdicts are kept (the ClickHouse store); the embedded store keeps none. */
export interface VerdictStore {
  insertWhatIfVerdicts(verdicts: readonly StoredVerdict[]): Promise<void>;
  /** Most recent first; `service` is the proposal's service. */
  recentWhatIfVerdicts(q: { service?: string; limit: number }): Promise<StoredVerdict[]>;
}

/** The verdict of `p` on `proposal` as stored, run at `at` by `origin`. */
export function storedVerdict(proposal: Proposal, p: Prediction, at: number, origin: string): StoredVerdict {
  const { id, service, type, team, summary, time } = proposal;
  return {
    at, origin, verdict: p.verdict, breaches: p.breaches, risks: p.effects.filter((e) => e.status === 'risk').length,
    proposal: { id, service, type, time, ...(team === undefined ? {} : { team }), ...(summary === undefined ? {} : { summary }) },
  };
}
