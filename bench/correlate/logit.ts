/**
 * The conditional logit with a "none of these" alternative, fitted by Adam on the exact
 * L2-regularised log-likelihood. Shared by fit.ts (writes the model) and cv.ts (held-out checks).
 */

export interface Group {
  /** One feature vector per candidate. */
  readonly x: readonly (readonly number[])[];
  /** Index of the cause among the candidates, -1 for "none" (cause not in the log). */
  readonly y: number;
  /** A fixed part of each candidate's logit, not fitted (e.g. an already fitted model's). */
  readonly offset?: readonly number[];
}

export interface Fitted {
  /** Weights, then the "none" logit last. */
  readonly theta: readonly number[];
  readonly meanLogLik: number;
}

function llGrad(groups: readonly Group[], theta: readonly number[], k: number, lambda: number, noneFixed?: number): { ll: number; g: number[] } {
  const g = new Array<number>(k + 1).fill(0);
  let ll = 0;
  for (const grp of groups) {
    const z = grp.x.map((xi, j) => dot(xi, theta) + (grp.offset?.[j] ?? 0));
    const z0 = noneFixed ?? theta[k] ?? 0;
    const m = z.reduce((a, v) => Math.max(a, v), z0);
    const ez = z.map((v) => Math.exp(v - m));
    const e0 = Math.exp(z0 - m);
    const tot = ez.reduce((s, v) => s + v, e0);
    ll += (grp.y >= 0 ? (z[grp.y] ?? 0) : z0) - m - Math.log(tot);
    for (let j = 0; j < grp.x.length; j++) {
      const p = (ez[j] ?? 0) / tot;
      const xj = grp.x[j] ?? [];
      for (let f = 0; f < k; f++) g[f] = (g[f] ?? 0) - p * (xj[f] ?? 0);
    }
    if (grp.y >= 0) {
      const xy = grp.x[grp.y] ?? [];
      for (let f = 0; f < k; f++) g[f] = (g[f] ?? 0) + (xy[f] ?? 0);
    }
    g[k] = noneFixed === undefined ? (g[k] ?? 0) + (grp.y < 0 ? 1 : 0) - e0 / tot : 0;
  }
  for (let f = 0; f < k; f++) {
    ll -= lambda * (theta[f] ?? 0) ** 2;
    g[f] = (g[f] ?? 0) - 2 * lambda * (theta[f] ?? 0);
  }
  return { ll, g };
}

export function dot(x: readonly number[], theta: readonly number[]): number {
  let s = 0;
  for (let f = 0; f < x.length; f++) s += (x[f] ?? 0) * (theta[f] ?? 0);
  return s;
}

/** `noneFixed`: keep the "none" logit at this value instead of fitting it (theta[k] then returns it). */
export function fitLogit(groups: readonly Group[], k: number, lambda = 0.02, iterations = 3000, noneFixed?: number): Fitted {
  const theta = new Array<number>(k + 1).fill(0);
  if (noneFixed !== undefined) theta[k] = noneFixed;
  const mom = new Array<number>(k + 1).fill(0);
  const vel = new Array<number>(k + 1).fill(0);
  let ll = -Infinity;
  for (let it = 1; it <= iterations; it++) {
    const r = llGrad(groups, theta, k, lambda, noneFixed);
    ll = r.ll;
    for (let f = 0; f <= k; f++) {
      const gk = (r.g[f] ?? 0) / groups.length;
      mom[f] = 0.9 * (mom[f] ?? 0) + 0.1 * gk;
      vel[f] = 0.999 * (vel[f] ?? 0) + 0.001 * gk * gk;
      theta[f] = (theta[f] ?? 0) + (0.05 * ((mom[f] ?? 0) / (1 - 0.9 ** it))) / (Math.sqrt((vel[f] ?? 0) / (1 - 0.999 ** it)) + 1e-8);
    }
  }
  return { theta, meanLogLik: ll / groups.length };
}

/** Rank of the cause under `score` (0 = first; ties count against it), -1 when it is not a candidate. */
export function causeRank(grp: Group, score: (x: readonly number[]) => number): number {
  if (grp.y < 0) return -1;
  const z = grp.x.map(score);
  const zy = z[grp.y] ?? 0;
  return z.filter((v, j) => j !== grp.y && v >= zy).length;
}
