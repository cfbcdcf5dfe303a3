import type { Labels } from '../domain/types';

/**
 * Labels that name the other end of a connection or call, by OpenTelemetry semantic conventions
 * (current and older names), in order of preference.
 */
export const PEER_LABELS = [
  'server.address',
  'peer.service',
  'net.peer.name',
  'server.socket.domain',
  'db.client.connection.pool.name',
  'db.client.connections.pool.name',
  'messaging.destination.name',
  'rpc.service',
  'url.domain',
  // Micrometer's HTTP client timers name the host called.
  'client.name',
] as const;

/**
 * The service named by a series' peer label, resolved against `known` service names, or
 * undefined. Accepts the forms a peer really takes: `checkout-api`, `checkout-api:8080`,
 * `http://checkout-api.shop.svc.cluster.local:8080`, a pool called `orders-db-pool`.
 * A peer equal to `self` is ignored (a process does not call itself over the network).
 */
export function peerService(labels: Labels, known: ReadonlySet<string>, self?: string): string | undefined {
  for (const key of PEER_LABELS) {
    const raw = labels[key];
    if (raw === undefined || raw === '') continue;
    const s = resolvePeer(raw, known);
    if (s !== undefined && s !== self) return s;
  }
  return undefined;
}

function resolvePeer(raw: string, known: ReadonlySet<string>): string | undefined {
  if (known.has(raw)) return raw;
  const lower = new Map<string, string>();
  for (const k of known) lower.set(k.toLowerCase(), k);
  const v = raw.trim().toLowerCase();
  const host = v.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/\/.*$/, '').replace(/:\d+$/, '');
  const first = host.split('.')[0] ?? host;
  for (const cand of [v, host, first]) {
    const hit = lower.get(cand);
    if (hit !== undefined) return hit;
  }
  // A pool or destination named after the service (`orders-db-pool`, `orders-db.primary`): the
  // longest known name that is a whole dash/dot-separated prefix wins, so `orders` never shadows `orders-db`.
  let best: string | undefined;
  for (const [k, orig] of lower) {
    if ((first.startsWith(`${k}-`) || first.startsWith(`${k}_`)) && (best === undefined || k.length > best.length)) best = orig;
  }
  return best;
}
