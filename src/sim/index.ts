/** The incident simulator (pure): scenarios deterministic from a seed, and writers for every input format. */
export { simulate, STORIES, type Story } from './simulate';
export { scenarioSeries } from './series';
export { createRng, type Rng } from './prng';
export { writeOtlpNdjson, otlpNdjsonLines, writeCloudEventsNdjson, writeTopologyYaml, writeMetricRulesYaml } from './write';
export { writeTruthJson, parseTruthJson, type TruthFile } from './truth';
export { MECHANISMS, type Mechanism, type Scenario, type SimOptions, type Truth, type LabelStyle, type InstanceStream, type MetricStream, type Regime, type MetricNameRule } from './types';
