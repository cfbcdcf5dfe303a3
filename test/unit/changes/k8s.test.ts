import { strict as assert } from 'node:assert';
import { analyzeFromStore } from '../../../src/app/analyze';
import { K8sChangeTracker } from '../../../src/changes/k8s';
import { DEFAULT_K8S_OPTIONS } from '../../../src/changes/k8s-objects';
import { replayWatchStream } from '../../../src/changes/k8s-replay';
import { receiveWebhook } from '../../../src/changes/source';
import { fixture, githubExamples, GH_SECRET, sign, sources } from './helpers';
import { incidentStore, TRUTH } from './story';

const NOW = Date.parse('2026-03-12T16:00:00Z');
const tracker = () => new K8sChangeTracker({ ...DEFAULT_K8S_OPTIONS, cluster: 'prod' });
const replay = (t = tracker()) => replayWatchStream(fixture('k8s-story.jsonl'), t, NOW, 'k8s-story.jsonl');

describe('changes: Kubernetes watch streams (hand-written in the watch format; no API server on this machine)', () => {
  it('reports the ConfigMap edit, the rollout, HPA and replica scaling, the rollback and the Secret rotation — nothing from the initial list or status updates', () => {
    const { changes, errors } = replay();
    assert.deepEqual(errors, []);
    assert.deepEqual(
      changes.map((c) => [c.type, c.service, c.rawType, new Date(c.time).toISOString().slice(11, 19)]),
      [
        ['config', 'order-sync', 'k8s.ConfigMap.change.config', '13:02:00'],
        ['deploy', 'checkout-api', 'k8s.Deployment.change.deploy', '13:07:43'],
        ['scale', 'checkout-api', 'k8s.HorizontalPodAutoscaler.change.scale', '13:45:00'],
        ['scale', 'checkout-api', 'k8s.Deployment.change.scale', '13:46:00'],
        ['rollback', 'checkout-api', 'k8s.Deployment.change.rollback', '14:05:43'],
        ['config', 'order-sync', 'k8s.Secret.change.config', '14:20:00'],
      ],
    );
    const [cm, deploy, hpa, scale, rollback] = changes;
    assert.deepEqual(cm?.settings, [{ key: 'http.client.pool.min_idle', from: '28', to: '224' }], 'the mounted app.yaml is read leaf by leaf');
    assert.equal(cm?.team, 'fulfilment', 'team of the workload that mounts the ConfigMap');
    assert.equal(deploy?.version, '2.14.0');
    assert.deepEqual(hpa?.settings, [{ key: 'maxReplicas', from: '10', to: '16' }]);
    assert.deepEqual(scale?.settings, [{ key: 'replicas', from: '3', to: '6' }]);
    assert.equal(rollback?.revertOf, deploy?.id);
  });

  it('never lets a Secret value out, nor keeps one', () => {
    const t = tracker();
    const { changes } = replay(t);
    const secret = changes.find((c) => c.rawType === 'k8s.Secret.change.config');
    assert.deepEqual(secret?.keys, ['DB_PASSWORD']);
    assert.equal(secret?.settings, undefined);
    const everything = JSON.stringify(changes) + JSON.stringify([...(t as unknown as { last: Map<string, unknown> }).last.values()]);
    for (const v of ['hunter2-old', 'hunter2-new', 'k-123']) {
      assert.ok(!everything.includes(v) && !everything.includes(Buffer.from(v).toString('base64')), v);
    }
  });

  it('without the initial-events-end bookmark every object is new: workloads are reported as new, ConfigMaps are not', () => {
    const stream = fixture('k8s-story.jsonl').split('\n').filter((l) => !l.includes('initial-events-end')).join('\n');
    const { changes } = replayWatchStream(stream, tracker(), NOW);
    assert.equal(changes.filter((c) => c.summary?.startsWith('new Deployment')).length, 2);
  });

  it('names bad lines by file and line and goes on', () => {
    const { changes, errors } = replayWatchStream('{"type":"ADDED"\n{"kind":"ConfigMap"}\n', tracker(), NOW, 'w.jsonl');
    assert.deepEqual(changes, []);
    assert.deepEqual(errors.map((e) => e.describe()), ['w.jsonl:1: not JSON', 'w.jsonl:2: type: not a WatchEvent ({"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR, "object": {...}})']);
  });

  it("Done when: a rollout plus a ConfigMap edit on a caller, seen only through the watcher, is named by analyze in the bundled story's shape", async () => {
    const story = ['chg-6379f254', 'chg-da1d7b96', 'chg-bf841585']; // the cause, checkout-api's release and its rollback
    assert.equal(story[0], TRUTH.cause.id);
    const { store, topology } = await incidentStore(story);
    await store.publishChanges(replay().changes);
    // GitHub also reports checkout-api's release: one change with both origins, not two candidates.
    const gh = structuredClone(githubExamples('deployment_status').find((e) => (e['deployment_status'] as { state: string }).state === 'success')!);
    Object.assign(gh['deployment'] as object, { payload: { service: 'checkout-api', version: '2.14.0' } });
    Object.assign(gh['deployment_status'] as object, { created_at: '2026-03-12T13:09:30Z' });
    const body = JSON.stringify(gh);
    const r = await receiveWebhook(sources, 'github', 'app', { headers: { 'x-github-event': 'deployment_status', 'x-hub-signature-256': await sign(GH_SECRET, body) }, body, now: NOW });
    assert.ok('changes' in r);
    await store.publishChanges(r.changes);

    const a = await analyzeFromStore(store, topology, { service: TRUTH.service, at: TRUTH.at, windowMs: TRUTH.windowMs, afterMs: TRUTH.afterMs }, { now: () => NOW });
    const [top] = a.suspects;
    assert.equal(top?.id, 'k8s-cm-fulfilment-order-sync-config-3050');
    assert.equal(top?.service, 'order-sync');
    assert.equal(top?.team, 'fulfilment');
    assert.equal(top?.type, 'config');
    assert.ok((top?.score ?? 0) > 0.5, `score ${top?.score}`);
    const releases = a.suspects.filter((s) => s.service === 'checkout-api' && s.type === 'deploy');
    assert.deepEqual(releases.map((s) => s.id), ['k8s-checkout-checkout-api-4e3815de2226'], 'the GitHub report merged into the rollout');
  });
});
