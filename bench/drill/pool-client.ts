/**
 * A caller of checkout-api in the drill (order-sync of team fulfilment, web-frontend of team
 * storefront): a connection pool that keeps `pool.size` keep-alive connections open to its
 * upstream, like a pool's minimum of idle connections, and sends a fixed request rate over them.
 * The pool size comes from its YAML config file, read again on SIGHUP (how the drill applies the
 * config change):
 *
 *   upstream: { service: checkout-api, host: 127.0.0.1, port: 40123 }
 *   pool: { size: 8 }
 *   requestsPerSecond: 5
 *
 *   SERVICE=order-sync CONFIG=order-sync.yaml OTLP_URL=… EXPORT_MS=2000 node --import tsx pool-client.ts
 *
 * Logs JSON lines: `started`, `config reloaded` {key, from, to}, and once a second while it happens
 * `pool` {open, dropped: connections the upstream closed within a second of accepting them}.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { parse } from 'yaml';
import { z } from 'zod';
import { env, FD_METRIC, fdLimit, log, openFds, startTelemetry } from './telemetry';

/** New connections a pool opens per second while below its size (pools fill at a bounded rate). */
const FILL_PER_SECOND = 20;
const TICK_MS = 250;

const configSchema = z.object({
  upstream: z.object({ service: z.string().min(1), host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict(),
  pool: z.object({ size: z.number().int().min(0).max(10_000) }).strict(),
  requestsPerSecond: z.number().positive().max(1000),
}).strict();
type Config = z.infer<typeof configSchema>;

const file = env('CONFIG');
function readConfig(): Config {
  const r = configSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!r.success) throw new Error(`${file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

let cfg = readConfig();
const service = env('SERVICE');
const limit = fdLimit();
const telemetry = startTelemetry(service, env('OTLP_URL'), Number(env('EXPORT_MS')));
const open = new Set<Socket>();
let connecting = 0;
let dropped = 0;
let failed = 0;

function openOne(): void {
  connecting++;
  const s = connect({ host: cfg.upstream.host, port: cfg.upstream.port });
  let since = 0;
  s.on('connect', () => {
    connecting--;
    since = Date.now();
    open.add(s);
  });
  s.on('data', () => undefined);
  s.on('error', () => undefined); // 'close' follows; counted there
  s.on('close', () => {
    if (since === 0) {
      connecting--;
      failed++;
    } else {
      open.delete(s);
      if (Date.now() - since < 1000) dropped++;
    }
  });
}

// Keep the pool at its size: open what is missing (at the fill rate), close what is too many.
setInterval(() => {
  let budget = Math.ceil((FILL_PER_SECOND * TICK_MS) / 1000);
  while (open.size + connecting < cfg.pool.size && budget-- > 0) openOne();
  for (const s of open) {
    if (open.size <= cfg.pool.size) break;
    open.delete(s);
    s.end();
  }
}, TICK_MS);

let next = 0;
let requestTimer = setInterval(sendOne, 1000 / cfg.requestsPerSecond);
function sendOne(): void {
  const all = [...open];
  if (all.length === 0) return;
  const s = all[next++ % all.length];
  s?.write(`GET /prices HTTP/1.1\r\nHost: ${cfg.upstream.service}\r\n\r\n`);
}

setInterval(() => {
  if (dropped > 0 || failed > 0) log('pool', { open: open.size, connecting, size: cfg.pool.size, dropped, failed });
  dropped = 0;
  failed = 0;
}, 1000);

telemetry.meter.createObservableGauge(FD_METRIC, { unit: '{file}' }).addCallback((o) => o.observe(openFds(limit, () => log('EMFILE', { where: 'list /proc/self/fd' }))));
telemetry.meter.createObservableGauge('http.client.open_connections', { unit: '{connection}' }).addCallback((o) => o.observe(open.size, { 'server.address': cfg.upstream.service }));

process.on('SIGHUP', () => {
  try {
    const before = cfg;
    cfg = readConfig();
    if (before.pool.size !== cfg.pool.size) log('config reloaded', { key: 'pool.size', from: before.pool.size, to: cfg.pool.size });
    if (before.requestsPerSecond !== cfg.requestsPerSecond) {
      clearInterval(requestTimer);
      requestTimer = setInterval(sendOne, 1000 / cfg.requestsPerSecond);
    }
  } catch (e) {
    log('config refused', { error: (e as Error).message });
  }
});
process.once('SIGTERM', () => {
  for (const s of open) s.destroy();
  void telemetry.shutdown().finally(() => process.exit(0));
});
log('started', { service, pool: cfg.pool.size, upstream: `${cfg.upstream.host}:${cfg.upstream.port}`, fdLimit: limit, pid: process.pid });
