/**
 * The correlator (pure): given series, changes, topology and a service in trouble, rank the
 * changes by how likely each caused it, with calibrated scores and evidence. See docs/correlation.md.
 */
export { analyze, analyzeContext, contextEvidence, gatherEvidence, MAX_SUSPECTS } from './analyze';
export { buildContext, RADIUS, type AnalyzeInput, type Context } from './context';
export { acuteVector, ACUTE_FEATURES, candidateEvidence, fanIn, featureVector, FEATURES, withQuiet, type AcuteName, type CandidateEvidence, type FanIn, type FeatureName } from './features';
export { MODEL, type Model } from './model';
export { scoreAll, logit, modelLogit, softmaxWithNone } from './score';
export { ACUTE, type AcuteModel } from './acute-model';
export { classifyGolden, type Golden, type GoldenSignal, type MetricRule } from './golden';
export { stitchVersions, type StitchedSeries, type VersionSpan } from './stitch';
export { describeSignal, hhmm, duration, keyBreakpoints } from './explain';
export { metricClass, effectAt, type Signal, type Effect, type MetricClass } from './signals';
