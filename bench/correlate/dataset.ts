import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { gatherEvidence, type CandidateEvidence } from '../../src/correlate';
import type { ChangeEvent } from '../../src/domain/types';
import type { SeriesData } from '../../src/ports';
import { scenarioSeries, simulate, type Scenario, type Truth } from '../../src/sim';

/**
 * Seeds: the model is fitted on FIT_SEEDS and judged on BENCH_SEEDS; the two never overlap, so the
 * benchmark measures scenarios the coefficients have never seen.
 */
export const FIT_SEEDS = { from: 1, to: 100_000 } as const;
export const BENCH_SEEDS = { from: 1_000_000, to: 2_000_000 } as const;

export interface Case {
  readonly scenario: Scenario;
  readonly truth: Truth;
  /** The changes given to the correlator (the cause is left out when `unrecorded`). */
  readonly changes: readonly ChangeEvent[];
  /** The cause is missing from the change log: every score should then be low. */
  readonly unrecorded: boolean;
}

/**
 * One benchmark case. Set EPICENTER_SIM_CACHE=<dir> to keep simulated scenarios between runs
 * (simulation is deterministic, so the cache only saves time).
 */
export function makeCase(seed: number, unrecorded = false): Case {
  const scenario = cachedSimulate(seed);
  const changes = unrecorded ? scenario.changes.filter((c) => c.id !== scenario.truth.cause.id) : scenario.changes;
  return { scenario, truth: scenario.truth, changes, unrecorded };
}

function cachedSimulate(seed: number): Scenario {
  const dir = process.env['EPICENTER_SIM_CACHE'];
  if (dir === undefined || dir === '') return simulate({ seed });
  const file = join(dir, `sim-${seed}.v8`);
  if (existsSync(file)) return deserialize(readFileSync(file)) as Scenario;
  const sc = simulate({ seed });
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, serialize(sc));
  return sc;
}

export function analyzeInput(c: Case, series: readonly SeriesData[] = scenarioSeries(c.scenario)): Parameters<typeof gatherEvidence>[0] {
  const t = c.truth;
  return { series, changes: c.changes, topology: c.scenario.topology, service: t.victim, at: t.at, windowMs: t.windowMs, afterMs: t.afterMs };
}

/** Index of the true cause among the candidates, or -1 (not in the window, or unrecorded). */
export function truthIndex(c: Case, ev: readonly CandidateEvidence[]): number {
  return c.unrecorded ? -1 : ev.findIndex((e) => e.change.id === c.truth.cause.id);
}
