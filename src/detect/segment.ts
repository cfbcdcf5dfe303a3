/**
 * Offline segmentation of a short history into straight-line pieces (binary segmentation with a
 * BIC-like penalty), for the end of a finite input: a series too short for the streaming model
 * (15 samples) still gets a verdict, and changes in its first samples (before the streaming model
 * exists) are found. Arithmetic on at most a few hundred values in a module scratch buffer.
 */

/** A change between pieces: index of the first value of the new piece, and the two lines there. */
export interface Cut {
  readonly at: number;
  /** Left and right line at `at`: level and slope per index step. */
  readonly before: { level: number; slope: number };
  readonly after: { level: number; slope: number };
  /** Cost reduction over the penalty (≥ 1 when reported). */
  readonly strength: number;
}

/** Shortest piece, values (a line needs a few points to be more than noise). */
export const MIN_PIECE = 4;
/** Penalty per parameter in units of σ²·ln n (BIC says 1; short noisy series need more). */
export const PENALTY = 1.7;
const MAX_CUTS = 5;
/** φ is lowered by this many of its sampling errors (≈ 2/√n) so plain noise reads as φ = 0. */
const RHO_NOISE = 1;
/** Differences are clipped at this many σ_d before φ is read from them (a step is one or two big ones). */
const CLIP = 2;
/** Fewer values than this give too noisy a φ: it is taken as 0. */
const MIN_FOR_PHI = 30;
const CAP = 512;
const S = new Float64Array(5 * (CAP + 1));

/** Cuts in x[0..n) (at most MAX_CUTS, sorted by index) and the noise scale σ of the values. */
export function segmentLines(x: ArrayLike<number>, n: number): { cuts: Cut[]; sigma: number } {
  if (n < 2 * MIN_PIECE || n > CAP) return { cuts: [], sigma: 0 };
  prefix(x, n);
  const sigma2 = noiseVariance(x, n);
  const cuts = split(n, sigma2);
  return { cuts: cuts.sort((a, b) => a.at - b.at), sigma: Math.sqrt(sigma2) };
}

/**
 * Binary segmentation choosing, for each piece, the cheapest story by BIC (penalty PENALTY·σ²·ln n
 * per parameter): one level (1), one line (2), two levels (3: levels and location) or two lines
 * (5). A step in a short series is a two-level story even where one line fits it half well; a
 * trend change needs the two-line story; a steady trend stays one line.
 */
function split(n: number, sigma2: number): Cut[] {
  const P = PENALTY * sigma2 * Math.log(n);
  const found: Cut[] = [];
  const todo: [number, number][] = [[0, n]];
  while (todo.length > 0 && found.length < MAX_CUTS) {
    const [a, b] = todo.pop()!;
    if (b - a < 2 * MIN_PIECE) continue;
    const stay = Math.min(costMean(a, b) + P, cost(a, b) + 2 * P);
    let best = -1;
    let bestCost = stay;
    let lines = false;
    for (let t = a + MIN_PIECE; t <= b - MIN_PIECE; t++) {
      const m = costMean(a, t) + costMean(t, b) + 3 * P;
      const l = cost(a, t) + cost(t, b) + 5 * P;
      if (m < bestCost) [bestCost, best, lines] = [m, t, false];
      if (l < bestCost) [bestCost, best, lines] = [l, t, true];
    }
    if (best < 0) continue;
    const l = lines ? line(a, best) : flat(a, best);
    const r = lines ? line(best, b) : flat(best, b);
    found.push({ at: best, before: { level: l.c + l.s * best, slope: l.s }, after: { level: r.c + r.s * best, slope: r.s }, strength: 1 + (stay - bestCost) / P });
    todo.push([a, best], [best, b]);
  }
  return found;
}

/** Mean of [a, b) as a flat line. */
function flat(a: number, b: number): { c: number; s: number } {
  const [m, , , sy] = sums(a, b);
  return { c: sy / m, s: 0 };
}

