// `npm run bench:detect`: our streaming detector vs ruptures PELT and BinSeg on a labelled generated
// set and on the real NAB subset; throughput and per-series state. Writes bench/results/detect.md.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectSeries } from '../../src/detect';
import type { Point } from '../../src/domain/types';
import { generateSet } from './generate';
import { generateShort } from './short';
import { tcpdF1 } from './tcpd';
import { loadNab } from './nab';
import { BENCH_DIR, BINSEG_MAX_POINTS, PENALTY_C, ensureVenv, runRuptures } from './peers';
import { renderReport, type MethodScore } from './report';
import { matchIndices, nearest, prf, scoreWindows, type Counts } from './score';
import { stateMemory, throughput } from './speed';

const MARGIN = 5;
const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
/** The evaluation seed; the detector was developed on other seeds, never on this one. */
const SEED = Number(arg('--seed') ?? 20240601);
/** Short TCPD-like series in the set (15–800 samples each). */
const SHORT_COUNT = 400;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

function ours(points: Point[]): { idx: number[]; kinds: string[]; seconds: number } {
  const t0 = process.hrtime.bigint();
  const bs = detectSeries(points);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { idx: bs.map((b) => nearest(points, b.time)), kinds: bs.map((b) => b.kind), seconds };
}

function add(a: Counts, b: Counts): void {
  a.tp += b.tp;
  a.fp += b.fp;
  a.fn += b.fn;
}

function main(): void {
  const gen = generateSet(SEED);
  const short = generateShort(SEED + 1, SHORT_COUNT);
  const nab = loadNab();
  const genPoints = gen.reduce((s, x) => s + x.points.length, 0);
  const nabPoints = nab.reduce((s, x) => s + x.points.length, 0);
  log(`generated: ${gen.length} series, ${genPoints} points (seed ${SEED}); NAB: ${nab.length} series, ${nabPoints} points`);

  const methods = ['epicenter', 'ruptures PELT', 'ruptures BinSeg'] as const;
  const score = new Map<string, MethodScore>(methods.map((m) => [m, { gen: { tp: 0, fp: 0, fn: 0 }, nab: { tp: 0, fp: 0, fn: 0 }, shortF1: 0, seconds: 0, points: 0, ran: false }]));
  const shortF1 = (idx: (s: (typeof short)[number]) => number[]): number => short.reduce((sum, s) => sum + tcpdF1(s.truth, idx(s), MARGIN).f1, 0) / short.length;
  const perCategory = new Map<string, Counts & { kindOk: number }>();

  // ours
  const me = score.get('epicenter')!;
  me.ran = true;
  for (const s of gen) {
    const r = ours(s.points);
    const m = matchIndices(s.truth.map((x) => x.index), r.idx, MARGIN);
    add(me.gen, m);
    me.seconds += r.seconds;
    me.points += s.points.length;
    const c = perCategory.get(s.category) ?? { tp: 0, fp: 0, fn: 0, kindOk: 0 };
    add(c, m);
    for (const [ti, di] of m.matched) if (s.truth[ti]!.kind === r.kinds[di]) c.kindOk++;
    perCategory.set(s.category, c);
  }
  for (const s of nab) {
    const r = ours(s.points);
    add(me.nab, scoreWindows(s.windows, r.idx, MARGIN));
    me.seconds += r.seconds;
    me.points += s.points.length;
  }
  me.shortF1 = shortF1((s) => ours(s.points).idx);

  // peers, on the same series
  if (!args.includes('--skip-ruptures') && ensureVenv(log)) {
    log('running ruptures PELT and BinSeg…');
    const t0 = Date.now();
    const res = runRuptures([...gen, ...short].map((s) => ({ id: s.id, values: s.points.map((p) => p.v) })).concat(nab.map((s) => ({ id: s.key, values: s.points.map((p) => p.v) }))));
    log(`ruptures done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    for (const [name, key] of [['ruptures PELT', 'pelt'], ['ruptures BinSeg', 'binseg']] as const) {
      const ms = score.get(name)!;
      ms.ran = true;
      for (const s of gen) {
        const r = res.get(s.id)!;
        add(ms.gen, matchIndices(s.truth.map((x) => x.index), r[key], MARGIN));
        ms.seconds += r[`${key}_s`];
        ms.points += s.points.length;
      }
      for (const s of nab) {
        const r = res.get(s.key)!;
        add(ms.nab, scoreWindows(s.windows, r[key], MARGIN));
        ms.seconds += r[`${key}_s`];
        ms.points += s.points.length;
      }
      ms.shortF1 = shortF1((s) => res.get(s.id)![key]);
    }
  }

  log('measuring streaming throughput and state size…');
  // (memory first: the throughput run leaves a 16 MB Float64Array behind, whose backing store V8
  // may free after stateMemory's first reading, which then read ~0 bytes per detector)
  const memory = stateMemory();
  const speed = throughput();
  const shortPoints = short.reduce((s, x) => s + x.points.length, 0);
  const shortZero = shortF1(() => []);
  const report = renderReport({ seed: SEED, margin: MARGIN, penaltyC: PENALTY_C, binsegMax: BINSEG_MAX_POINTS, gen: { series: gen.length, points: genPoints }, nab: { series: nab.length, points: nabPoints }, short: { series: short.length, points: shortPoints, zero: shortZero }, score, perCategory, speed, memory, prf });
  process.stdout.write(report.table);
  writeFileSync(join(BENCH_DIR, 'results', 'detect.md'), report.markdown);
  log('wrote bench/results/detect.md');
}

main();
