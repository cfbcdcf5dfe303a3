/**
 * Fit the acute weights on ALL real incidents and write src/correlate/acute-model.ts (what ships).
 * The benchmark (run.ts) reports the same fit held out by system and by day; this one is in-sample.
 *
 *   npx tsx bench/real/fit.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACUTE_FEATURES, gatherEvidence } from '../../src/correlate';
import { decodeMetricRules } from '../../src/formats';
import { incidentInput, loadAll, nezhaDir } from './dataset';
import { fitAcute, type Case } from './folds';

const ROOT = join(__dirname, '../..');
const rules = decodeMetricRules(readFileSync(join(ROOT, 'config/metrics.yaml'), 'utf8'), { file: 'config/metrics.yaml' }).rules;
const cases: Case[] = [];
for (const d of loadAll(nezhaDir(ROOT))) {
  for (const inc of d.incidents) cases.push({ key: { system: d.system, day: d.day }, causeId: inc.causeId, evidence: gatherEvidence({ ...incidentInput(d, inc), metricRules: rules }).evidence });
}
const m = fitAcute(cases, `bench/real/fit.ts: ${cases.length} Nezha incidents (4 days, both systems), each also with its cause removed from the log`);
const file = join(ROOT, 'src/correlate/acute-model.ts');
const text = readFileSync(file, 'utf8');
const start = text.indexOf('export const ACUTE: AcuteModel = {');
const body = `export const ACUTE: AcuteModel = {
  weights: { ${ACUTE_FEATURES.map((f) => `${f}: ${m.weights[f]}`).join(', ')} },
  fittedOn: '${m.fittedOn}',
};
`;
writeFileSync(file, `${text.slice(0, start)}${body}`);
process.stdout.write(body);
