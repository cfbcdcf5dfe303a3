/**
 * Fits the correlator's scoring model (conditional logit with a "none of these" option) on
 * simulator scenarios from the FITTING seed range and writes src/correlate/model.ts.
 *
 *   npx tsx bench/correlate/fit.ts [count=400] [firstSeed=1]
 *
 * Mechanisms are balanced over consecutive seeds. Every 10th scenario drops the true cause from
 * the change log, so the "none" logit learns what an unexplained incident looks like.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURES } from '../../src/correlate';
import { caseGroup, FIT_SEEDS, makeCase } from './dataset';
import { BOOST_DEFAULTS, fitScorer, type IndexTree } from './boost';
import { causeRank, type Group } from './logit';

const count = Number(process.argv[2] ?? 400);
const first = Number(process.argv[3] ?? FIT_SEEDS.from);
if (first < FIT_SEEDS.from || first + count > FIT_SEEDS.to) throw new RangeError('fitting seeds must stay inside FIT_SEEDS');
const LAMBDA = 0.02;

const groups: Group[] = [];
const t0 = Date.now();
for (let seed = first; seed < first + count; seed++) {
  groups.push(caseGroup(makeCase(seed, seed % 10 === 0)));
  if ((seed - first) % 20 === 19) process.stderr.write(`${seed - first + 1}/${count} scenarios (${Math.round((Date.now() - t0) / 1000)} s)\n`);
}

const { theta, trees, score, meanLogLik } = fitScorer(groups, FEATURES.length, LAMBDA, BOOST_DEFAULTS);
const recorded = groups.filter((g) => g.y >= 0);
const top1 = recorded.filter((g) => causeRank(g, score) === 0).length;
process.stderr.write(`fitted on ${groups.length} scenarios (seeds ${first}..${first + count - 1}): linear mean log-lik ${meanLogLik.toFixed(3)}, ${trees.length} trees, in-sample top-1 ${(top1 / recorded.length).toFixed(3)}\n`);

const r3 = (v: number): number => Math.round(v * 1000) / 1000;
const K = FEATURES.length;
const weights = FEATURES.map((f, k) => `    ${f}: ${r3(theta[k] ?? 0)},`).join('\n');
const r6 = (v: number): number => Math.round(v * 1e6) / 1e6;
const tree = (n: IndexTree): string => ('v' in n ? `{ v: ${r6(n.v)} }` : `{ f: '${FEATURES[n.f] ?? ''}', t: ${r6(n.t)}, l: ${tree(n.l)}, r: ${tree(n.r)} }`);
const treeLines = trees.map((t) => `    ${tree(t)},`).join('\n');
const boost = `${BOOST_DEFAULTS.rounds} trees of depth ${BOOST_DEFAULTS.depth}, eta ${BOOST_DEFAULTS.eta}, leaf L2 ${BOOST_DEFAULTS.lambda}`;
const file = `import type { FeatureName } from './features';
import type { Tree } from './trees';

/**
 * The correlator's scorer: conditional-logit coefficients plus small boosted trees that add
 * corrections for interactions between evidence. Fitted offline on simulator scenarios by
 * bench/correlate/fit.ts (fitting seeds are disjoint from the benchmark's) — do not edit by hand;
 * re-run the script. \`none\` is the logit of "none of these changes" (a cause missing from the log).
 */
export interface Model {
  readonly weights: Readonly<Record<FeatureName, number>>;
  readonly trees: readonly Tree[];
  readonly none: number;
  readonly fittedOn: string;
}

export const MODEL: Model = {
  weights: {
${weights}
  },
  trees: [
${treeLines}
  ],
  none: ${r3(theta[K] ?? 0)},
  fittedOn: 'bench/correlate/fit.ts: ${groups.length} scenarios, seeds ${first}..${first + count - 1}, mechanisms balanced, every 10th with the cause unrecorded, L2 ${LAMBDA}; ${boost}',
};
`;
writeFileSync(join(__dirname, '../../src/correlate/model.ts'), file);
process.stderr.write('wrote src/correlate/model.ts\n');
