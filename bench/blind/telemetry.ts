/**
 * What a blind incident's pods export, as OTLP/JSON lines: each pod exports every step at its own
 * phase (plus, half the time, once more as it stops); each export carries the cumulative server
 * duration histogram per route and status code (HTTP in s, gRPC in ms), the client duration
 * histograms of the calls the pod makes (HTTP, gRPC, database; only for the calls with client
 * metrics), and with resource metrics on: memory, connection pools, open connections, file
 * descriptors, and the kubeletstats receiver's container CPU and memory under their own resource.
 * Counts are Poisson/binomial draws around the world's state, integrated over the export interval.
 */
import type { StateAt } from './model';
import { edgeFactor } from './model';
import { DB_BOUNDS, Histograms, hpoint, int, kubeAttrs, MS_BOUNDS, ns, resAttrs, S_BOUNDS, str, type HistogramPoint, type Metric, type NumberPoint, type ResourceMetrics } from './otlp';
import type { Effects } from './scenarios';
import { addrOf, clamp, edge, ramp, svc, type Pod, type Svc, type World } from './world';

const GRID = 5000;
const ERR_HTTP = [['500', 0.6], ['503', 0.4]] as const;
const ERR_GRPC = [['2', 0.5], ['14', 0.5]] as const;
const DB_PORT: Readonly<Record<string, number>> = { postgresql: 5432, mysql: 3306, redis: 6379, memcached: 11211, mongodb: 27017, elasticsearch: 9200 };

interface Export { readonly t: number; readonly p: Pod; readonly prev: number | null }
interface ChildLoad { r: number; l: number; e: number }
/** One export of one pod: the interval's mean request rate, latency and failed share, and per callee the calls made. */
interface Interval {
  readonly w: World;
  readonly s: Svc;
  readonly p: Pod;
  readonly t: number;
  /** a pod's first export since the history began: its cumulative series start with what came before */
  readonly first: boolean;
  readonly H: number;
  readonly dt: number;
  readonly meanRate: number;
  readonly lat0: number;
  readonly err0: number;
  /** callee → summed calls (r), calls × latency (l), calls × failed share (e) over the grid cells */
  readonly child: ReadonlyMap<string, ChildLoad>;
  /** grid cells integrated */
  readonly cells: number;
  readonly effects: Effects;
  readonly hist: Histograms;
}

function schedule(w: World, H: number): Export[] {
  const { R, step } = w;
  const out: Export[] = [];
  for (const p of w.pods) {
    p.phase = R.uni(0, step);
    let t = p.start < H ? H + p.phase : p.start + R.uni(0.3, 1) * step;
    const last = Math.min(p.end, w.T_p);
    let prev = p.start < H ? null : p.start;
    while (t <= last) {
      out.push({ t: Math.round(t + R.uni(-40, 40)), p, prev });
      prev = t;
      t += step;
    }
    if (p.end < w.T_p && R.chance(0.5) && (prev === null || p.end - prev > 1000)) out.push({ t: Math.round(p.end), p, prev });
  }
  return out.sort((a, b) => a.t - b.t);
}

const isErrCode = (code: string): boolean => code.startsWith('5') || code === '14' || code === '2';

