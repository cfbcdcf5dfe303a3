import type { BreakpointKind, Point } from '../../src/domain/types';
import { periodicPlans } from './periodic';
import { makeRng, type Rng } from './prng';

/** One labelled series: `truth` holds the index of the first sample of each new regime. */
export interface LabelledSeries {
  readonly id: string;
  readonly category: string;
  readonly points: Point[];
  readonly truth: { index: number; kind: BreakpointKind }[];
}

const T0 = Date.UTC(2024, 2, 4);
const INTERVALS = [10_000, 60_000, 300_000];

/** Noise of one family, unit scale. */
type Noise = (r: Rng) => number;
const gaussian: Noise = (r) => r.normal();
/** Student t3 rescaled to unit MAD-equivalent scale. */
const heavy: Noise = (r) => r.student(3) / 1.3;

/** One labelled series to render: its signal, noise and true breakpoints. */
export interface Plan {
  category: string;
  n: number;
  dt: number;
  /** Deterministic signal at index i (before noise). */
  signal: (i: number, t: number) => number;
  noise: (i: number) => number;
  truth: { index: number; kind: BreakpointKind }[];
  /** Optional sample-level edits: drop (missing), jitter times. */
  irregular?: boolean;
}

/**
 * The labelled generated set: ≥ 200 series over level shifts, leaks, ramps, seasonality, outliers,
 * heavy tails, irregular sampling, counter-reset spikes, variance changes and no-change controls.
 * Scale-free: levels span 1 … 10⁴ and noise 0.2 % … 5 % of the level.
 */
