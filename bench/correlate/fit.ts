/**
 * Fits the correlator's scoring model (conditional logit with a "none of these" option) on
 * simulator scenarios from the FITTING seed range and writes src/correlate/model.ts.
 *
 *   npx tsx bench/correlate/fit.ts [count=240] [firstSeed=1]
 *
 * Every 10th scenario drops the true cause from the change log, so the "none" logit learns what
 * an unexplained incident looks like. L2-regularised; Adam on the exact log-likelihood.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURES, featureVector, gatherEvidence } from '../../src/correlate';
import { analyzeInput, FIT_SEEDS, makeCase, truthIndex } from './dataset';

interface Group {
  readonly x: number[][];
  /** index of the cause, -1 for "none" */
  readonly y: number;
}

const count = Number(process.argv[2] ?? 240);
const first = Number(process.argv[3] ?? FIT_SEEDS.from);
if (first < FIT_SEEDS.from || first + count > FIT_SEEDS.to) throw new RangeError('fitting seeds must stay inside FIT_SEEDS');

const groups: Group[] = [];
const t0 = Date.now();
for (let seed = first; seed < first + count; seed++) {
  const c = makeCase(seed, seed % 10 === 0);
  const { evidence } = gatherEvidence(analyzeInput(c));
  groups.push({ x: evidence.map(featureVector), y: truthIndex(c, evidence) });
  if ((seed - first) % 20 === 19) process.stderr.write(`${seed - first + 1}/${count} scenarios (${Math.round((Date.now() - t0) / 1000)} s)\n`);
}

const K = FEATURES.length;
const LAMBDA = 0.02;

/** Log-likelihood and gradient (weights…, none) of the conditional logit with a null alternative. */
function llGrad(theta: number[]): { ll: number; g: number[] } {
  const g = new Array<number>(K + 1).fill(0);
  let ll = 0;
  for (const grp of groups) {
    const z = grp.x.map((xi) => xi.reduce((s, v, k) => s + v * (theta[k] ?? 0), 0));
    const z0 = theta[K] ?? 0;
    const m = Math.max(z0, ...z);
    const ez = z.map((v) => Math.exp(v - m));
    const e0 = Math.exp(z0 - m);
    const tot = ez.reduce((s, v) => s + v, e0);
    ll += (grp.y >= 0 ? (z[grp.y] ?? 0) : z0) - m - Math.log(tot);
    for (let j = 0; j < grp.x.length; j++) {
      const p = (ez[j] ?? 0) / tot;
      const xj = grp.x[j] ?? [];
      for (let k = 0; k < K; k++) g[k] = (g[k] ?? 0) - p * (xj[k] ?? 0);
    }
    if (grp.y >= 0) {
      const xy = grp.x[grp.y] ?? [];
      for (let k = 0; k < K; k++) g[k] = (g[k] ?? 0) + (xy[k] ?? 0);
    }
    g[K] = (g[K] ?? 0) + (grp.y < 0 ? 1 : 0) - e0 / tot;
  }
  for (let k = 0; k < K; k++) {
    ll -= LAMBDA * (theta[k] ?? 0) ** 2;
    g[k] = (g[k] ?? 0) - 2 * LAMBDA * (theta[k] ?? 0);
  }
  return { ll, g };
}

const theta = new Array<number>(K + 1).fill(0);
const mom = new Array<number>(K + 1).fill(0);
const vel = new Array<number>(K + 1).fill(0);
let ll = -Infinity;
for (let it = 1; it <= 3000; it++) {
  const r = llGrad(theta);
  ll = r.ll;
  for (let k = 0; k <= K; k++) {
    const gk = (r.g[k] ?? 0) / groups.length;
    mom[k] = 0.9 * (mom[k] ?? 0) + 0.1 * gk;
    vel[k] = 0.999 * (vel[k] ?? 0) + 0.001 * gk * gk;
    theta[k] = (theta[k] ?? 0) + (0.05 * ((mom[k] ?? 0) / (1 - 0.9 ** it))) / (Math.sqrt((vel[k] ?? 0) / (1 - 0.999 ** it)) + 1e-8);
  }
}

let top1 = 0;
for (const grp of groups) {
  if (grp.y < 0) continue;
  const z = grp.x.map((xi) => xi.reduce((s, v, k) => s + v * (theta[k] ?? 0), 0));
  if (z.every((v, j) => j === grp.y || v < (z[grp.y] ?? 0))) top1++;
}
const recorded = groups.filter((g) => g.y >= 0).length;
process.stderr.write(`fitted on ${groups.length} scenarios (seeds ${first}..${first + count - 1}): mean log-lik ${(ll / groups.length).toFixed(3)}, in-sample top-1 ${(top1 / recorded).toFixed(3)}\n`);

const r3 = (v: number): number => Math.round(v * 1000) / 1000;
const weights = FEATURES.map((f, k) => `    ${f}: ${r3(theta[k] ?? 0)},`).join('\n');
const file = `import type { FeatureName } from './features';

/**
 * Coefficients of the conditional-logit scorer. Fitted offline on simulator scenarios by
 * bench/correlate/fit.ts (fitting seeds are disjoint from the benchmark's) — do not edit by hand;
 * re-run the script. \`none\` is the logit of "none of these changes" (a cause missing from the log).
 */
export interface Model {
  readonly weights: Readonly<Record<FeatureName, number>>;
  readonly none: number;
  readonly fittedOn: string;
}

export const MODEL: Model = {
  weights: {
${weights}
  },
  none: ${r3(theta[K] ?? 0)},
  fittedOn: 'bench/correlate/fit.ts: ${groups.length} scenarios, seeds ${first}..${first + count - 1}, every 10th with the cause unrecorded, L2 ${LAMBDA}',
};
`;
writeFileSync(join(__dirname, '../../src/correlate/model.ts'), file);
process.stderr.write('wrote src/correlate/model.ts\n');
