/**
 * The blind generator's own random numbers (mulberry32), kept apart from src/sim/prng so that
 * nothing of the simulator leaks in. Every draw of an incident comes from one of these per seed.
 */
export interface Rng {
  /** uniform in [0, 1) */
  u(): number;
  uni(a: number, b: number): number;
  /** integer in [a, b] */
  int(a: number, b: number): number;
  pick<T>(arr: readonly T[]): T;
  chance(p: number): boolean;
  normal(): number;
  hex(n: number): string;
  alnum(n: number): string;
  shuffle<T>(arr: readonly T[]): T[];
  weighted<T>(pairs: readonly (readonly [T, number])[]): T;
  poisson(lam: number): number;
  binom(n: number, p: number): number;
  uuid(): string;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeRng(seed: number): Rng {
  const r = mulberry32((Math.imul(seed, 2654435761) ^ 0x5bd1e995) >>> 0);
  const chars = (n: number, alphabet: string): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)]!;
    return s;
  };
  const R: Rng = {
    u: r,
    uni: (a, b) => a + (b - a) * r(),
    int: (a, b) => a + Math.floor(r() * (b - a + 1)),
    pick: (arr) => arr[Math.floor(r() * arr.length)]!,
    chance: (p) => r() < p,
    normal: () => {
      let u = 0;
      while (u === 0) u = r();
      const v = r();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    hex: (n) => chars(n, '0123456789abcdef'),
    alnum: (n) => chars(n, 'bcdfghjklmnpqrstvwxz2456789'),
    shuffle: (arr) => {
      const a = arr.slice();
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [a[i], a[j]] = [a[j]!, a[i]!];
      }
      return a;
    },
    weighted: (pairs) => {
      const tot = pairs.reduce((s, p) => s + p[1], 0);
      let x = r() * tot;
      for (const [v, w] of pairs) {
        x -= w;
        if (x <= 0) return v;
      }
      return pairs[pairs.length - 1]![0];
    },
    poisson: (lam) => {
      if (lam <= 0) return 0;
      if (lam < 30) {
        const L = Math.exp(-lam);
        let k = 0;
        let p = 1;
        do {
          k++;
          p *= r();
        } while (p > L);
        return k - 1;
      }
      return Math.max(0, Math.round(lam + Math.sqrt(lam) * R.normal()));
    },
    binom: (n, p) => {
      if (n <= 0 || p <= 0) return 0;
      if (p >= 1) return n;
      if (n < 40) {
        let k = 0;
        for (let i = 0; i < n; i++) if (r() < p) k++;
        return k;
      }
      const m = n * p;
      if (m < 20) return Math.min(n, R.poisson(m));
      return Math.min(n, Math.max(0, Math.round(m + Math.sqrt(m * (1 - p)) * R.normal())));
    },
    uuid: () => `${R.hex(8)}-${R.hex(4)}-4${R.hex(3)}-${R.pick(['8', '9', 'a', 'b'])}${R.hex(3)}-${R.hex(12)}`,
  };
  return R;
}
