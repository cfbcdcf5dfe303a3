/**
 * The correlator (pure): given series, changes, topology and a service in trouble, rank the
 * changes by how likely each caused it, with calibrated scores and evidence. See docs/correlation.md.
 */
export { analyze, analyzeContext, contextEvidence, gatherEvidence, MAX_SUSPECTS } from './analyze';
export { buildContext, RADIUS, type AnalyzeInput, type Context } from './context';
export { candidateEvidence, fanIn, featureVector, FEATURES, type CandidateEvidence, type FanIn, type FeatureName } from './features';
export { MODEL, type Model } from './model';
export { scoreAll, logit } from './score';
export { stitchVersions, type StitchedSeries, type VersionSpan } from './stitch';
export { describeSignal, hhmm, duration, keyBreakpoints } from './explain';
export { metricClass, effectAt, type Signal, type Effect, type MetricClass } from './signals';