export function generateSet(seed: number): LabelledSeries[] {
  const r = makeRng(seed);
  const out: LabelledSeries[] = [];
  const add = (p: Plan): void => {
    out.push(render(r, `${p.category}-${out.length}`, p));
  };
  const base = (): { L: number; s: number } => {
    const L = r.logBetween(1, 1e4);
    return { L, s: L * r.logBetween(0.002, 0.05) };
  };
  const at = (n: number): number => Math.floor(n * r.between(0.3, 0.7));

  for (let k = 0; k < 40; k++) {
    const { L, s } = base();
    const n = r.int(400, 1200);
    const c = at(n);
    const d = s * r.logBetween(2, 12) * (r() < 0.5 ? -1 : 1);
    add({ category: 'level', n, dt: r.pick(INTERVALS), signal: (i) => L + (i >= c ? d : 0), noise: () => s * gaussian(r), truth: [{ index: c, kind: d > 0 ? 'level_up' : 'level_down' }] });
  }
  for (let k = 0; k < 15; k++) {
    const { L, s } = base();
    const n = r.int(600, 1500);
    const c1 = Math.floor(n * r.between(0.2, 0.4));
    const c2 = c1 + r.int(100, Math.floor(n * 0.4));
    const d = s * r.logBetween(3, 12);
    add({ category: 'release+rollback', n, dt: r.pick(INTERVALS), signal: (i) => L + (i >= c1 && i < c2 ? d : 0), noise: () => s * gaussian(r), truth: [{ index: c1, kind: 'level_up' }, { index: c2, kind: 'level_down' }] });
  }
  for (let k = 0; k < 30; k++) {
    const { L, s } = base();
    const n = r.int(500, 1200);
    const c = at(n);
    const slope = s * r.logBetween(0.01, 0.3) * (r() < 0.8 ? 1 : -1);
    add({ category: 'leak', n, dt: r.pick(INTERVALS), signal: (i) => L + (i >= c ? slope * (i - c) : 0), noise: () => s * gaussian(r), truth: [{ index: c, kind: 'slope_change' }] });
  }
  for (let k = 0; k < 15; k++) {
    const { L, s } = base();
    const n = r.int(600, 1200);
    const c1 = Math.floor(n * r.between(0.25, 0.45));
    const c2 = c1 + r.int(60, 200);
    const slope = (s * r.logBetween(8, 40)) / (c2 - c1);
    add({ category: 'ramp', n, dt: r.pick(INTERVALS), signal: (i) => L + slope * (Math.min(i, c2) - c1) * (i >= c1 ? 1 : 0), noise: () => s * gaussian(r), truth: [{ index: c1, kind: 'slope_change' }, { index: c2, kind: 'slope_change' }] });
  }
  for (let k = 0; k < 40; k++) {
    const { L, s } = base();
    const dt = r.pick([300_000, 900_000, 3_600_000]);
    const n = Math.floor((r.between(4, 8) * 86_400_000) / dt);
    const amp = s * r.logBetween(2, 20);
    const phase = r.between(0, 2 * Math.PI);
    const withChange = k % 2 === 1;
    const c = Math.floor(n * r.between(0.55, 0.8));
    const d = s * r.logBetween(3, 12) * (r() < 0.5 ? -1 : 1);
    add({
      category: withChange ? 'seasonal+shift' : 'seasonal',
      n,
      dt,
      signal: (i, t) => L + amp * Math.sin((2 * Math.PI * t) / 86_400_000 + phase) + (withChange && i >= c ? d : 0),
      noise: () => s * gaussian(r),
      truth: withChange ? [{ index: c, kind: d > 0 ? 'level_up' : 'level_down' }] : [],
    });
  }
  for (let k = 0; k < 30; k++) {
    const { L, s } = base();
    const n = r.int(500, 1200);
    const c = at(n);
    const withChange = k % 2 === 1;
    const d = s * r.logBetween(3, 12) * (r() < 0.5 ? -1 : 1);
    const rate = r.between(0.01, 0.03);
    let spikeLeft = 0;
    let spikeSize = 0;
    add({
      category: withChange ? 'outliers+shift' : 'outliers',
      n,
      dt: r.pick(INTERVALS),
      signal: (i) => L + (withChange && i >= c ? d : 0),
      noise: () => {
        if (spikeLeft === 0 && r() < rate) {
          spikeLeft = r() < 0.7 ? 1 : r.int(2, 3);
          spikeSize = s * r.logBetween(5, 50) * (r() < 0.5 ? -1 : 1);
        }
        if (spikeLeft > 0) {
          spikeLeft--;
          return spikeSize + s * gaussian(r);
        }
        return s * gaussian(r);
      },
      truth: withChange ? [{ index: c, kind: d > 0 ? 'level_up' : 'level_down' }] : [],
    });
  }
  for (let k = 0; k < 30; k++) {
    const { L, s } = base();
    const n = r.int(500, 1500);
    const c = at(n);
    const withChange = k % 2 === 1;
    const d = s * r.logBetween(3, 12) * (r() < 0.5 ? -1 : 1);
    add({ category: withChange ? 'heavy+shift' : 'heavy', n, dt: r.pick(INTERVALS), signal: (i) => L + (withChange && i >= c ? d : 0), noise: () => s * heavy(r), truth: withChange ? [{ index: c, kind: d > 0 ? 'level_up' : 'level_down' }] : [] });
  }
  for (let k = 0; k < 20; k++) {
    const { L, s } = base();
    const n = r.int(500, 1200);
    const c = at(n);
    const leak = k % 2 === 1;
    const d = s * r.logBetween(3, 12) * (r() < 0.5 ? -1 : 1);
    const slope = s * r.logBetween(0.03, 0.3);
    add({
      category: leak ? 'irregular+leak' : 'irregular+shift',
      n,
      dt: r.pick(INTERVALS),
      signal: (i) => L + (i >= c ? (leak ? slope * (i - c) : d) : 0),
      noise: () => s * gaussian(r),
      truth: [{ index: c, kind: leak ? 'slope_change' : d > 0 ? 'level_up' : 'level_down' }],
      irregular: true,
    });
  }
  for (let k = 0; k < 30; k++) {
    const { L, s } = base();
    const n = r.int(500, 1500);
    const kind = k % 3;
    let ar = 0;
    const phi = 0.5;
    add({
      category: ['control-gauss', 'control-ar1', 'control-counts'][kind]!,
      n,
      dt: r.pick(INTERVALS),
      signal: () => (kind === 2 ? Math.round(L) : L),
      noise: () => {
        if (kind === 0) return s * gaussian(r);
        if (kind === 1) return (ar = phi * ar + s * Math.sqrt(1 - phi * phi) * gaussian(r));
        return r() < 0.03 ? 1 : 0; // a quantised count that flickers up by one now and then
      },
      truth: [],
    });
  }
  for (let k = 0; k < 10; k++) {
    const { L, s } = base();
    const n = r.int(500, 1200);
    const c = at(n);
    const withChange = k % 2 === 1;
    const d = s * r.logBetween(3, 12);
    add({
      category: withChange ? 'reset+shift' : 'reset',
      n,
      dt: r.pick(INTERVALS),
      // a counter reset turned into a rate leaves one absurd sample (here: hugely negative)
      signal: (i) => L + (i === c ? -L * r.logBetween(10, 1000) : 0) + (withChange && i > c ? d : 0),
      noise: () => s * gaussian(r),
      truth: withChange ? [{ index: c + 1, kind: 'level_up' }] : [],
    });
  }
  for (let k = 0; k < 10; k++) {
    const { L, s } = base();
    const n = r.int(500, 1200);
    const c = at(n);
    const f = r.logBetween(4, 8);
    add({ category: 'variance', n, dt: r.pick(INTERVALS), signal: () => L, noise: (i) => s * gaussian(r) * (i >= c ? f : 1), truth: [{ index: c, kind: 'variance_change' }] });
  }
  for (let k = 0; k < 5; k++) {
    const L = Math.round(r.logBetween(10, 2000));
    const n = r.int(300, 800);
    const c = at(n);
    const d = r.int(1, 20) * (r() < 0.5 ? -1 : 1);
    add({ category: 'constant+shift', n, dt: r.pick(INTERVALS), signal: (i) => L + (i >= c ? d : 0), noise: () => 0, truth: [{ index: c, kind: d > 0 ? 'level_up' : 'level_down' }] });
  }
  for (const p of periodicPlans(r, 40)) add(p);
  return out;
}

function render(r: Rng, id: string, p: Plan): LabelledSeries {
  const points: Point[] = [];
  let t = T0;
  const keep: number[] = [];
  for (let i = 0; i < p.n; i++) {
    if (p.irregular === true) {
      t += Math.round(p.dt * r.between(0.5, 1.5) + (r() < 0.01 ? p.dt * r.int(5, 30) : 0));
      if (r() < 0.15) continue; // missing sample
    } else t += p.dt;
    keep.push(i);
    points.push({ t, v: p.signal(i, t) + p.noise(i) });
  }
  // Truth indices refer to generated samples; map them to the kept ones (first kept at or after).
  const truth = p.truth.map((x) => ({ index: keep.findIndex((k) => k >= x.index), kind: x.kind })).filter((x) => x.index >= 0);
  return { id, category: p.category, points, truth };
}
