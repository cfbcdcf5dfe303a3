import assert from 'node:assert/strict';
import { buildGraph, peerService } from '../../../src/topology';
import type { Topology } from '../../../src/domain/types';

// web → checkout → payments; order-sync → checkout → orders-db; web → cart
const topo: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['checkout', 'cart'], limits: {} },
    { name: 'checkout', team: 'checkout', dependsOn: ['payments', 'orders-db'], limits: { 'process.open_file_descriptor.count': 1024 } },
    { name: 'order-sync', team: 'fulfilment', dependsOn: ['checkout'], limits: {} },
    { name: 'payments', team: 'payments', dependsOn: [], limits: {} },
    { name: 'cart', team: 'storefront', dependsOn: [], limits: {} },
  ],
};

describe('topology graph', () => {
  const g = buildGraph(topo);

  it('lists callers and callees, including services only named in dependsOn', () => {
    assert.deepEqual(g.callers('checkout'), ['order-sync', 'web']);
    assert.deepEqual(g.callees('checkout'), ['orders-db', 'payments']);
    assert.ok(g.has('orders-db'));
    assert.equal(g.owner('orders-db'), undefined);
    assert.deepEqual(g.callers('nope'), []);
  });

  it('finds neighbours within k hops in both directions', () => {
    assert.deepEqual([...g.neighbours('order-sync', 1)], [['checkout', 1]]);
    const two = g.neighbours('order-sync', 2);
    assert.equal(two.get('web'), 2);
    assert.equal(two.get('payments'), 2);
    assert.equal(two.has('cart'), false);
    assert.equal(g.neighbours('order-sync', 3).get('cart'), 3);
  });

  it('gives directed and undirected shortest paths with call directions', () => {
    assert.deepEqual(g.directedPath('order-sync', 'payments'), [
      { from: 'order-sync', to: 'checkout', direction: 'calls' },
      { from: 'checkout', to: 'payments', direction: 'calls' },
    ]);
    assert.equal(g.directedPath('payments', 'order-sync'), undefined);
    assert.deepEqual(g.undirectedPath('payments', 'order-sync'), [
      { from: 'payments', to: 'checkout', direction: 'calledBy' },
      { from: 'checkout', to: 'order-sync', direction: 'calledBy' },
    ]);
    assert.deepEqual(g.undirectedPath('cart', 'cart'), []);
    assert.equal(g.undirectedPath('cart', 'unknown'), undefined);
  });

  it('measures distance, Infinity when unknown', () => {
    assert.equal(g.distance('cart', 'payments'), 3);
    assert.equal(g.distance('checkout', 'checkout'), 0);
    assert.equal(g.distance('checkout', 'ghost'), Infinity);
  });

  it('knows owners and limits', () => {
    assert.equal(g.owner('order-sync'), 'fulfilment');
    assert.equal(g.limit('checkout', 'process.open_file_descriptor.count'), 1024);
    assert.equal(g.limit('checkout', 'process.memory.usage'), undefined);
    assert.equal(g.limit('ghost', 'x'), undefined);
  });
});

describe('peerService', () => {
  const known = new Set(['checkout', 'orders', 'orders-db', 'Payments']);
  it('resolves the forms a peer label takes', () => {
    assert.equal(peerService({ 'server.address': 'checkout' }, known), 'checkout');
    assert.equal(peerService({ 'server.address': 'checkout:8080' }, known), 'checkout');
    assert.equal(peerService({ 'server.address': 'http://checkout.shop.svc.cluster.local:8080/x' }, known), 'checkout');
    assert.equal(peerService({ 'db.client.connection.pool.name': 'orders-db-pool' }, known), 'orders-db');
    assert.equal(peerService({ 'peer.service': 'payments' }, known), 'Payments');
    // Micrometer's HTTP client timers name the host called in client.name.
    assert.equal(peerService({ 'client.name': 'orders.shop.svc' }, known), 'orders');
  });
  it('ignores unknown peers, missing labels and the series own service', () => {
    assert.equal(peerService({ 'server.address': '10.0.0.7' }, known), undefined);
    assert.equal(peerService({ 'service.name': 'checkout' }, known), undefined);
    assert.equal(peerService({ 'server.address': 'checkout' }, known, 'checkout'), undefined);
  });
});
