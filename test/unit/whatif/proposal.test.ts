import assert from 'node:assert/strict';
import { isEpicenterError } from '../../../src/errors';
import { decodeProposal } from '../../../src/whatif';

const event = (data: unknown): string => JSON.stringify({ specversion: '1.0', id: 'p1', source: 'ci', type: 'com.acme.change.config', subject: 'order-sync', time: '2026-03-12T13:02:00Z', data });

describe('whatif proposal format', () => {
  it('reads settings, replicas, traffic, version and effects from data', () => {
    const p = decodeProposal(event({ team: 'fulfilment', settings: [{ key: 'http.client.pool.min_idle', from: 28, to: 224, peer: 'checkout-api' }], replicas: { from: 2, to: 4 }, traffic: { factor: 1.5 }, version: '3.8.0', effects: [{ metric: 'process.memory.usage', factor: 1.2 }, { metric: 'process.open_file_descriptor.count', delta: 50 }] }), { file: 'p.json' });
    assert.equal(p.service, 'order-sync');
    assert.equal(p.team, 'fulfilment');
    assert.deepEqual(p.keys, ['http.client.pool.min_idle']);
    assert.deepEqual(p.quantities.settings, [{ key: 'http.client.pool.min_idle', from: 28, to: 224, peer: 'checkout-api' }]);
    assert.deepEqual(p.quantities.replicas, { from: 2, to: 4 });
    assert.equal(p.quantities.traffic?.factor, 1.5);
    assert.equal(p.quantities.version, '3.8.0');
    assert.equal(p.quantities.effects?.length, 2);
  });

  it('accepts a plain change event with no quantities', () => {
    const p = decodeProposal(event({ team: 't', summary: 'deploy' }), { file: 'p.json' });
    assert.deepEqual(p.quantities, {});
  });

  it('names the field of a bad quantity', () => {
    assert.throws(() => decodeProposal(event({ replicas: { from: 2, to: 'many' } }), { file: 'p.json' }), (e: unknown) => isEpicenterError(e) && e.code === 'BAD_INPUT' && e.describe().includes('p.json:1: data.replicas.to'));
    assert.throws(() => decodeProposal(event({ effects: [{ metric: 'x' }] }), { file: 'p.json' }), (e: unknown) => isEpicenterError(e) && e.describe().includes('p.json:1: data.effects[0]') && e.message.includes('factor or delta'));
  });

  it('refuses a file with two proposals', () => {
    assert.throws(() => decodeProposal(`${event({})}\n${event({})}\n`, { file: 'p.json' }), (e: unknown) => isEpicenterError(e) && e.message.includes('one at a time'));
  });
});
