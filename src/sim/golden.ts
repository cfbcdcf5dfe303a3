import { createRng, type Rng } from './prng';
import { rampFactor, type Effects } from './effects';
import type { ProcState } from './dynamics';
import type { AddChannel, Ctx } from './streams';
import type { SimService, World } from './world';

/** What the resource channels of one process said this step, for the golden signals computed after them. */
export interface Step {
  /** max(fds / fd limit, memory / memory limit) */
  fill: number;
  crashed: boolean;
}

/** Golden-signal names before renaming (./names.ts): semantic-convention summaries, decoded as `<name>.p50`. */
export const GOLDEN = {
  latencyP50: 'http.server.request.duration.p50',
  latencyP99: 'http.server.request.duration.p99',
  errors: 'http.server.error.ratio',
  requests: 'http.server.request.count',
  clientLatency: 'http.client.request.duration.p99',
  dbClientLatency: 'db.client.operation.duration.p99',
  clientCalls: 'http.client.request.count',
  dbClientCalls: 'db.client.operation.count',
} as const;

/** A process near its fd or memory limit slows down (GC, EMFILE retries), up to ×4 at the limit. */
function fillLatency(fill: number): number {
  return 1 + (3 * Math.max(0, fill - 0.75)) / 0.25;
}

/**
 * Latency percentiles, error ratio, request count and per-dependency client latency of one process:
 * its own processing time under any bad release it runs plus its dependencies' share (what every
 * caller then sees), failures of its own and passed up from dependencies, and slowing and failing
 * near a resource limit.
 */
export function addGolden(rng: Rng, w: World, fx: Effects, s: SimService, st: ProcState, step: Step, add: AddChannel, hasRequests: boolean, stepMs: number, svc: { readonly tail: number; readonly errors: number; readonly instance: string }): void {
  const bad = (): { latency: number; errors: number } => fx.bad.get(s.name)?.get(st.version) ?? { latency: 1, errors: 0 };
  // A process just started is a little slower (JIT, cold caches) for its first minutes.
  const cold = (c: Ctx): number => 1 + 0.25 * (1 - c.warm);
  const latency = (c: Ctx): number => {
    const own = s.latency * rampFactor(fx.latency.get(s.name), c.t, c.i) * bad().latency;
    return ((c.flow.latency.get(s.name) ?? 0) - (c.flow.own.get(s.name) ?? 0) + own) * fillLatency(step.fill) * cold(c);
  };
  const tail = svc.tail * rng.uniform(0.9, 1.1);
  const base = svc.errors * rng.uniform(0.8, 1.25);
  add(GOLDEN.latencyP50, 's', 'gauge', {}, false, rng.uniform(0.03, 0.08), latency);
  add(GOLDEN.latencyP99, 's', 'gauge', {}, false, rng.uniform(0.08, 0.2), (c) => tail * latency(c));
  add(GOLDEN.errors, '1', 'gauge', {}, false, rng.uniform(0.15, 0.35), (c) => {
    const passed = (c.flow.errors.get(s.name) ?? 0) - (c.flow.ownErrors.get(s.name) ?? 0);
    return Math.min(1, base + passed + bad().errors + (step.fill >= 0.97 || step.crashed ? 0.2 : 0));
  });
  if (!hasRequests) add(GOLDEN.requests, '{request}', 'sum', {}, true, rng.uniform(0.01, 0.03), (c) => ((c.flow.rate.get(s.name) ?? 0) / s.instances) * (stepMs / 1000));
  for (const d of s.deps) {
    const ds = w.byName.get(d);
    if (ds === undefined) continue;
    const attrs: Record<string, string> = w.labels.peer === 'peer.service' ? { 'peer.service': d } : { 'server.address': w.labels.peer === 'fqdn' ? `${d}.prod.svc.cluster.local` : d };
    add(ds.kind === 'db' ? GOLDEN.dbClientLatency : GOLDEN.clientLatency, 's', 'gauge', attrs, false, rng.uniform(0.08, 0.2), (c) => tail * ((c.flow.latency.get(d) ?? 0) + 0.001));
    // The count of the client duration histogram every OTel HTTP/DB client instrumentation records
    // by default: calls per callee. Its own random stream keeps the other channels' draws unchanged.
    const own = createRng(`${svc.instance}>${d}/calls`);
    add(ds.kind === 'db' ? GOLDEN.dbClientCalls : GOLDEN.clientCalls, '{request}', 'sum', attrs, true, own.uniform(0.01, 0.03), (c) => ((c.flow.calls.get(`${s.name}>${d}`) ?? 0) / s.instances) * (stepMs / 1000), own);
  }
}
