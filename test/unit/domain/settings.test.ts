import assert from 'node:assert/strict';
import { addedInstances, sendFactor, statedSend } from '../../../src/domain/settings';
import type { ChangeEvent } from '../../../src/domain/types';

const c = (settings: ChangeEvent['settings']): ChangeEvent => ({ id: 'x', source: 'test', type: 'config', rawType: 'config', service: 'web', time: 0, settings });

describe('domain/settings: what a setting says a client sends (sendFactor)', () => {
  it('a pool or concurrency setting scales by to/from', () => {
    assert.ok(Math.abs(sendFactor({ key: 'http.client.pool.min_idle', from: '15', to: '84' }) - 5.6) < 1e-9);
    assert.equal(sendFactor({ key: 'spring.datasource.hikari.maximum-pool-size', from: '10', to: '40' }), 4);
    assert.equal(sendFactor({ key: 'client.maxConnections', from: '20', to: '200' }), 10);
    assert.equal(sendFactor({ key: 'db.pool.max_size', from: '40', to: '10' }), 0.25);
  });

  it('attempts scale by to/from, retries by the attempts they make (to+1)/(from+1)', () => {
    assert.equal(sendFactor({ key: 'resilience4j.retry.maxAttempts', from: '1', to: '5' }), 5);
    assert.equal(sendFactor({ key: 'clients.ledger.retries.max', from: '0', to: '3' }), 4);
    assert.equal(sendFactor({ key: 'checkout.client.maxRetries', from: '1', to: '3' }), 2);
  });

  it('says nothing for other keys, words, and values not both known', () => {
    assert.equal(sendFactor({ key: 'tracing.sampler.ratio', from: '0.1', to: '0.5' }), 1);
    assert.equal(sendFactor({ key: 'server.tomcat.threads.max', from: 'false', to: 'true' }), 1);
    assert.equal(sendFactor({ key: 'http.client.pool.size', to: '80' }), 1);
    assert.equal(sendFactor({ key: 'http.client.pool.size', from: '10', to: 'auto' }), 1);
  });

  it('statedSend names the setting that sends the most more, and none that only sends less', () => {
    const s = statedSend(c([{ key: 'log.level', from: 'INFO', to: 'DEBUG' }, { key: 'pool.size', from: '10', to: '30' }, { key: 'retry.max_attempts', from: '1', to: '2' }]));
    assert.equal(s?.setting.key, 'pool.size');
    assert.equal(s?.factor, 3);
    assert.equal(statedSend(c([{ key: 'pool.size', from: '30', to: '10' }])), undefined);
    assert.equal(statedSend(c(undefined)), undefined);
  });
});

describe('domain/settings: instances a change says it adds (addedInstances)', () => {
  it('a replica count raised, by the Deployment or by an autoscaler\'s floor', () => {
    assert.deepEqual(addedInstances(c([{ key: 'replicas', from: '3', to: '5' }])), { from: 3, to: 5 });
    assert.deepEqual(addedInstances(c([{ key: 'spec.replicas', from: '1', to: '2' }])), { from: 1, to: 2 });
    assert.deepEqual(addedInstances(c([{ key: 'minReplicas', from: '2', to: '4' }])), { from: 2, to: 4 });
  });

  it('none for a scale-in, a raised ceiling, an unknown count or another key', () => {
    assert.equal(addedInstances(c([{ key: 'replicas', from: '5', to: '4' }])), undefined);
    assert.equal(addedInstances(c([{ key: 'maxReplicas', from: '4', to: '8' }])), undefined);
    assert.equal(addedInstances(c([{ key: 'replicas', to: '8' }])), undefined);
    assert.equal(addedInstances(c([{ key: 'pool.size', from: '10', to: '30' }])), undefined);
    assert.equal(addedInstances(c(undefined)), undefined);
  });
});
