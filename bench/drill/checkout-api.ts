/**
 * checkout-api of the drill (team checkout): a small real HTTP/1.1 server with keep-alive, run by
 * the drill under a low fd limit (`bash -c 'ulimit -n 256; exec node …'`). Every request reads its
 * price list from disk, as a real service opens files; every open socket and file costs an fd.
 *
 *   OTLP_URL=http://127.0.0.1:4318/v1/metrics EXPORT_MS=2000 node --import tsx checkout-api.ts
 *
 * Logs JSON lines: `listening` {port, fdLimit}, then `EMFILE` whenever it runs out of fds.
 * Node's libuv hides EMFILE on accept() itself (it keeps a reserve fd, and when accept fails it
 * frees it, accepts the pending connections and closes them at once), so what the server sees of
 * the exhaustion is EMFILE on its own opens: the price list, and listing /proc/self/fd.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, FD_METRIC, fdLimit, log, openFds, startTelemetry } from './telemetry';

const limit = fdLimit();
const telemetry = startTelemetry('checkout-api', env('OTLP_URL'), Number(env('EXPORT_MS')));
const catalog = join(tmpdir(), `checkout-api-${process.pid}-prices.json`);
writeFileSync(catalog, JSON.stringify({ currency: 'EUR', items: Array.from({ length: 50 }, (_, i) => ({ sku: `sku-${i}`, price: 9.99 + i })) }));

// EMFILE is logged when first seen, then once a second with the count, per place it happened.
const emfile = new Map<string, number>();
function emfileAt(where: string, message: string): void {
  const n = emfile.get(where);
  if (n === undefined) log('EMFILE', { where, message, fdLimit: limit });
  emfile.set(where, (n ?? 0) + 1);
}
setInterval(() => {
  for (const [where, count] of emfile) if (count > 0) log('EMFILE', { where, count, perSeconds: 1, fdLimit: limit });
  for (const where of emfile.keys()) emfile.set(where, 0);
}, 1000).unref();

const requests = telemetry.meter.createCounter('http.server.request.count', { unit: '{request}' });
telemetry.meter.createObservableGauge(FD_METRIC, { unit: '{file}' }).addCallback((o) => {
  o.observe(openFds(limit, () => emfileAt('list /proc/self/fd', 'EMFILE: too many open files, scandir \'/proc/self/fd\'')));
});

const server = createServer((req, res) => {
  requests.add(1);
  readFile(catalog).then(
    (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'EMFILE') emfileAt('open price list', e.message);
      res.writeHead(503).end(e.code ?? 'error');
    },
  );
  req.resume();
});
// Pooled clients keep idle connections open for as long as they like.
server.keepAliveTimeout = 0;
server.on('error', (e: NodeJS.ErrnoException) => log('server error', { code: e.code, syscall: e.syscall, message: e.message }));
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  log('listening', { port: typeof a === 'object' && a !== null ? a.port : 0, fdLimit: limit, pid: process.pid });
});

process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void telemetry.shutdown().finally(() => process.exit(0));
});
