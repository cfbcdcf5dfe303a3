/** The service graph (pure): callers, callees, neighbourhoods, paths with call directions, owners, limits. */
export { buildGraph, type PathStep, type TopologyGraph } from './graph';
export { peerService, PEER_LABELS } from './peer';
export { dataEdges, withDataEdges } from './data-edges';
