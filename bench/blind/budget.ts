/**
 * Keep an incident's metrics file near 30 MB: estimate the bytes every pod's exports take, then
 * shorten the history (10 min at a time, down to 30 min), keep one route per service, and coarsen
 * a 10 or 15 s step once (to 15 or 30 s), in that order, as long as the estimate does not fit.
 * `shrink` > 1 (from ./generate.ts, when a written file still came out too large) makes the
 * estimate stricter. As in the original script, nothing shrinks past that: a large world with a
 * 10 s step can stay above 30 MB.
 */
import type { Plot } from './scenarios';
import { edge, type Svc, type World } from './world';

const BUDGET = 24e6;

export function fitBudget(w: World, plot: Plot, shrink: number): void {
  const bytesPerExport = (s: Svc): number => {
    if (s.kind === 'ds') return w.resources ? 900 : 0;
    let b = 700 + s.routes.length * (s.baseErr > 0 || w.scenario !== 'e' ? 2 : 1.3) * 480;
    for (const c of s.children) if (edge(w, s.name, c).client) b += 2 * 420;
    if (w.resources) b += 500 + s.children.length * 250;
    return b;
  };
  const estimate = (): number => {
    let tot = 0;
    const F = 1.3 * shrink;
    for (const p of w.pods) {
      const life = Math.max(0, Math.min(p.end, w.T_p) - Math.max(p.start, w.T_p - w.histMin * 60000));
      tot += (life / w.step) * bytesPerExport(w.byName.get(p.svc)!) * F;
    }
    return tot;
  };
  while (estimate() > BUDGET && w.histMin > 30) w.histMin = Math.max(30, w.histMin - 10);
  if (estimate() > BUDGET) {
    for (const s of w.svcs) if (s.routes.length > 1) s.routes = [{ ...s.routes[0]!, w: 1 }];
    plot.notes.push('routes reduced for size');
  }
  if (estimate() > BUDGET && w.step < 30000) {
    w.step = w.step === 10000 ? 15000 : 30000;
    plot.notes.push('step doubled for size');
  }
}