function serverMetric(x: Interval, spike: number, errSpike: number): Metric {
  const { w, s, p, t, hist } = x;
  const { R } = w;
  const n = R.poisson(x.meanRate * x.dt * (1 + 0.03 * R.normal()));
  const sigS = Math.sqrt(s.sigma ** 2 + 0.36 / Math.max(1, n));
  const grpc = s.proto === 'grpc';
  const bounds = grpc ? MS_BOUNDS : S_BOUNDS;
  const unitMul = grpc ? 1000 : 1;
  const points: HistogramPoint[] = [];
  for (const rt of s.routes) {
    const nr = R.binom(n, rt.w);
    const ne = R.binom(nr, clamp(x.err0 + errSpike, 0, 1));
    const n4 = R.binom(nr - ne, s.p4xx * (grpc ? 0.5 : 1));
    const nok = nr - ne - n4;
    const mean = x.lat0 * Math.exp(sigS * R.normal()) * spike * unitMul;
    const codes = grpc ? ERR_GRPC : ERR_HTTP;
    const ne1 = R.binom(ne, codes[0][1]);
    const parts: [string, number, number][] = [
      [grpc ? '0' : (rt.method === 'POST' ? '201' : '200'), nok, 1 - s.baseErr - s.p4xx],
      [grpc ? '5' : '404', n4, s.p4xx * (grpc ? 0.5 : 1)],
      [codes[0][0], ne1, s.baseErr * codes[0][1]],
      [codes[1][0], ne - ne1, s.baseErr * codes[1][1]],
    ];
    for (const [code, k, share] of parts) {
      const key = `${p.name}|${rt.route}|${code}`;
      const initN = x.first ? Math.round(x.meanRate * rt.w * share * ((x.H - p.start) / 1000) * R.uni(0.6, 1)) : 0;
      if (k === 0 && initN === 0 && !hist.has(key)) continue;
      const c = hist.bump(key, bounds, k, k * mean * (isErrCode(code) ? R.uni(0.7, 1.3) : 1), mean, 0.6, initN);
      const attrs = grpc ? [str('rpc.system', 'grpc'), str('rpc.service', s.rpcService), str('rpc.method', rt.route), int('rpc.grpc.status_code', code)]
        : [str('http.request.method', rt.method), str('http.route', rt.route), int('http.response.status_code', code), str('url.scheme', 'http')];
      if (!grpc && code.startsWith('5')) attrs.push(str('error.type', code));
      points.push(hpoint(attrs, c, p.start, t, bounds));
    }
  }
  return { name: grpc ? 'rpc.server.duration' : 'http.server.request.duration', unit: grpc ? 'ms' : 's', description: grpc ? 'Measures the duration of inbound RPC.' : 'Duration of HTTP server requests.', histogram: { aggregationTemporality: 2, dataPoints: points } };
}

function clientMetrics(x: Interval): Metric[] {
  const { w, s, p, t, hist } = x;
  const { R } = w;
  const httpC: HistogramPoint[] = [];
  const grpcC: HistogramPoint[] = [];
  const dbC: HistogramPoint[] = [];
  for (const cn of s.children) {
    const cc = x.child.get(cn);
    if (!edge(w, s.name, cn).client || !cc) continue;
    const cr = cc.r / x.cells;
    const cl = cc.l / cc.r;
    const ce = cc.e / cc.r;
    const nc = R.poisson(cr * x.dt);
    const ne = R.binom(nc, ce);
    const C = svc(w, cn);
    const mean = (cl + 0.0008) * Math.exp(Math.sqrt(0.05 ** 2 + 0.36 / Math.max(1, nc)) * R.normal());
    const initN = (ok: boolean): number => (ok && x.first ? Math.round(cr * ((x.H - p.start) / 1000) * R.uni(0.6, 1)) : 0);
    if (C.kind === 'ds') {
      for (const [ok, k] of [[true, nc - ne], [false, ne]] as const) {
        const key = `${p.name}|db|${cn}|${ok}`;
        const n0 = initN(ok);
        if (k === 0 && n0 === 0 && !hist.has(key)) continue;
        const c = hist.bump(key, DB_BOUNDS, k, k * mean, mean, 0.7, n0);
        const attrs = [str('db.system.name', C.dbSystem), str('db.operation.name', C.dbSystem === 'redis' || C.dbSystem === 'memcached' ? 'GET' : 'SELECT'), str('server.address', addrOf(w, cn)), int('server.port', DB_PORT[C.dbSystem]!)];
        if (!ok) attrs.push(str('error.type', 'timeout'));
        dbC.push(hpoint(attrs, c, p.start, t, DB_BOUNDS));
      }
    } else if (C.proto === 'grpc') {
      for (const [code, k] of [['0', nc - ne], ['14', ne]] as const) {
        const key = `${p.name}|grpcc|${cn}|${code}`;
        const n0 = initN(code === '0');
        if (k === 0 && n0 === 0 && !hist.has(key)) continue;
        const c = hist.bump(key, MS_BOUNDS, k, k * mean * 1000, mean * 1000, 0.6, n0);
        grpcC.push(hpoint([str('rpc.system', 'grpc'), str('rpc.service', C.rpcService), str('rpc.method', C.routes[0]!.route), str('server.address', addrOf(w, cn)), int('rpc.grpc.status_code', code)], c, p.start, t, MS_BOUNDS));
      }
    } else {
      for (const [code, k] of [['200', nc - ne], ['500', ne]] as const) {
        const key = `${p.name}|httpc|${cn}|${code}`;
        const n0 = initN(code === '200');
        if (k === 0 && n0 === 0 && !hist.has(key)) continue;
        const c = hist.bump(key, S_BOUNDS, k, k * mean, mean, 0.6, n0);
        const attrs = [str('http.request.method', 'GET'), str('server.address', addrOf(w, cn)), int('server.port', 8080), int('http.response.status_code', code)];
        if (code === '500') attrs.push(str('error.type', '500'));
        httpC.push(hpoint(attrs, c, p.start, t, S_BOUNDS));
      }
    }
  }
  const out: Metric[] = [];
  if (httpC.length) out.push({ name: 'http.client.request.duration', unit: 's', histogram: { aggregationTemporality: 2, dataPoints: httpC } });
  if (grpcC.length) out.push({ name: 'rpc.client.duration', unit: 'ms', histogram: { aggregationTemporality: 2, dataPoints: grpcC } });
  if (dbC.length) out.push({ name: 'db.client.operation.duration', unit: 's', histogram: { aggregationTemporality: 2, dataPoints: dbC } });
  return out;
}

