// Writes this folder's incident: `npx tsx examples/otel-canary/generate.ts`. Telemetry as OTel's HTTP
// server instrumentation records it — one cumulative `http.server.request.duration` histogram per
// pod, its count split by `http.response.status_code` — from two old cart pods (1.4.2), one canary
// pod (1.5.0) that fails a fifth of its requests, web (which calls cart and search) failing 4 % from
// two minutes after the canary, and search. The canary's deploy event names `v1.5.0`; a config change
// of web and a deploy of search land within a minute of it. Deterministic (no randomness).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = __dirname;
const T0 = Date.UTC(2026, 2, 12, 12, 0) / 1000;
const STEP = 60;
const PAGE = T0 + 3600;
const DEPLOY = PAGE - 8 * 60;
const PODS = [['cart', 'cart-a1', '1.4.2', T0], ['cart', 'cart-b2', '1.4.2', T0], ['cart', 'cart-n9', '1.5.0', DEPLOY + 60], ['web', 'web-x1', '3.0.1', T0], ['web', 'web-y2', '3.0.1', T0], ['search', 'search-s1', '2.2.0', T0], ['search', 'search-s2', '2.2.0', T0]] as const;
const RATE: Record<string, number> = { cart: 20, web: 30, search: 15 };
const LATENCY: Record<string, number> = { cart: 0.05, web: 0.12, search: 0.03 };
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
/** ±10 %, the same every run: a wiggle so that no series is perfectly flat. */
const wiggle = (i: number) => 1 + 0.1 * Math.sin(i * 2.3) * Math.cos(i * 0.7);

const totals = new Map<string, { count: number; sum: number }>();
const lines: string[] = [];
let i = 0;
for (let t = T0; t <= PAGE; t += STEP) {
  for (const [svc, pod, version, start] of PODS) {
    if (t < start) continue;
    i++;
    const canary = version === '1.5.0';
    const fail = canary ? 0.2 : svc === 'web' && t >= DEPLOY + 120 ? 0.04 : 0;
    const rate = (RATE[svc] ?? 1) * wiggle(i);
    const latency = (LATENCY[svc] ?? 0.1) * wiggle(i + 7) * (canary ? 1.3 : 1);
    const points = [];
    for (const [code, share] of [['200', 1 - fail], ['500', fail]] as const) {
      const key = `${pod} ${code}`;
      const n = Math.floor(rate * STEP * share);
      if (n === 0 && !totals.has(key)) continue;
      const acc = totals.get(key) ?? { count: 0, sum: 0 };
      acc.count += n;
      acc.sum += n * latency;
      totals.set(key, acc);
      points.push({ attributes: [str('http.request.method', 'GET'), { key: 'http.response.status_code', value: { intValue: code } }], startTimeUnixNano: `${start}000000000`, timeUnixNano: `${t}000000000`, count: String(acc.count), sum: acc.sum, explicitBounds: [], bucketCounts: [String(acc.count)] });
    }
    const resource = { attributes: [str('service.name', svc), str('service.instance.id', pod), str('service.version', version)] };
    const metric = { name: 'http.server.request.duration', unit: 's', histogram: { aggregationTemporality: 2, dataPoints: points } };
    lines.push(JSON.stringify({ resourceMetrics: [{ resource, scopeMetrics: [{ scope: { name: 'io.opentelemetry.http' }, metrics: [metric] }] }] }));
  }
}
writeFileSync(join(DIR, 'metrics.ndjson'), `${lines.join('\n')}\n`);
const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
const change = (id: string, source: string, type: string, subject: string, time: number, data: object) => JSON.stringify({ specversion: '1.0', id, source, type: `com.example.change.${type}`, subject, time: iso(time), data });
writeFileSync(join(DIR, 'changes.ndjson'), [
  change('web-timeout', '//config.example.com/web', 'config', 'web', DEPLOY - 50, { team: 'storefront', summary: 'web: upstream timeout 2s → 3s' }),
  change('cart-canary', '//argocd.example.com/cart', 'deploy', 'cart', DEPLOY, { team: 'cart', summary: 'cart canary v1.5.0 (1 of 3 pods)', version: 'v1.5.0' }),
  change('search-deploy', '//argocd.example.com/search', 'deploy', 'search', DEPLOY + 40, { team: 'search', summary: 'deploy search 2.3.0', version: '2.3.0' }),
].join('\n') + '\n');
writeFileSync(join(DIR, 'topology.yaml'), 'services:\n  - name: web\n    team: storefront\n    dependsOn: [cart, search]\n  - name: cart\n    team: cart\n    dependsOn: []\n  - name: search\n    team: search\n    dependsOn: []\n');
