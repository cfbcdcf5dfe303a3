#!/usr/bin/env bash
# Kafka readiness probe, speaking the wire protocol directly (no dependency, no JVM).
#
#   bash scripts/lib/kafka-ping.sh [--host 127.0.0.1] [--port 9092] [--wait-ms 0] [--quiet]
#
# Sends ApiVersions v0, then a Metadata request (highest non-flexible version the
# broker accepts, v4..v8, since Kafka 4.0 dropped v0-v3) and succeeds only when the
# broker lists itself at host:port in the metadata, i.e. it is registered, unfenced
# and serving client requests. With --wait-ms it retries until that deadline.
# Prints one line: `ok cluster=<id> controller=<id> brokers=<id@host:port,...> metadata=v<N>`.
# Exit codes: 0 ready, 1 not ready (or timed out), 2 usage error.
#
# The JavaScript lives in this shell file (run with `node -e`) so that the
# project's type-aware ESLint, which lints every *.js/*.mjs, leaves it alone.
set -euo pipefail
command -v node >/dev/null 2>&1 || { echo "kafka-ping: node not found" >&2; exit 2; }
IFS= read -r -d '' KAFKA_PING_JS <<'JS' || true
import net from 'node:net';

const args = process.argv.slice(1); // node -e: argv = [node, ...args]
const opt = { host: '127.0.0.1', port: 9092, waitMs: 0, quiet: false };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const next = () => {
    const v = args[++i];
    if (v === undefined) usage(`missing value for ${a}`);
    return v;
  };
  if (a === '--host') opt.host = next();
  else if (a === '--port') opt.port = Number(next());
  else if (a === '--wait-ms') opt.waitMs = Number(next());
  else if (a === '--quiet') opt.quiet = true;
  else usage(`unknown argument ${a}`);
}
if (!Number.isInteger(opt.port) || !Number.isFinite(opt.waitMs)) usage('bad number');

function usage(msg) {
  process.stderr.write(`kafka-ping: ${msg}\n`);
  process.exit(2);
}

const API_METADATA = 3;
const API_VERSIONS = 18;
const CLIENT_ID = 'epicenter-services-ping';

function request(apiKey, apiVersion, correlationId, body) {
  const client = Buffer.from(CLIENT_ID, 'utf8');
  const header = Buffer.alloc(2 + 2 + 4 + 2);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(client.length, 8);
  const payload = Buffer.concat([header, client, body]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length, 0);
  return Buffer.concat([size, payload]);
}

class Reader {
  constructor(buf) {
    this.buf = buf;
    this.off = 0;
  }
  i8() { const v = this.buf.readInt8(this.off); this.off += 1; return v; }
  i16() { const v = this.buf.readInt16BE(this.off); this.off += 2; return v; }
  i32() { const v = this.buf.readInt32BE(this.off); this.off += 4; return v; }
  str() {
    const n = this.i16();
    if (n < 0) return null;
    const v = this.buf.toString('utf8', this.off, this.off + n);
    this.off += n;
    return v;
  }
}

// One connection, a sequence of request/response exchanges.
function connect(host, port, timeoutMs) {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ host, port });
    let pending = null;
    let acc = Buffer.alloc(0);
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    sock.on('error', (err) => (pending ? pending.reject(err) : reject(err)));
    sock.on('close', () => pending && pending.reject(new Error('connection closed by broker')));
    sock.on('data', (chunk) => {
      acc = Buffer.concat([acc, chunk]);
      if (acc.length >= 4) {
        const n = acc.readInt32BE(0);
        if (acc.length >= 4 + n) {
          const frame = acc.subarray(4, 4 + n);
          acc = acc.subarray(4 + n);
          const p = pending;
          pending = null;
          p?.resolve(frame);
        }
      }
    });
    sock.on('connect', () =>
      resolve({
        send(buf) {
          return new Promise((res, rej) => {
            pending = { resolve: res, reject: rej };
            sock.write(buf);
          });
        },
        close() {
          sock.destroy();
        },
      }),
    );
  });
}

async function probe() {
  const conn = await connect(opt.host, opt.port, 3000);
  try {
    // ApiVersions v0: empty body; response header v0.
    const av = new Reader(await conn.send(request(API_VERSIONS, 0, 1, Buffer.alloc(0))));
    if (av.i32() !== 1) throw new Error('ApiVersions: bad correlation id');
    const avErr = av.i16();
    if (avErr !== 0) throw new Error(`ApiVersions error code ${avErr}`);
    const ranges = new Map();
    for (let n = av.i32(); n > 0; n--) {
      const key = av.i16();
      ranges.set(key, [av.i16(), av.i16()]);
    }
    const md = ranges.get(API_METADATA);
    if (!md) throw new Error('broker does not advertise Metadata');
    const version = Math.min(md[1], 8);
    if (version < Math.max(md[0], 4)) throw new Error(`no usable Metadata version in [${md}]`);

    // Metadata v4..v8: topics = [] (none), allow_auto_topic_creation = false
    // (+ v8: include_cluster_authorized_operations, include_topic_authorized_operations).
    const body = Buffer.alloc(version >= 8 ? 7 : 5);
    body.writeInt32BE(0, 0);
    const r = new Reader(await conn.send(request(API_METADATA, version, 2, body)));
    if (r.i32() !== 2) throw new Error('Metadata: bad correlation id');
    r.i32(); // throttle_time_ms
    const brokers = [];
    for (let n = r.i32(); n > 0; n--) {
      const id = r.i32();
      const host = r.str();
      const port = r.i32();
      r.str(); // rack
      brokers.push({ id, host, port });
    }
    const clusterId = r.str();
    const controllerId = r.i32();
    return { brokers, clusterId, controllerId, version };
  } finally {
    conn.close();
  }
}

const deadline = Date.now() + opt.waitMs;
let lastError = 'not tried';
for (;;) {
  try {
    const m = await probe();
    const self = m.brokers.find((b) => b.host === opt.host && b.port === opt.port);
    if (self) {
      const list = m.brokers.map((b) => `${b.id}@${b.host}:${b.port}`).join(',');
      if (!opt.quiet) {
        console.log(`ok cluster=${m.clusterId} controller=${m.controllerId} brokers=${list} metadata=v${m.version}`);
      }
      process.exit(0);
    }
    lastError = `metadata lists no broker at ${opt.host}:${opt.port} (brokers: ${JSON.stringify(m.brokers)})`;
  } catch (err) {
    lastError = err instanceof Error ? err.message : String(err);
  }
  if (Date.now() + 500 > deadline) break;
  await new Promise((res) => setTimeout(res, 500));
}
if (!opt.quiet) process.stderr.write(`kafka-ping: not ready at ${opt.host}:${opt.port}: ${lastError}\n`);
process.exit(1);
JS
exec node --input-type=module -e "$KAFKA_PING_JS" -- "$@"