/** The SDK's own resource metrics: process memory, connection pools to datastores, open HTTP connections, file descriptors. */
function processMetrics(x: Interval): Metric[] {
  const { w, s, p, t, effects } = x;
  const { R } = w;
  const out: Metric[] = [];
  const gaugeSum = (name: string, unit: string, dataPoints: NumberPoint[]): Metric => ({ name, unit, sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints } });
  const at = { startTimeUnixNano: ns(p.start), timeUnixNano: ns(t) };
  if (w.memName === 'process.memory.usage') out.push(gaugeSum('process.memory.usage', 'By', [{ ...at, asInt: String(Math.round(s.memBase * (1 - 0.35 * Math.exp(-(t - p.start) / 300e3)) * (1 + 0.02 * R.normal()))) }]));
  let conns = 0;
  const poolPts: NumberPoint[] = [];
  const httpConnPts: NumberPoint[] = [];
  for (const cn of s.children) {
    const cc = x.child.get(cn);
    if (!cc) continue;
    const cr = cc.r / x.cells;
    const cl = cc.l / cc.r;
    let active = Math.max(0, cr * cl * (1 + 0.1 * R.normal()));
    let idle = Math.max(1, Math.round((2 + cr * 0.02) * (1 + 0.1 * R.normal())));
    const pool = effects.pool;
    if (pool && pool.from === s.name && pool.to === cn) {
      const r = ramp(t, pool.start, pool.dur);
      idle = Math.round(idle * (1 + (pool.k - 1) * r));
      active *= 1 + (pool.k - 1) * r * 0.5;
    }
    const used = Math.round(active);
    conns += used + idle;
    if (svc(w, cn).kind === 'ds') {
      const pn = `${s.name}-${cn}-pool`;
      const [nameKey, stateKey] = w.poolName === 'db.client.connection.count' ? ['db.client.connection.pool.name', 'db.client.connection.state'] : ['pool.name', 'state'];
      poolPts.push({ attributes: [str(nameKey, pn), str(stateKey, 'used')], ...at, asInt: String(used) }, { attributes: [str(nameKey, pn), str(stateKey, 'idle')], ...at, asInt: String(idle) });
    } else {
      const a = [str('server.address', addrOf(w, cn)), int('server.port', 8080)];
      httpConnPts.push({ attributes: [...a, str('http.connection.state', 'active')], ...at, asInt: String(used) }, { attributes: [...a, str('http.connection.state', 'idle')], ...at, asInt: String(idle) });
    }
  }
  if (poolPts.length) out.push(gaugeSum(w.poolName, '{connection}', poolPts));
  if (httpConnPts.length) out.push(gaugeSum('http.client.open_connections', '{connection}', httpConnPts));
  if (w.fdsOn) {
    // inbound connections hold descriptors too: about the concurrency
    const inbound = x.meanRate * x.lat0;
    out.push(gaugeSum('process.open_file_descriptor.count', '{file_descriptor}', [{ ...at, asInt: String(Math.round(s.fdBase + conns + inbound * (1 + 0.1 * R.normal()) + R.int(-3, 3))) }]));
  }
  return out;
}

