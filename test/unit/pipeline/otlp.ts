/** Tiny OTLP/JSON builders for pipeline tests: one request with gauge points for one service. */
export interface GaugePoint {
  metric: string;
  t: number;
  v: number;
  attrs?: Record<string, string>;
}

export function otlpGauges(service: string, points: readonly GaugePoint[], instance = 'i-1'): string {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [kv('service.name', service), kv('service.instance.id', instance)] },
        scopeMetrics: [
          {
            scope: { name: 'test' },
            metrics: points.map((p) => ({
              name: p.metric,
              unit: '1',
              gauge: { dataPoints: [{ timeUnixNano: String(BigInt(p.t) * 1_000_000n), asDouble: p.v, attributes: Object.entries(p.attrs ?? {}).map(([k, v]) => kv(k, v)) }] },
            })),
          },
        ],
      },
    ],
  });
}

export function kv(key: string, value: string): { key: string; value: { stringValue: string } } {
  return { key, value: { stringValue: value } };
}

export function cloudEvent(id: string, service: string, type: string, time: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ specversion: '1.0', id, source: 'test', type: `com.acme.change.${type}`, subject: service, time: new Date(time).toISOString(), data: { team: 'a', summary: `${type} ${id}`, ...extra } });
}
