import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { buildContext, contextEvidence, featureVector, gatherEvidence, type CandidateEvidence, type Context } from '../../src/correlate';
import type { Breakpoint, ChangeEvent } from '../../src/domain/types';
import type { SeriesData } from '../../src/ports';
import type { Group } from './logit';
import type { MetricRule } from '../../src/correlate/golden';
import { decodeCloudEvents, decodeMetricRules } from '../../src/formats';
import { consolidateChanges } from '../../src/changes/merge';
import { MECHANISMS, scenarioSeries, simulate, writeCloudEventsNdjson, writeMetricRulesYaml, type Mechanism, type Scenario, type Truth } from '../../src/sim';

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
  const scenario = cachedSimulate(seed, mechanismFor(seed));
  const changes = unrecorded ? scenario.changes.filter((c) => c.id !== scenario.truth.cause.id) : scenario.changes;
  return { scenario, truth: scenario.truth, changes, unrecorded };
}

/** Mechanisms are balanced over consecutive seeds, in fitting and benchmark alike. */
export function mechanismFor(seed: number): Mechanism {
  return MECHANISMS[seed % MECHANISMS.length] ?? 'caller_connections';
}

/** Every benchmark and fitting incident draws its regime from the seed (one in five stays classic). */
export function benchScenario(seed: number, mechanism: Mechanism = mechanismFor(seed)): Scenario {
  return simulate({ seed, mechanism, varied: true });
}

function cachedSimulate(seed: number, mechanism: Mechanism): Scenario {
  const dir = process.env['EPICENTER_SIM_CACHE'];
  if (dir === undefined || dir === '') return benchScenario(seed, mechanism);
  const file = join(dir, `sim-v2-${seed}-${mechanism}.v8`);
  if (existsSync(file)) return deserialize(readFileSync(file)) as Scenario;
  const sc = benchScenario(seed, mechanism);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, serialize(sc));
  return sc;
}

/**
 * The scenario's metric-name rules as a user passes them: written as config/metrics.yaml text and
 * read back by the same decoder `epicenter analyze --metric-names` uses.
 */
export function scenarioRules(sc: Scenario): MetricRule[] {
  const text = writeMetricRulesYaml(sc.metricRules);
  if (text === '') return [];
  const r = decodeMetricRules(text, { file: `${sc.id}/metrics.yaml` });
  const bad = r.errors[0];
  if (bad !== undefined) throw bad;
  return r.rules;
}

/**
 * The case's change log as `epicenter analyze --changes` reads the simulator's file: written as
 * CloudEvents and decoded back, settings and all (`data.settings`, and those a summary names), and
 * consolidated as `loadChangeFiles` does.
 */
export function scenarioChanges(sc: Scenario, changes: readonly ChangeEvent[] = sc.changes): ChangeEvent[] {
  const d = decodeCloudEvents(writeCloudEventsNdjson(changes), { file: `${sc.id}/changes.ndjson` });
  const bad = d.errors[0];
  if (bad !== undefined) throw bad;
  return consolidateChanges(d.values);
}

export function analyzeInput(c: Case, series: readonly SeriesData[] = scenarioSeries(c.scenario)): Parameters<typeof gatherEvidence>[0] {
  const t = c.truth;
  return { series, changes: scenarioChanges(c.scenario, c.changes), topology: c.scenario.topology, service: t.victim, at: t.at, windowMs: t.windowMs, afterMs: t.afterMs, metricRules: scenarioRules(c.scenario) };
}

/** Index of the true cause among the candidates, or -1 (not in the window, or unrecorded). */
export function truthIndex(c: Case, ev: readonly CandidateEvidence[]): number {
  return c.unrecorded ? -1 : ev.findIndex((e) => e.change.id === c.truth.cause.id);
}

/**
 * The evidence for every candidate of a case. Set EPICENTER_BP_CACHE=<dir> to keep the detected
 * breakpoints between runs while working on the evidence features (clear it when the detector changes).
 */
export function caseEvidence(c: Case): { ctx: Context; evidence: CandidateEvidence[] } {
  const dir = process.env['EPICENTER_BP_CACHE'];
  if (dir === undefined || dir === '') return gatherEvidence(analyzeInput(c));
  const file = join(dir, `bp-${c.scenario.id}.v8`);
  const input = analyzeInput(c);
  let given: Breakpoint[] | undefined;
  if (existsSync(file)) given = deserialize(readFileSync(file)) as Breakpoint[];
  const ctx = buildContext(input, given);
  if (given === undefined) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, serialize(ctx.breakpoints));
  }
  return { ctx, evidence: contextEvidence(ctx) };
}

/** A case as the logit sees it: feature vectors and the cause's index (-1 when unrecorded). */
export function caseGroup(c: Case): Group {
  const { evidence } = caseEvidence(c);
  return { x: evidence.map(featureVector), y: truthIndex(c, evidence) };
}
