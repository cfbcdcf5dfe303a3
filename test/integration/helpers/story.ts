import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRateState, decodeOtlpMetrics } from '../../../src/formats';
import { simulate, writeCloudEventsNdjson, writeOtlpNdjson, writeTopologyYaml, type Scenario } from '../../../src/sim';

const DAY = 86_400_000;

/** The scenario moved by whole days so that it ends within the last day (a live stream, inside retention). */
export function shiftToNow(sc: Scenario, now = Date.now()): Scenario {
  const d = Math.floor((now - sc.end) / DAY) * DAY;
  return {
    ...sc,
    start: sc.start + d,
    end: sc.end + d,
    streams: sc.streams.map((st) => ({ ...st, segments: st.segments.map((s) => ({ ...s, from: s.from + d })) })),
    changes: sc.changes.map((c) => ({ ...c, time: c.time + d })),
    truth: { ...sc.truth, at: sc.truth.at + d, onset: sc.truth.onset + d, cause: { ...sc.truth.cause, time: sc.truth.cause.time + d } },
  };
}

export interface StoryInput {
  readonly scenario: Scenario;
  /** One OTLP request per line/message, keyed by service.name (the Collector's resource partitioning). */
  readonly metrics: { key: string; value: string }[];
  readonly changes: { key: string; value: string }[];
  /** Distinct (series, time) points the pipeline should store (counters yield no point for their first sample). */
  readonly expectedPoints: number;
  /** A config file pointing topologyFile at the scenario's topology. */
  readonly configFile: string;
}

export function storyInput(seed = 1): StoryInput {
  const scenario = shiftToNow(simulate({ seed, story: 'fd-exhaustion' }));
  const lines = writeOtlpNdjson(scenario).split('\n').filter((l) => l !== '');
  const metrics = lines.map((value) => ({ key: serviceOf(value), value }));
  const changes = writeCloudEventsNdjson(scenario.changes).split('\n').filter((l) => l !== '').map((value) => ({ key: (JSON.parse(value) as { subject: string }).subject, value }));
  const rates = createRateState();
  const seen = new Set<string>();
  for (const l of lines) for (const s of decodeOtlpMetrics(l, {}, rates).values) seen.add(`${s.series.id}@${s.t}`);
  const dir = tmpdir();
  const topo = join(dir, `epicenter-story-${process.pid}-${seed}.yaml`);
  writeFileSync(topo, writeTopologyYaml(scenario.topology));
  const configFile = join(dir, `epicenter-story-${process.pid}-${seed}.config.yaml`);
  writeFileSync(configFile, `topologyFile: ${JSON.stringify(topo)}\n`);
  return { scenario, metrics, changes, expectedPoints: seen.size, configFile };
}

function serviceOf(line: string): string {
  const m = /"service\.name","value":\{"stringValue":"([^"]*)"/.exec(line);
  return m?.[1] ?? '';
}
