import { makeSeries } from '../domain/series';
import type { Point } from '../domain/types';
import type { StitchedSeries } from './stitch';

/**
 * Labels that name the process (pod, container, instance, the node it landed on, the release it
 * runs), not what is measured: series of one service differing only in these measure the same
 * thing on different instances. Kubernetes metadata as the Collector's k8sattributes processor adds
 * it by default differs per pod (node, start time, ReplicaSet) and per release (image tag).
 */
export const PROCESS_LABELS: ReadonlySet<string> = new Set([
  'service.instance.id', 'service.version', 'host.name', 'host.id', 'host.ip', 'process.pid', 'process.parent_pid',
  'k8s.pod.name', 'k8s.pod.uid', 'k8s.pod.ip', 'k8s.pod.start_time', 'k8s.node.name', 'k8s.node.uid', 'k8s.replicaset.name', 'k8s.replicaset.uid',
  'container.id', 'container.image.tag', 'container.image.id',
]);
/** Marks a series made by `acrossInstances` (the mean over the instances reporting at each step). */
export const ACROSS = 'epicenter.instances';

/**
 * Series that survive instance churn: in Kubernetes every release (and every restart of a pod)
 * brings NEW pods whose series start with no "before", and the old pods' series stop; a trouble
 * that grew across a rollout lives in no single series. For each measurement of a service
 * (same metric and labels but the process's) whose instances came or went inside the window, add
 * one series: the mean over the instances reporting at each sampling step, labelled `ACROSS`.
 * Measurements of a fixed set of instances get nothing new (their own series are continuous).
 */
export function acrossInstances(series: readonly StitchedSeries[], stepMs: number): StitchedSeries[] {
  const groups = new Map<string, StitchedSeries[]>();
  for (const s of series) {
    if (s.points.length === 0 || s.series.labels[ACROSS] !== undefined) continue;
    const labels = Object.entries(s.series.labels).filter(([k]) => !PROCESS_LABELS.has(k)).sort(([a], [b]) => a.localeCompare(b));
    const key = `${s.series.service}\u0000${s.series.metric}\u0000${JSON.stringify(labels)}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [s]);
    else g.push(s);
  }
  const out: StitchedSeries[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const first = g.reduce((m, s) => Math.min(m, s.points[0]?.t ?? Infinity), Infinity);
    const last = g.reduce((m, s) => Math.max(m, s.points[s.points.length - 1]?.t ?? -Infinity), -Infinity);
    const churn = g.some((s) => (s.points[0]?.t ?? first) > first + 2 * stepMs || (s.points[s.points.length - 1]?.t ?? last) < last - 2 * stepMs);
    if (!churn) continue;
    const slots = new Map<number, { sum: number; n: number }>();
    for (const s of g) {
      for (const p of s.points) {
        const k = Math.round(p.t / stepMs);
        const cell = slots.get(k) ?? { sum: 0, n: 0 };
        cell.sum += p.v;
        cell.n++;
        slots.set(k, cell);
      }
    }
    const points: Point[] = [...slots].sort((a, b) => a[0] - b[0]).map(([k, c]) => ({ t: k * stepMs, v: c.sum / c.n }));
    const one = g[0] as StitchedSeries;
    const labels: Record<string, string> = { [ACROSS]: 'mean' };
    for (const [k, v] of Object.entries(one.series.labels)) if (!PROCESS_LABELS.has(k)) labels[k] = v;
    out.push({ series: makeSeries(one.series.metric, labels, one.series.service, one.series.unit), points, versions: [] });
  }
  return out;
}
