/** Seeded generators for the benchmark: mulberry32 uniform, Box–Muller normal, Student-t. */
export interface Rng {
  (): number;
  normal(): number;
  /** Student t with `df` degrees of freedom (heavy tails for small df). */
  student(df: number): number;
  between(lo: number, hi: number): number;
  /** Log-uniform in [lo, hi]. */
  logBetween(lo: number, hi: number): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
}

export function makeRng(seed: number): Rng {
  let s = seed >>> 0;
  const u = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    let a = 0;
    while (a === 0) a = u();
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
  const r = u as Rng;
  r.normal = normal;
  r.student = (df) => {
    let chi = 0;
    for (let i = 0; i < df; i++) chi += normal() ** 2;
    return normal() / Math.sqrt(chi / df);
  };
  r.between = (lo, hi) => lo + (hi - lo) * u();
  r.logBetween = (lo, hi) => Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * u());
  r.int = (lo, hi) => Math.floor(lo + (hi - lo + 1) * u());
  r.pick = (xs) => xs[Math.floor(u() * xs.length)]!;
  return r;
}
