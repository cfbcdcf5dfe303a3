// Development loop (not part of the bench): our detector only, per category, on a tuning seed.
import { detectSeries } from '../../src/detect';
import { generateSet } from './generate';
import { loadNab } from './nab';
import { matchIndices, nearest, prf, scoreWindows } from './score';

const seed = Number(process.argv[2] ?? 7);
const margin = Number(process.env["MARGIN"] ?? 5);
const cats = new Map<string, { tp: number; fp: number; fn: number; kindOk: number }>();
const tot = { tp: 0, fp: 0, fn: 0 };
for (const s of generateSet(seed)) {
  const idx = new Map(s.points.map((p, i) => [p.t, i]));
  const bs = detectSeries(s.points);
  void idx;
  const det = bs.map((b) => nearest(s.points, b.time));
  const m = matchIndices(s.truth.map((x) => x.index), det, margin);
  const c = cats.get(s.category) ?? { tp: 0, fp: 0, fn: 0, kindOk: 0 };
  c.tp += m.tp; c.fp += m.fp; c.fn += m.fn;
  for (const [ti, di] of m.matched) if (s.truth[ti]!.kind === bs[di]!.kind) c.kindOk++;
  cats.set(s.category, c);
  tot.tp += m.tp; tot.fp += m.fp; tot.fn += m.fn;
  if (process.env['VERBOSE'] && (m.fp > 0 || m.fn > 0)) console.log(s.id, 'truth', s.truth.map((x) => `${x.index}:${x.kind}`).join(' '), 'det', bs.map((b, i) => `${det[i]}:${b.kind}@${idx.get(b.detectedAt)} m=${b.magnitude.toFixed(1)}`).join(' '));
}
for (const [k, c] of [...cats].sort()) console.log(k.padEnd(18), `tp ${c.tp} fp ${c.fp} fn ${c.fn} kind ${c.kindOk}/${c.tp}`);
const g = prf(tot);
console.log('GENERATED', tot, `P ${g.precision.toFixed(3)} R ${g.recall.toFixed(3)} F1 ${g.f1.toFixed(3)}`);
if (process.env['NAB']) {
  const nt = { tp: 0, fp: 0, fn: 0 };
  for (const s of loadNab()) {
    const det = detectSeries(s.points).map((b) => nearest(s.points, b.time));
    const c = scoreWindows(s.windows, det, margin);
    nt.tp += c.tp; nt.fp += c.fp; nt.fn += c.fn;
    console.log(s.key.padEnd(60), s.points.length, c);
  }
  const p = prf(nt);
  console.log('NAB', nt, `P ${p.precision.toFixed(3)} R ${p.recall.toFixed(3)} F1 ${p.f1.toFixed(3)}`);
}