/** The kubeletstats receiver's container CPU and memory. */
function kubeletMetrics(x: Interval): Metric[] {
  const { w, s, p, t, effects } = x;
  const { R } = w;
  let load = x.meanRate * s.cpuPerReq * (x.lat0 / (s.own + 1e-9)) ** 0.2;
  if (s.kind === 'ds') {
    load = x.meanRate * s.cpuPerReq * 0.3;
    const se = effects.svcLat.get(s.name);
    if (se && se.cpu) load *= 1 + 3 * ramp(t, se.start, se.dur);
  }
  if (effects.sat && effects.sat.svc === s.name) load *= 1.3;
  const cpu = Math.min(s.cpuLimit, (0.02 + load) * Math.exp(0.08 * R.normal()));
  const km: Metric[] = [w.cpuName === 'container.cpu.usage'
    ? { name: 'container.cpu.usage', unit: '{cpu}', gauge: { dataPoints: [{ timeUnixNano: ns(t), asDouble: +cpu.toFixed(5) }] } }
    : { name: 'k8s.pod.cpu.utilization', unit: '1', gauge: { dataPoints: [{ timeUnixNano: ns(t), asDouble: +(cpu / s.cpuLimit).toFixed(5) }] } }];
  if (w.memName === 'container.memory.usage' || s.kind === 'ds') km.push({ name: 'container.memory.usage', unit: 'By', gauge: { dataPoints: [{ timeUnixNano: ns(t), asInt: String(Math.round(s.memBase * (1 - 0.3 * Math.exp(-(t - p.start) / 300e3)) * (1 + 0.02 * R.normal()))) }] } });
  return km;
}

/** Every export of every pod from H to the page, as NDJSON lines of `{resourceMetrics: […]}` batches. */
export function emit(w: World, effects: Effects, H: number, stateAt: StateAt): string[] {
  const { R, step } = w;
  const G0 = H - step - 10e3;
  const nG = Math.ceil((w.T_p - G0) / GRID) + 2;
  const grid = Array.from({ length: nG }, (_, i) => stateAt(G0 + i * GRID, true));
  const gi = (t: number): number => clamp(Math.floor((t - G0) / GRID), 0, nG - 1);
  const hist = new Histograms();
  const lines: string[] = [];
  let batch: ResourceMetrics[] = [];
  let batchT: number | null = null;
  const flush = (): void => {
    if (batch.length) lines.push(JSON.stringify({ resourceMetrics: batch }));
    batch = [];
  };
  for (const ex of schedule(w, H)) {
    const { p, t } = ex;
    const s = svc(w, p.svc);
    const from = ex.prev ?? t - step;
    const i0 = gi(from);
    const i1 = Math.max(i0 + 1, gi(t));
    let rateSum = 0;
    let latW = 0;
    let errW = 0;
    let cells = 0;
    const child = new Map<string, ChildLoad>();
    for (let i = i0; i < i1; i++) {
      const st = grid[i]!;
      const ps = st.podState.get(s.name)!.get(p.name);
      if (!ps) continue;
      const r = st.rate.get(s.name)! * ps.w;
      rateSum += r;
      latW += r * ps.lat;
      errW += r * ps.err;
      cells++;
      for (const cn of s.children) {
        let cc = child.get(cn);
        if (!cc) child.set(cn, (cc = { r: 0, l: 0, e: 0 }));
        const cr = r * edge(w, s.name, cn).fan * edgeFactor(effects, s.name, cn, G0 + i * GRID);
        cc.r += cr;
        cc.l += cr * st.L.get(cn)!;
        cc.e += cr * st.Er.get(cn)!;
      }
    }
    if (cells === 0) continue;
    const x: Interval = { w, s, p, t, first: ex.prev === null, H, dt: (t - from) / 1000, meanRate: rateSum / cells, lat0: latW / rateSum, err0: errW / rateSum, child, cells, effects, hist };
    // a rare latency spike or failure burst on one export
    const spike = R.chance(0.003) ? R.uni(2, 5) : 1;
    const errSpike = R.chance(0.0015) ? R.uni(0.05, 0.2) : 0;
    if (s.kind !== 'ds') {
      const metrics = [serverMetric(x, spike, errSpike), ...clientMetrics(x), ...(w.resources ? processMetrics(x) : [])];
      batch.push({ resource: { attributes: resAttrs(w, s, p) }, scopeMetrics: [{ scope: { name: s.lang === 'java' ? 'io.opentelemetry.java-http-server' : 'go.opentelemetry.io/contrib/instrumentation' }, metrics }] });
    }
    if (w.resources) batch.push({ resource: { attributes: kubeAttrs(w, s, p) }, scopeMetrics: [{ scope: { name: 'otelcol/kubeletstatsreceiver', version: '0.115.0' }, metrics: kubeletMetrics(x) }] });
    if (batchT === null) batchT = t;
    if (batch.length >= 6 || t - batchT > step / 2) {
      flush();
      batchT = null;
    }
  }
  flush();
  return lines;
}
