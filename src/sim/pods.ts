import type { Pod } from './dynamics';
import type { Effects } from './effects';
import type { SimService } from './world';

/**
 * The pods that fill slot `i` of `s` over time when releases come up on NEW pods (Kubernetes): each
 * rollout starts a pod with a new instance id on the new version (the slot's switch time, as an
 * in-place rollout would switch it), and the pod it replaces keeps running `fx.overlapMs` longer.
 */
export function podsOf(fx: Effects, s: SimService, i: number): Pod[] {
  const switches = fx.rollouts
    .filter((r) => r.service === s.name)
    .map((r) => ({ at: r.time + i * r.staggerMs + (i > 0 ? (r.canaryMs ?? 0) : 0), version: r.version }))
    .sort((a, b) => a.at - b.at);
  const pods: Pod[] = [];
  let from = -Infinity;
  let version = s.version;
  for (const x of switches) {
    pods.push({ version, from, to: x.at + fx.overlapMs });
    from = x.at;
    version = x.version;
  }
  pods.push({ version, from, to: Infinity });
  return pods;
}
