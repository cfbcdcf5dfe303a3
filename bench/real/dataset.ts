/**
 * The Nezha benchmark's incidents, read back through the project's own decoders: each day is
 * converted (convert.ts) to OTLP/JSON, CloudEvents and topology YAML text, and that text is decoded
 * by src/formats exactly as `epicenter analyze` would decode the files.
 */
import { join, resolve } from 'node:path';
import type { AnalyzeInput } from '../../src/correlate';
import { groupSamples } from '../../src/detect';
import type { ChangeEvent, Topology } from '../../src/domain/types';
import { createRateState, decodeCloudEvents, decodeMetricsFile, decodeTopology } from '../../src/formats';
import type { SeriesData } from '../../src/ports';
import { writeCloudEventsNdjson, writeTopologyYaml } from '../../src/sim';
import { dayChanges, dayIncidents, dayOtlp, dayTopology, type Incident } from './convert';
import { DAYS, loadDay } from './nezha';

/** Where the data set lives, relative to the repository root (a sibling checkout's shared folder). */
export const NEZHA_DIR = process.env['EPICENTER_NEZHA_DIR'] ?? join('..', 'shared', 'data', 'nezha');
/** The data folder: EPICENTER_NEZHA_DIR (absolute, or relative to the repository root) or NEZHA_DIR's default. */
export function nezhaDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(root, env['EPICENTER_NEZHA_DIR'] ?? join('..', 'shared', 'data', 'nezha'));
}
/** History before the page the correlator is given. @default 60 min */
export const WINDOW_MS = 60 * 60_000;

export interface DayData {
  readonly day: string;
  readonly system: Incident['system'];
  readonly series: readonly SeriesData[];
  readonly changes: readonly ChangeEvent[];
  readonly topology: Topology;
  readonly incidents: readonly Incident[];
  /** The day in text form, as files a user would pass to `epicenter analyze`. */
  readonly text: { readonly metrics: string; readonly changes: string; readonly topology: string };
  /** Records the decoders rejected (should be 0). */
  readonly rejected: number;
}

export function loadDayData(root: string, day: string): DayData {
  const raw = loadDay(root, day);
  const topo = dayTopology(raw);
  const text = { metrics: dayOtlp(raw), changes: writeCloudEventsNdjson(dayChanges(raw, topo)), topology: writeTopologyYaml(topo) };
  const m = decodeMetricsFile(text.metrics, { file: `${day}/metrics.ndjson` }, createRateState());
  const c = decodeCloudEvents(text.changes, { file: `${day}/changes.ndjson` });
  const t = decodeTopology(text.topology, { file: `${day}/topology.yaml` });
  return {
    day, system: raw.system, series: groupSamples(m.values), changes: c.values, topology: t.topology, incidents: dayIncidents(raw), text,
    rejected: m.errors.length + c.errors.length + t.errors.length,
  };
}

export function loadAll(root: string, days: readonly string[] = DAYS): DayData[] {
  return days.map((d) => loadDayData(root, d));
}

/** The correlator's question for one incident: metrics only up to the page, the change log up to the page. */
export function incidentInput(d: DayData, inc: Incident, windowMs = WINDOW_MS): AnalyzeInput {
  return {
    series: d.series, changes: d.changes.filter((c) => c.time <= inc.at), topology: d.topology,
    service: inc.service, at: inc.at, windowMs, afterMs: 0,
  };
}
