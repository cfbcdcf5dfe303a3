/** Scores what-if verdicts against what the simulated world really does. */
import { FD_METRIC } from '../../src/sim/world';
import type { WhatIfCase, WhatIfProposal } from '../../src/sim/whatif';
import { buildSnapshot, predict, toProposal, type Prediction, type Snapshot } from '../../src/whatif';

export interface Outcome {
  readonly seed: number;
  readonly mechanism: string;
  readonly role: 'cause' | 'harmless';
  readonly kind: string;
  /** The world breaches (some service's fds reach their limit within a day). */
  readonly trueBreach: boolean;
  /** Verdict breach naming a service that truly breaches, on its fd metric. */
  readonly named: boolean;
  readonly verdict: Prediction['verdict'];
  /** Causal proposals: |predicted − true| / true of the victim's fd peak. */
  readonly peakError?: number;
  /** Recalled breaches: true first crossing − ship time, and |predicted − true crossing|, ms. */
  readonly leadMs?: number;
  readonly atErrorMs?: number;
  readonly predictMs: number;
}

export function snapshotOf(c: WhatIfCase): Snapshot {
  return buildSnapshot({ series: c.series, changes: c.changes.map((e) => ({ change: e, quantities: e.quantities ?? {} })), topology: c.topology, until: c.at, days: 7 });
}

export function evaluate(c: WhatIfCase, snap: Snapshot, p: WhatIfProposal): Outcome {
  const t0 = process.hrtime.bigint();
  const pred = predict(snap, toProposal({ change: p.event, quantities: p.event.quantities ?? {} }));
  const predictMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const truly = new Set(p.truth.breaches);
  const hit = pred.breaches.find((b) => truly.has(b.service) && b.metric === FD_METRIC);
  const out: { -readonly [K in keyof Outcome]: Outcome[K] } = {
    seed: c.seed, mechanism: c.mechanism, role: p.role, kind: p.kind, trueBreach: truly.size > 0, named: hit !== undefined, verdict: pred.verdict, predictMs,
  };
  if (p.role === 'cause') {
    const truth = p.truth.peaks.get(c.victim)!;
    const eff = pred.effects.find((e) => e.service === c.victim && e.metric === FD_METRIC);
    const base = snap.series.find((m) => m.service === c.victim && m.metric === FD_METRIC);
    const predicted = eff?.predicted ?? (base === undefined ? 0 : Math.max(base.level, base.peak));
    out.peakError = Math.abs(predicted - truth.peak) / truth.peak;
  }
  if (hit !== undefined) {
    const cross = p.truth.peaks.get(hit.service)?.crossAt;
    if (cross !== undefined) {
      out.leadMs = cross - c.at;
      out.atErrorMs = Math.abs(Date.parse(hit.at) - cross);
    }
  }
  return out;
}
