import { stringify } from 'yaml';
import type { ChangeEvent, Topology } from '../domain/types';
import type { QuantifiedEvent } from '../domain/quantities';
import type { InstanceStream, MetricNameRule, Scenario } from './types';

const ns = (ms: number): string => `${Math.round(ms)}000000`;
const attrs = (o: Readonly<Record<string, string>>): { key: string; value: { stringValue: string } }[] =>
  Object.keys(o).sort().map((key) => ({ key, value: { stringValue: o[key] ?? '' } }));

/**
 * OTLP/JSON metrics as the Collector's Kafka exporter writes them: one ExportMetricsServiceRequest
 * per line, here one per instance and batch of `pointsPerRequest` samples. int64 values and times
 * are decimal strings (protobuf JSON mapping); gauges for levels, a monotonic cumulative sum for
 * request counts (its start time moves when the process restarts, as a reset).
 */
export function writeOtlpNdjson(sc: Scenario, pointsPerRequest = 15): string {
  const lines = [...otlpNdjsonLines(sc, pointsPerRequest)];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * The lines of writeOtlpNdjson (without their newlines), one at a time: a world of a thousand
 * services writes more than V8's longest string (~512 MiB), so a file writer must not join them.
 */
export function* otlpNdjsonLines(sc: Scenario, pointsPerRequest = 15): Generator<string> {
  for (const st of sc.streams) yield* instanceLines(st, sc.start, sc.stepMs, pointsPerRequest);
}

function instanceLines(st: InstanceStream, start: number, stepMs: number, batch: number): string[] {
  const out: string[] = [];
  const n = st.metrics[0]?.values.length ?? 0;
  const sumStart = new Map<string, number>();
  for (let k0 = 0; k0 < n; k0 += batch) {
    // A batch never spans two resources: a version change starts a new one.
    for (let g = 0; g < st.segments.length; g++) {
      const seg = st.segments[g];
      if (seg === undefined) continue;
      const lo = Math.max(k0, Math.ceil((seg.from - start) / stepMs));
      const hi = Math.min(k0 + batch, n, Math.ceil(((st.segments[g + 1]?.from ?? Infinity) - start) / stepMs));
      if (lo >= hi) continue;
      const metrics: unknown[] = [];
      for (const m of st.metrics) {
        const points: unknown[] = [];
        for (let k = lo; k < hi; k++) {
          const v = m.values[k] ?? NaN;
          if (Number.isNaN(v)) continue;
          const t = start + k * stepMs;
          const p: Record<string, unknown> = { timeUnixNano: ns(t) };
          if (Object.keys(m.attrs).length > 0) p['attributes'] = attrs(m.attrs);
          if (m.kind === 'sum') {
            const key = m.name;
            const prev = k > 0 ? m.values[k - 1] : undefined;
            if (!sumStart.has(key) || (prev !== undefined && !Number.isNaN(prev) && v < prev)) sumStart.set(key, t - stepMs);
            p['startTimeUnixNano'] = ns(sumStart.get(key) ?? t);
          }
          if (m.int) p['asInt'] = String(Math.round(v));
          else p['asDouble'] = Math.round(v * 1e6) / 1e6;
          points.push(p);
        }
        if (points.length === 0) continue;
        metrics.push(
          m.kind === 'sum'
            ? { name: m.name, unit: m.unit, sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: points } }
            : { name: m.name, unit: m.unit, gauge: { dataPoints: points } },
        );
      }
      if (metrics.length === 0) continue;
      out.push(JSON.stringify({ resourceMetrics: [{ resource: { attributes: attrs(seg.resource) }, scopeMetrics: [{ scope: { name: 'epicenter-sim', version: '1' }, metrics }] }] }));
    }
  }
  return out;
}

/** CloudEvents 1.0, one JSON object per line; `data` carries team, summary, version, revertOf, keys and the quantities (settings, replicas, traffic, effects) when known. */
export function writeCloudEventsNdjson(changes: readonly ChangeEvent[]): string {
  const lines = changes.map((c) => {
    const data: Record<string, unknown> = { team: c.team, summary: c.summary };
    if (c.version !== undefined) data['version'] = c.version;
    if (c.revertOf !== undefined) data['revertOf'] = c.revertOf;
    if (c.keys !== undefined) data['keys'] = c.keys;
    Object.assign(data, (c as QuantifiedEvent).quantities);
    return JSON.stringify({
      specversion: '1.0', id: c.id, source: c.source, type: c.rawType, subject: c.service,
      time: new Date(c.time).toISOString(), datacontenttype: 'application/json', data,
    });
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Topology YAML: services: [{name, team, dependsOn, limits}]. */
export function writeTopologyYaml(t: Topology): string {
  return stringify({ services: t.services.map((s) => ({ name: s.name, team: s.team, dependsOn: [...s.dependsOn], limits: { ...s.limits } })) });
}

/** config/metrics.yaml for a scenario's own metric names (`epicenter analyze --metric-names`); empty when it uses the conventions. */
export function writeMetricRulesYaml(rules: readonly MetricNameRule[]): string {
  return rules.length === 0 ? '' : stringify({ metrics: rules.map((r) => ({ ...r })) });
}
