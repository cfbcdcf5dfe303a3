/**
 * For working on the evidence: fits on one block of FITTING seeds and reports held-out accuracy on
 * another (never the benchmark's seeds), per mechanism, with the misses spelled out.
 *
 *   npx tsx bench/correlate/cv.ts [fitCount=400] [evalFirst=5001] [evalCount=200]
 *
 * CV_LAMBDA sets the logit's L2 penalty, CV_ROUNDS the boosting rounds (0: the linear logit alone),
 * CV_VERBOSE=0 hides the misses.
 */
import { FEATURES, featureVector, type CandidateEvidence } from '../../src/correlate';
import { MECHANISMS } from '../../src/sim';
import { caseEvidence, caseGroup, makeCase, mechanismFor, truthIndex } from './dataset';
import { BOOST_DEFAULTS, fitScorer } from './boost';
import { causeRank, type Group } from './logit';

const fitCount = Number(process.argv[2] ?? 400);
const evalFirst = Number(process.argv[3] ?? 5001);
const evalCount = Number(process.argv[4] ?? 200);
const verbose = process.env['CV_VERBOSE'] !== '0';

const fitGroups: Group[] = [];
for (let seed = 1; seed <= fitCount; seed++) fitGroups.push(caseGroup(makeCase(seed, seed % 10 === 0)));
const rounds = Number(process.env['CV_ROUNDS'] ?? BOOST_DEFAULTS.rounds);
const { theta, trees, score } = fitScorer(fitGroups, FEATURES.length, Number(process.env['CV_LAMBDA'] ?? 0.02), { ...BOOST_DEFAULTS, rounds });
process.stdout.write(`weights: ${FEATURES.map((f, k) => `${f}=${(theta[k] ?? 0).toFixed(2)}`).join(' ')} none=${(theta[FEATURES.length] ?? 0).toFixed(2)} trees=${trees.length}\n`);

const tally = new Map<string, { n: number; top1: number; top3: number }>();
const bump = (k: string, r: number): void => {
  const t = tally.get(k) ?? { n: 0, top1: 0, top3: 0 };
  t.n++;
  if (r === 0) t.top1++;
  if (r >= 0 && r < 3) t.top3++;
  tally.set(k, t);
};
const hh = (t: number): string => new Date(t).toISOString().slice(11, 16);
const feats = (e: CandidateEvidence): string =>
  FEATURES.filter((f) => Math.abs(e.x[f]) > 0.01).map((f) => `${f}=${e.x[f].toFixed(2)}`).join(' ');

for (let seed = evalFirst; seed < evalFirst + evalCount; seed++) {
  const c = makeCase(seed);
  const { ctx, evidence } = caseEvidence(c);
  const g: Group = { x: evidence.map(featureVector), y: truthIndex(c, evidence) };
  const r = causeRank(g, score);
  const m = mechanismFor(seed);
  bump('all', r);
  bump(m, r);
  if (r === 0 || !verbose) continue;
  const order = evidence.map((e, i) => ({ e, z: score(g.x[i] ?? []) })).sort((a, b) => b.z - a.z);
  const cause = evidence[g.y];
  const line = (e: CandidateEvidence | undefined, z: number | undefined): string =>
    e === undefined ? 'not a candidate' : `${e.change.type} ${e.change.service} ${hh(e.change.time)} d=${e.path.dist} z=${z?.toFixed(2)} | ${feats(e)}`;
  process.stdout.write(`\nseed ${seed} ${m} rank ${r} victim ${ctx.victim} onset ${hh(ctx.onset)} planted onset ${hh(c.truth.onset)} at ${hh(ctx.at)}\n`);
  process.stdout.write(`  cause: ${line(cause, g.y >= 0 ? score(g.x[g.y] ?? []) : undefined)}\n`);
  for (const o of order.slice(0, 2)) if (o.e !== cause) process.stdout.write(`  above: ${line(o.e, o.z)}\n`);
}
process.stdout.write('\n');
for (const k of ['all', ...MECHANISMS]) {
  const t = tally.get(k);
  if (t !== undefined) process.stdout.write(`${k.padEnd(20)} n=${t.n} top1=${(t.top1 / t.n).toFixed(3)} top3=${(t.top3 / t.n).toFixed(3)}\n`);
}
