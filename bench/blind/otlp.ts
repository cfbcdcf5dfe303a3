/**
 * OTLP/JSON pieces as the Collector's file exporter writes them: attributes, nanosecond times as
 * strings, cumulative explicit-bucket histograms (counts spread over the buckets by a log-normal),
 * and the resource attributes of an SDK and of the kubeletstats receiver.
 */
import type { Pod, Svc, World } from './world';

export const S_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
export const MS_BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
export const DB_BOUNDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

export type Attr = { readonly key: string; readonly value: { readonly stringValue: string } | { readonly intValue: string } };
export interface HistogramPoint { readonly attributes: Attr[]; readonly startTimeUnixNano: string; readonly timeUnixNano: string; readonly count: string; readonly sum: number; readonly bucketCounts: string[]; readonly explicitBounds: readonly number[] }
export interface NumberPoint { readonly attributes?: Attr[]; readonly startTimeUnixNano?: string; readonly timeUnixNano: string; readonly asInt?: string; readonly asDouble?: number }
export interface Metric {
  readonly name: string;
  readonly unit: string;
  readonly description?: string;
  readonly histogram?: { readonly aggregationTemporality: 2; readonly dataPoints: HistogramPoint[] };
  readonly sum?: { readonly aggregationTemporality: 2; readonly isMonotonic: false; readonly dataPoints: NumberPoint[] };
  readonly gauge?: { readonly dataPoints: NumberPoint[] };
}
export interface ResourceMetrics { readonly resource: { readonly attributes: Attr[] }; readonly scopeMetrics: { readonly scope: { readonly name: string; readonly version?: string }; readonly metrics: Metric[] }[] }

export const str = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
export const int = (key: string, v: string | number): Attr => ({ key, value: { intValue: String(v) } });
export const ns = (ms: number): string => `${BigInt(Math.round(ms)) * 1000000n}`;

function erf(x0: number): number {
  const s = Math.sign(x0);
  const x = Math.abs(x0);
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return s * y;
}
const lnCdf = (x: number, mu: number, sig: number): number => (x <= 0 ? 0 : 0.5 * (1 + erf((Math.log(x) - mu) / (sig * Math.SQRT2))));

interface Cumulative { count: number; sum: number; buckets: number[] }

/** Cumulative histograms per series key, as an SDK keeps them from its start. */
export class Histograms {
  private readonly cum = new Map<string, Cumulative>();

  has(key: string): boolean {
    return this.cum.has(key);
  }

  /**
   * Add n requests of mean `meanv` (log-normal spread sig) with total `sumv`; a series first seen
   * starts with initN requests already counted (a pod that was up before the history began).
   */
  bump(key: string, bounds: readonly number[], n: number, sumv: number, meanv: number, sig: number, initN = 0): Cumulative {
    let c = this.cum.get(key);
    if (!c) {
      c = { count: 0, sum: 0, buckets: new Array<number>(bounds.length + 1).fill(0) };
      this.cum.set(key, c);
      if (initN > 0) add(c, bounds, initN, initN * meanv, meanv, sig);
    }
    add(c, bounds, n, sumv, meanv, sig);
    return c;
  }
}

function add(c: Cumulative, bounds: readonly number[], n: number, sumv: number, meanv: number, sig: number): void {
  if (n <= 0) return;
  const mu = Math.log(Math.max(1e-6, meanv)) - (sig * sig) / 2;
  let prevC = 0;
  for (let i = 0; i <= bounds.length; i++) {
    const cdf = i < bounds.length ? lnCdf(bounds[i]!, mu, sig) : 1;
    const target = Math.round(n * cdf);
    c.buckets[i]! += target - prevC;
    prevC = target;
  }
  c.count += n;
  c.sum += sumv;
}

export const hpoint = (attrs: Attr[], c: Cumulative, start: number, t: number, bounds: readonly number[]): HistogramPoint => ({ attributes: attrs, startTimeUnixNano: ns(start), timeUnixNano: ns(t), count: String(c.count), sum: +c.sum.toFixed(6), bucketCounts: c.buckets.map(String), explicitBounds: bounds });

const SDK_VERSION: Readonly<Record<string, string>> = { java: '1.44.1', go: '1.32.0', nodejs: '1.28.0', python: '1.29.0', dotnet: '1.10.0' };
const workload = (s: Svc): string => (s.kind === 'ds' ? 'k8s.statefulset.name' : 'k8s.deployment.name');

/** What an SDK with the Kubernetes resource detectors puts on a pod's metrics. */
export const resAttrs = (w: World, s: Svc, p: Pod): Attr[] => [str('service.name', s.name), str('service.namespace', w.ns), str('service.version', p.version), str('service.instance.id', p.id), str('k8s.pod.name', p.name), str('k8s.namespace.name', w.ns), str(workload(s), s.name), str('k8s.node.name', p.node), str('telemetry.sdk.language', s.lang), str('telemetry.sdk.version', SDK_VERSION[s.lang] ?? '1.0.0')];

/** What the kubeletstats receiver (with k8sattributes) puts on a container's metrics: no service.name. */
export const kubeAttrs = (w: World, s: Svc, p: Pod): Attr[] => [str('k8s.pod.name', p.name), str('k8s.namespace.name', w.ns), str(workload(s), s.name), str('k8s.container.name', s.name), str('container.image.tag', p.version), str('k8s.node.name', p.node)];
