import { existsSync, readFileSync } from 'node:fs';
import type { Config } from '../config/schema';
import type { MetricRule } from '../correlate';
import { EpicenterError } from '../errors';
import { decodeMetricRules } from '../formats';
import { bundled } from './paths';

/** The rules of `file`, else of the bundled config/metrics.yaml; rejected rules as errors naming file:line. */
export function loadMetricNames(file: string | undefined, key: string): { rules: MetricRule[]; errors: EpicenterError[]; file?: string } {
  const chosen = file ?? bundled('config', 'metrics.yaml');
  if (file === undefined && !existsSync(chosen)) return { rules: [], errors: [] };
  let text: string;
  try {
    text = readFileSync(chosen, 'utf8');
  } catch (err) {
    throw new EpicenterError('BAD_CONFIG', `${key}: cannot read ${chosen}: ${(err as Error).message}`, { origin: { field: key, file: chosen } });
  }
  return { ...decodeMetricRules(text, { file: chosen }), file: chosen };
}

/**
 * The metric-name rules every analysis of a long-running process uses (HTTP API, Slack, timelines,
 * the demo), read once where the config enters: a rule that does not decode stops start-up, naming
 * its file and line, rather than silently reading a shop's names as unknown.
 */
export function metricRulesOf(cfg: Readonly<Config>): readonly MetricRule[] {
  const { rules, errors } = loadMetricNames(cfg.analysis.metricNamesFile, 'analysis.metricNamesFile');
  const first = errors[0];
  if (first !== undefined) throw new EpicenterError('BAD_CONFIG', `analysis.metricNamesFile: ${first.message}`, { origin: { field: 'analysis.metricNamesFile', ...first.origin } });
  return Object.freeze(rules);
}
