import { strict as assert } from 'node:assert';
import { consolidateChanges, sameVersion } from '../../../src/changes/merge';
import type { ChangeEvent } from '../../../src/domain/types';
import { decodeCloudEvent } from '../../../src/formats';
import { changeToCloudEvent } from '../../../src/pipeline/cloudevent';

const T = Date.parse('2026-03-12T13:00:00Z');
const SHA = '9f2c1e7d4b8a6c3e2f1d0a9b8c7d6e5f4a3b2c1d';

const github: ChangeEvent = { id: 'gh-deploy-1', source: 'github/acme/order-sync', type: 'deploy', rawType: 'github.deployment_status.change.deploy', service: 'order-sync', time: T + 90_000, version: SHA, summary: 'acme/order-sync@9f2c1e7 deployed to production', origins: [{ source: 'github', id: '1', kind: 'github.deployment_status' }] };
const rollout: ChangeEvent = { id: 'k8s-fulfilment-order-sync-7d9f', source: 'k8s/prod', type: 'deploy', rawType: 'k8s.Deployment.change.deploy', service: 'order-sync', team: 'fulfilment', time: T, version: `2.14.0-${SHA.slice(0, 7)}`, summary: 'rollout of Deployment fulfilment/order-sync' };

describe('changes: one change, many sources', () => {
  it('a GitHub deployment and the rollout it caused become one change with both origins', () => {
    const [one, ...rest] = consolidateChanges([github, rollout]);
    assert.equal(rest.length, 0);
    assert.equal(one?.id, rollout.id, 'the earlier report names the change');
    assert.equal(one?.time, T);
    assert.equal(one?.team, 'fulfilment');
    assert.deepEqual(one?.origins?.map((o) => o.source), ['k8s/prod', 'github']);
  });

  it('keeps apart: another service, another version, too far apart in time, the same source twice', () => {
    assert.equal(consolidateChanges([github, { ...rollout, service: 'checkout-api' }]).length, 2);
    assert.equal(consolidateChanges([github, { ...rollout, version: '2.15.0' }]).length, 2);
    assert.equal(consolidateChanges([{ ...github, time: T + 11 * 60_000 }, rollout]).length, 2);
    assert.equal(consolidateChanges([rollout, { ...rollout, id: 'k8s-other', time: T + 60_000 }]).length, 2);
    assert.equal(consolidateChanges([github, { ...rollout, version: undefined }]).length, 2, 'no version: no proof it is the same build');
  });

  it('config reports merge only when they name a common key; a deploy never merges with a config change', () => {
    const a: ChangeEvent = { id: 'a', source: 'github/acme/config', type: 'config', rawType: 'github.push.change.config', service: 'order-sync', time: T, keys: ['http.client.pool.min_idle'] };
    const b: ChangeEvent = { id: 'b', source: 'k8s/prod', type: 'config', rawType: 'k8s.ConfigMap.change.config', service: 'order-sync', time: T + 30_000, keys: ['http.client.pool.min_idle', 'other'] };
    const [m] = consolidateChanges([a, b]);
    assert.deepEqual(m?.keys, ['http.client.pool.min_idle', 'other']);
    assert.equal(consolidateChanges([a, { ...b, keys: ['other'] }]).length, 2);
    // Seen in simulated incidents: the same key set twice, to different values, minutes apart — two changes.
    const set = (id: string, source: string, t: number, from: string, to: string): ChangeEvent => ({ id, source, type: 'config', rawType: 'x.change.config', service: 'accounts-web', time: t, keys: ['http.client.keepalive'], summary: `accounts-web: set http.client.keepalive ${from} → ${to}` });
    assert.equal(consolidateChanges([set('c1', 's1', T, '7', '35'), set('c2', 's2', T + 264_000, '25', '75')]).length, 2);
    assert.equal(consolidateChanges([set('c1', 's1', T, '7', '35'), set('c2', 's2', T + 60_000, '7', '35')]).length, 1);
    assert.equal(consolidateChanges([{ ...github, time: T }, { ...b, version: SHA }]).length, 2);
  });

  it('reads settings from summaries', () => {
    const [c] = consolidateChanges([{ id: 'x', source: 's', type: 'config', rawType: 'com.acme.change.config', service: 'order-sync', time: T, summary: 'order-sync: set http.client.pool.min_idle 28 → 224', keys: ['http.client.pool.min_idle'] }]);
    assert.deepEqual(c?.settings, [{ key: 'http.client.pool.min_idle', from: '28', to: '224' }]);
    assert.deepEqual(c?.keys, ['http.client.pool.min_idle']);
  });

  it('sameVersion: sha and abbreviation, tags carrying a version, not mere digits', () => {
    assert.ok(sameVersion(SHA, SHA.slice(0, 7)));
    assert.ok(sameVersion('v2.14.0', 'registry/x:2.14.0'.split(':')[1]!));
    assert.ok(sameVersion('2.14.0-9f2c1e7', SHA));
    assert.ok(!sameVersion('2.14.0', '2.14.1'));
    assert.ok(!sameVersion('12', '12'), 'too short to prove anything');
  });

  it('settings and origins survive the trip through a CloudEvent (the changes topic, the bus)', () => {
    const [m] = consolidateChanges([github, rollout]);
    const back = decodeCloudEvent(JSON.parse(JSON.stringify(changeToCloudEvent({ ...m!, settings: [{ key: 'a.b', from: '1', to: '2' }, { key: 'c.d', to: '3' }] }))), {});
    assert.deepEqual(back.origins, m?.origins);
    assert.deepEqual(back.settings, [{ key: 'a.b', from: '1', to: '2' }, { key: 'c.d', to: '3' }]);
  });
});
