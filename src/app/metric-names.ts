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
  return strictMetricRules(cfg.analysis.metricNamesFile, 'analysis.metricNamesFile');
}

/** The rules of `file` (the bundled ones when undefined); one that does not decode is an error naming `key`, its file and line. */
export function strictMetricRules(file: string | undefined, key: string): readonly MetricRule[] {
  const { rules, errors } = loadMetricNames(file, key);
  const first = errors[0];
  if (first !== undefined) throw new EpicenterError('BAD_CONFIG', `${key}: ${first.message}`, { origin: { field: key, ...first.origin } });
  return Object.freeze(rules);
}
