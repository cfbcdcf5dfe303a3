import assert from 'node:assert/strict';
import { makeSeries } from '../../../src/domain/series';
import type { SeriesData } from '../../../src/ports';
import { buildGraph, dataEdges, withDataEdges } from '../../../src/topology';

const s = (service: string, labels: Record<string, string>): SeriesData => ({
  series: makeSeries('http.client.request.duration', { 'service.name': service, ...labels }, service),
  points: [{ t: 0, v: 1 }],
});

describe('topology: edges seen in the data', () => {
  const known = new Set(['web', 'checkout', 'payments']);
  const series = [s('web', { 'server.address': 'checkout' }), s('checkout', { 'peer.service': 'payments' }), s('checkout', { 'server.address': 'checkout' }), s('web', {})];

  it('a client series naming its server is a call from its service to that server', () => {
    assert.deepEqual(dataEdges(series, known), [['web', 'checkout'], ['checkout', 'payments']]);
  });

  it('join the declared edges; a topology with no dependsOn at all gets a graph from the data', () => {
    const empty = buildGraph(withDataEdges({ services: [] }, series, known));
    assert.deepEqual(empty.callees('web'), ['checkout']);
    assert.deepEqual(empty.callers('payments'), ['checkout']);
    const declared = buildGraph(withDataEdges({ services: [{ name: 'web', team: 'store', dependsOn: ['search'], limits: {} }] }, series, known));
    assert.deepEqual(declared.callees('web'), ['checkout', 'search']);
    assert.equal(declared.owner('web'), 'store');
  });
});
