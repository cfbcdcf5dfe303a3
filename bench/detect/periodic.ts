import type { Plan } from './generate';
import type { Rng } from './prng';

const MIN = 60_000;

/** A periodic plan: generate.ts' Plan for a cycle that is not a day, with or without a real shift. */
export type PeriodicPlan = Plan;

/**
 * Cycles other than a day, which the detector must find from the data: a 2.4-hour wave at one
 * sample a minute, an hourly batch job (a 5–15 minute plateau), a 15-minute sawtooth at 10 s,
 * a weekly pattern in hourly data and a 12-sample cycle in daily data. Half carry a level shift
 * of 4–10σ after at least three cycles.
 */
export function periodicPlans(r: Rng, count: number): PeriodicPlan[] {
  const out: PeriodicPlan[] = [];
  const shapes = [
    { name: '2.4h-wave', dt: MIN, period: 144, wave: (ph: number) => Math.sin(2 * Math.PI * ph) },
    { name: 'hourly-batch', dt: MIN, period: 60, wave: (ph: number, duty = 0.17) => (ph < duty ? 2 : 0) },
    { name: '15m-sawtooth', dt: 10_000, period: 90, wave: (ph: number) => 2 * ph - 1 },
    { name: 'weekly', dt: 60 * MIN, period: 168, wave: (ph: number) => (ph < 5 / 7 ? 1 : -1.5) },
    { name: '12-sample', dt: 1440 * MIN, period: 12, wave: (ph: number) => Math.sin(2 * Math.PI * ph) },
  ];
  for (let k = 0; k < count; k++) {
    const sh = shapes[k % shapes.length]!;
    const withShift = Math.floor(k / shapes.length) % 2 === 1;
    const L = r.logBetween(1, 1e4);
    const s = L * r.logBetween(0.002, 0.05);
    const amp = s * r.between(2, 6);
    const n = sh.period * r.int(8, 16);
    const c = Math.floor(n * r.between(0.5, 0.8));
    const d = s * r.logBetween(4, 10) * (r() < 0.5 ? -1 : 1);
    const phase = r();
    out.push({
      category: `${withShift ? 'periodic+shift' : 'periodic'} ${sh.name}`,
      n,
      dt: sh.dt,
      signal: (i) => L + amp * sh.wave((((i / sh.period + phase) % 1) + 1) % 1) + (withShift && i >= c ? d : 0),
      noise: () => s * r.normal(),
      truth: withShift ? [{ index: c, kind: d > 0 ? 'level_up' : 'level_down' }] : [],
    });
  }
  return out;
}
