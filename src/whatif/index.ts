/** What-if (pure): snapshots of the running system, proposals, and their predicted impact. */
export { buildSnapshot, type SnapshotInput } from './snapshot';
export { predict, type WhatIfOptions } from './predict';
export { decodeProposal, decodeQuantifiedChanges, proposalFromDoc, toProposal, quantitiesOf, type QuantifiedChange } from './proposal';
export { decodeSnapshot, encodeSnapshot } from './codec';
export { fitCoupling } from './couplings';
export { buildCatalogue, learntElasticity, measureEffect } from './catalogue';
export * from './types';