/** Residual sum of squares around the mean of [a, b). */
function costMean(a: number, b: number): number {
  const [m, , , sy, syy] = sums(a, b);
  return Math.max(0, syy - (sy * sy) / m);
}

/** Prefix sums laid out in S, five per position: Σi, Σi², Σy, Σy², Σi·y. */
function prefix(x: ArrayLike<number>, n: number): void {
  for (let k = 0; k < 5; k++) S[k] = 0;
  for (let i = 0; i < n; i++) {
    const y = x[i]!;
    const o = 5 * i;
    S[o + 5] = S[o]! + i;
    S[o + 6] = S[o + 1]! + i * i;
    S[o + 7] = S[o + 2]! + y;
    S[o + 8] = S[o + 3]! + y * y;
    S[o + 9] = S[o + 4]! + i * y;
  }
}

/** [count, Σi, Σi², Σy, Σy², Σi·y] over [a, b). */
function sums(a: number, b: number): [number, number, number, number, number, number] {
  const d = (k: number): number => S[5 * b + k]! - S[5 * a + k]!;
  return [b - a, d(0), d(1), d(2), d(3), d(4)];
}

/** Least-squares line over [a, b): y = c + s·i. */
function line(a: number, b: number): { c: number; s: number } {
  const [m, si, sii, sy, , siy] = sums(a, b);
  const sxx = sii - (si * si) / m;
  const s = sxx > 0 ? (siy - (si * sy) / m) / sxx : 0;
  return { c: (sy - s * si) / m, s };
}

/** Residual sum of squares of the least-squares line over [a, b). */
function cost(a: number, b: number): number {
  const [m, si, sii, sy, syy, siy] = sums(a, b);
  const sxx = sii - (si * si) / m;
  const sxy = siy - (si * sy) / m;
  const syy0 = syy - (sy * sy) / m;
  return Math.max(0, syy0 - (sxx > 0 ? (sxy * sxy) / sxx : 0));
}

/**
 * Noise variance that a piece's mean is judged against, from first differences (a step or a trend
 * barely moves them): σ_d = 1.4826·MAD of the differences (mean |Δ|·√(π/2) when most tie, as
 * counts do), floored for constant data. Positively autocorrelated noise wanders like a change:
 * for AR(1) noise with coefficient φ the differences' lag-1 autocorrelation is −(1−φ)/2, so φ is
 * read from it (differences clipped at 3σ_d so a step does not count, less its sampling error
 * 2/√n), and the variance is σ_d²/2 · (1+φ)/(1−φ)²: the level's variance times the variance
 * inflation of a mean.
 */
function noiseVariance(x: ArrayLike<number>, n: number): number {
  const d: number[] = [];
  for (let i = 1; i < n; i++) d.push(x[i]! - x[i - 1]!);
  const med = median(d);
  const dev = d.map((v) => Math.abs(v - med));
  let s = 1.4826 * median(dev);
  if (!(s > 0)) s = (dev.reduce((p, v) => p + v, 0) / dev.length) * Math.sqrt(Math.PI / 2);
  const level = Math.abs(median(Array.from({ length: n }, (_, i) => x[i]!)));
  s = Math.max(s, 1e-4 * level, 1e-9);
  const c = d.map((v) => Math.max(-CLIP * s, Math.min(CLIP * s, v - med)));
  let s01 = 0;
  let s00 = 0;
  for (let i = 0; i < c.length; i++) {
    s00 += c[i]! * c[i]!;
    if (i > 0) s01 += c[i]! * c[i - 1]!;
  }
  const phi = n < MIN_FOR_PHI ? 0 : Math.max(0, Math.min(0.9, 1 + (2 * s01) / Math.max(s00, 1e-300) - (RHO_NOISE * 2) / Math.sqrt(n)));
  return ((s * s) / 2) * ((1 + phi) / (1 - phi) ** 2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}
