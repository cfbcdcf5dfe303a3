import type { MetricRule } from '../correlate';
import { groupSamples } from '../detect';
import type { Topology } from '../domain/types';
import type { EpicenterError } from '../errors';
import { loadMetricFiles, loadTopologyFile, nothingUsable, readText } from './files';
import type { SeriesData } from '../ports';
import { loadChartAssets, renderReplay, type RenderedReplay } from '../timeline';
import { buildSnapshot, decodeProposal, decodeQuantifiedChanges, decodeSnapshot, predict, type Prediction, type Proposal, type QuantifiedChange, type Snapshot } from '../whatif';
import { replay, type ReplayResult } from '../whatif/replay';
import type { VerdictStore } from '../whatif/store';
import type { StoredVerdict } from '../whatif/types';

export interface HistoryFiles {
  readonly metrics?: readonly string[];
  readonly changes?: readonly string[];
  readonly topology?: string;
}

/**
 * Metrics, changes (with their quantities) and topology from files; bad records are collected, the
 * rest used. A metric file with no usable point, or a change file whose every record was rejected,
 * is an error naming it (exit 2), as for every other command.
 */
export function loadHistory(o: HistoryFiles): { series: SeriesData[]; changes: QuantifiedChange[]; topology: Topology; rejected: EpicenterError[] } {
  const rejected: EpicenterError[] = [];
  let topology: Topology = { services: [] };
  if (o.topology !== undefined) {
    const t = loadTopologyFile(o.topology);
    topology = t.topology;
    rejected.push(...t.rejected);
  }
  const m = loadMetricFiles(o.metrics ?? []);
  for (const e of m.rejected) rejected.push(e);
  const changes: QuantifiedChange[] = [];
  for (const f of o.changes ?? []) {
    const text = readText(f);
    const d = decodeQuantifiedChanges(text, { file: f });
    if (d.values.length === 0 && d.errors.length > 0) throw nothingUsable(f, text, 'change events', d.errors);
    rejected.push(...d.errors);
    for (const v of d.values) changes.push(v);
  }
  return { series: groupSamples(m.samples), changes, topology, rejected };
}

export function teamsOf(changes: readonly QuantifiedChange[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const { change } of changes) if (change.team !== undefined) m.set(change.service, change.team);
  return m;
}

export function loadSnapshot(file: string): Snapshot {
  return decodeSnapshot(readText(file), { file });
}

export function loadProposal(file: string): Proposal {
  return decodeProposal(readText(file), { file });
}

/**
 * `epicenter replay`: the snapshot from the history before the proposal's time, its prediction,
 * the window [from, to) replayed with the effects injected, and the timeline page of it.
 */
export function replayWindow(h: { series: SeriesData[]; changes: QuantifiedChange[]; topology: Topology }, proposal: Proposal, from: number, to: number, metricRules: readonly MetricRule[] = []): { prediction: Prediction; result: ReplayResult; page: RenderedReplay } {
  const snap = buildSnapshot({ series: h.series, changes: h.changes, topology: h.topology, until: proposal.time, teams: teamsOf(h.changes) });
  const prediction = predict(snap, proposal);
  const changes = h.changes.map((c) => c.change);
  const result = replay({ series: h.series, changes, topology: h.topology, proposal, prediction, from, to, metricRules });
  const page = renderReplay({ proposal, prediction, result, changes, topology: h.topology, from, to }, loadChartAssets());
  return { prediction, result, page };
}

/** Keep a what-if verdict in the store; a failure is a warning on stderr (the verdict and its exit status stand). */
export async function keepVerdict(store: VerdictStore, v: StoredVerdict): Promise<void> {
  try {
    await store.insertWhatIfVerdicts([v]);
  } catch (e) {
    process.stderr.write(`warning: could not store the what-if verdict of ${v.proposal.id}: ${(e as Error).message}\n`);
  }
}
