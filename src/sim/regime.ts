import type { Rng } from './prng';
import type { LabelStyle, Mechanism, Regime } from './types';

const SEC = 1000;
const MIN = 60_000;
const HOUR = 3600_000;

/** Mechanisms whose effect can start at once (a page minutes after the cause makes sense). */
const CAN_BE_ACUTE: ReadonlySet<Mechanism> = new Set(['caller_connections', 'flag_fanout', 'slow_dependency', 'canary_release']);
/** Mechanisms whose trouble travels up the call graph as latency or errors (an entry service can page for them). */
const REACHES_ENTRY: ReadonlySet<Mechanism> = new Set(['slow_dependency', 'canary_release']);

/** The classic regime's fields, with its step and history filled in by the caller. */
export function classicRegime(stepMs: number, historyMs: number): Regime {
  return { classic: true, naming: 'otel', stepMs, historyMs, deploy: 'in-place', dropEdges: 0, signals: 'resources', simultaneous: 0, page: 'limit', entry: false };
}

/**
 * What real systems vary, drawn per incident: one in five stays classic (the regime the simulator
 * always had), the rest mix names and units, steps from 10 s to 5 min, histories from 30 min to
 * 6 h, in-place / rolling / canary deploys on new pods, sparse or missing declared topology,
 * golden-signal-only telemetry, releases of other services within 2 min of the cause, an early
 * page (2–5 min after the cause) and a page on the entry service above the trouble.
 */
export function drawRegime(rng: Rng, m: Mechanism): Regime | undefined {
  if (rng.chance(0.2)) return undefined;
  const page = m === 'canary_release' ? 'acute' : CAN_BE_ACUTE.has(m) && rng.chance(0.5) ? 'acute' : 'limit';
  let stepMs = rng.weighted([[10 * SEC, 0.12], [15 * SEC, 0.13], [MIN, 0.55], [5 * MIN, 0.2]] as const);
  // Fine steps over hours of leak are too much data to simulate: the short histories go with them.
  if (page === 'limit' && stepMs < MIN) stepMs = MIN;
  const short = rng.uniform(30, 60) * MIN;
  let historyMs = rng.weighted([[short, 0.45], [2 * HOUR, 0.2], [6 * HOUR, 0.35]] as const);
  if (stepMs < MIN) historyMs = short;
  if (stepMs >= 5 * MIN) historyMs = 6 * HOUR;
  return {
    classic: false,
    naming: rng.chance(0.5) ? 'otel' : 'shop',
    stepMs,
    historyMs,
    deploy: rng.weighted([['in-place', 0.3], ['rolling', 0.35], ['canary', 0.35]] as const),
    dropEdges: rng.weighted([[0, 0.4], [rng.uniform(0.2, 0.5), 0.35], [1, 0.25]] as const),
    signals: m === 'canary_release' ? rng.weighted([['both', 0.5], ['golden', 0.5]] as const) : rng.weighted([['resources', 0.2], ['both', 0.45], ['golden', 0.35]] as const),
    simultaneous: rng.chance(0.6) ? rng.int(1, 3) : 0,
    page,
    entry: REACHES_ENTRY.has(m) && rng.chance(0.5),
  };
}

/** Labels real fleets must have for the regime to make sense: new pods need instance ids, data-only edges need a peer label. */
export function regimeLabels(rng: Rng, r: Regime, l: LabelStyle): LabelStyle {
  if (r.classic) return l;
  const pods = r.deploy !== 'in-place';
  const needPeer = r.dropEdges > 0 || r.signals !== 'resources';
  return {
    ...l,
    instanceId: pods ? true : l.instanceId,
    version: pods ? rng.chance(0.85) : l.version,
    peer: needPeer && l.peer === 'none' ? rng.pick(['server.address', 'peer.service', 'fqdn'] as const) : l.peer,
  };
}

export { HOUR, MIN };
