// Development loop for short series (not part of the bench): mean TCPD F1 per category.
import { detectSeries } from '../../src/detect';
import { generateShort } from './short';
import { nearest } from './score';
import { tcpdF1 } from './tcpd';

const seed = Number(process.argv[2] ?? 5);
const count = Number(process.argv[3] ?? 200);
const cats = new Map<string, { n: number; f1: number; zero: number }>();
let sum = 0;
let zero = 0;
const all = generateShort(seed, count);
for (const s of all) {
  const bs = detectSeries(s.points);
  const det = bs.map((b) => nearest(s.points, b.time));
  const f = tcpdF1(s.truth, det).f1;
  const z = tcpdF1(s.truth, []).f1;
  sum += f;
  zero += z;
  const key = s.category.split('/')[0]!.includes('+') ? 'multi' : s.category.split('/')[0]!;
  const c = cats.get(key) ?? { n: 0, f1: 0, zero: 0 };
  c.n++;
  c.f1 += f;
  c.zero += z;
  cats.set(key, c);
  if (process.env['VERBOSE'] && f < 0.99) console.log(s.id, s.category, s.points.length, 'truth', s.truth.join(','), 'det', bs.map((b, i) => `${det[i]}:${b.kind}`).join(' '), f.toFixed(2));
}
for (const [k, c] of [...cats].sort()) console.log(k.padEnd(12), c.n, 'F1', (c.f1 / c.n).toFixed(3), 'zero', (c.zero / c.n).toFixed(3));
console.log('SHORT F1', (sum / all.length).toFixed(3), 'zero', (zero / all.length).toFixed(3), 'n', all.length);
