import assert from 'node:assert/strict';
import { dayOtlp, splitEdge } from '../../../bench/real/convert';
import type { NezhaDay, Table } from '../../../bench/real/nezha';

const T0 = Date.parse('2022-08-22T03:51:00Z');
const table = (columns: string[], rows: number[][]): Table => ({ columns, rows: rows.map((v, i) => ({ t: T0 + i * 60_000, v })) });

describe('bench real: per-edge latency of Online Boutique', () => {
  const services = new Set(['frontend', 'checkoutservice', 'email_service', 'email']);
  it('splits `caller_callee` where both halves are services, even when a name has an underscore', () => {
    assert.deepEqual(splitEdge('frontend_checkoutservice', services), ['frontend', 'checkoutservice']);
    assert.deepEqual(splitEdge('checkoutservice_email_service', services), ['checkoutservice', 'email_service']);
    assert.equal(splitEdge('timestamp', services), undefined);
  });

  it("writes the caller's side as its client duration naming the callee, the callee's side as its server duration naming the caller", () => {
    const cols = ['time', 'timestamp', 'frontend_checkoutservice'];
    const day: NezhaDay = {
      day: '2022-08-22', system: 'online-boutique', entry: 'frontend', pods: [], front: table(['Time'], []),
      edges: [['frontend', 'checkoutservice']], faults: [],
      edgeLatency: { source: table(cols, [[0, 0, 0.2], [0, 0, 0.3]]), destination: table(cols, [[0, 0, 0.1], [0, 0, NaN]]) },
    };
    interface Attr { key: string; value: { stringValue: string } }
    interface Req { resourceMetrics: { resource: { attributes: Attr[] }; scopeMetrics: { metrics: { name: string; gauge: { dataPoints: { attributes: Attr[] }[] } }[] }[] }[] }
    const attrs = (a: Attr[]): Record<string, string> => Object.fromEntries(a.map((x) => [x.key, x.value.stringValue]));
    const flat = dayOtlp(day).trim().split('\n').map((l) => {
      const rm = (JSON.parse(l) as Req).resourceMetrics[0];
      const m = rm?.scopeMetrics[0]?.metrics[0];
      return { svc: attrs(rm?.resource.attributes ?? [])['service.name'], name: m?.name, attrs: attrs(m?.gauge.dataPoints[0]?.attributes ?? []), n: m?.gauge.dataPoints.length };
    });
    assert.deepEqual(flat, [
      { svc: 'frontend', name: 'http.client.request.duration', attrs: { quantile: '0.5', 'server.address': 'checkoutservice' }, n: 2 },
      { svc: 'checkoutservice', name: 'http.server.request.duration', attrs: { quantile: '0.5', 'client.address': 'frontend' }, n: 1 },
    ]);
  });
});
