import { strict as assert } from 'node:assert';
import { changeSourcesSchema } from '../../../src/changes/config';
import { receiveWebhook, type Received } from '../../../src/changes/source';
import type { ChangeEvent } from '../../../src/domain/types';
import { decodeCloudEvent } from '../../../src/formats';
import { changeToCloudEvent } from '../../../src/pipeline/cloudevent';
import { fixture, GH_SECRET, githubExamples, hmac, sign, LD_SECRET, SHARED_SECRET, sources, TOKEN } from './helpers';

const NOW = Date.parse('2026-03-12T14:00:00Z');

/** The changes of a delivery; each must survive the trip on as a CloudEvent (the changes topic, the bus) unchanged. */
function changes(r: Received): readonly ChangeEvent[] {
  assert.ok('changes' in r, `expected changes, got ${JSON.stringify(r)}`);
  for (const c of r.changes) assert.deepEqual(decodeCloudEvent(JSON.parse(JSON.stringify(changeToCloudEvent(c))), {}), c);
  return r.changes;
}

async function github(name: string, event: string, doc: unknown, secret = GH_SECRET): Promise<Received> {
  const body = JSON.stringify(doc);
  return receiveWebhook(sources, 'github', name, { headers: { 'x-github-event': event, 'x-hub-signature-256': await sign(secret, body) }, body, now: NOW });
}

describe('changes: GitHub webhooks (shapes from @octokit/webhooks-examples)', () => {
  const statuses = githubExamples('deployment_status');

  it('a successful deployment_status is a deploy of the sha, at the status time', async () => {
    const ex = statuses.find((e) => (e['deployment_status'] as { state: string }).state === 'success')!;
    const [c] = changes(await github('app', 'deployment_status', ex));
    assert.equal(c?.type, 'deploy');
    assert.equal(c?.service, 'Hello-World');
    assert.equal(c?.version, 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e');
    assert.equal(c?.time, Date.parse('2019-05-15T15:20:55Z'));
    assert.equal(c?.id, 'gh-deploy-145988746');
    assert.deepEqual(c?.origins?.map((o) => o.kind), ['github.deployment_status']);
  });

  it('an in_progress status (and an unwatched environment) is acknowledged, not a change', async () => {
    const ex = statuses.find((e) => (e['deployment_status'] as { state: string }).state === 'in_progress')!;
    assert.deepEqual(await github('app', 'deployment_status', ex), { ignored: 'deployment_status.state is in_progress' });
  });

  it('a push to a config repository is a config change whose keys are the changed files', async () => {
    const ex = githubExamples('push').find((e) => e['ref'] === 'refs/heads/master')!;
    const [c] = changes(await github('config', 'push', ex));
    assert.equal(c?.type, 'config');
    assert.deepEqual(c?.keys, ['README.md']);
    assert.equal(c?.team, 'fulfilment');
    assert.equal(c?.time, Date.parse('2019-05-15T15:19:25Z'));
  });

  it('reads settings from the commit messages of a config push', async () => {
    const ex = structuredClone(githubExamples('push').find((e) => e['ref'] === 'refs/heads/master')!);
    (ex['commits'] as { message: string }[])[0]!.message = 'order-sync: pool.size: 10 -> 80';
    const [c] = changes(await github('config', 'push', ex));
    assert.deepEqual(c?.settings, [{ key: 'pool.size', from: '10', to: '80' }]);
    assert.deepEqual(c?.keys, ['README.md', 'pool.size']);
  });

  it('a push of a tag, or to a repository that is not a config repository, is ignored', async () => {
    const tag = githubExamples('push').find((e) => e['ref'] === 'refs/tags/simple-tag')!;
    assert.ok('ignored' in (await github('config', 'push', tag)));
    const master = githubExamples('push').find((e) => e['ref'] === 'refs/heads/master')!;
    assert.ok('ignored' in (await github('app', 'push', master)));
  });

  it('refuses unsigned, wrongly signed and malformed deliveries with the reason', async () => {
    const ex = statuses[0]!;
    const body = JSON.stringify(ex);
    const unsigned = await receiveWebhook(sources, 'github', 'app', { headers: { 'x-github-event': 'deployment_status' }, body, now: NOW });
    assert.deepEqual(unsigned, { refused: 'unsigned', field: 'x-hub-signature-256', message: 'x-hub-signature-256 header is missing: set a secret on the GitHub webhook' });
    assert.equal((await github('app', 'deployment_status', ex, 'another-secret') as { refused: string }).refused, 'bad-signature');
    const broken = structuredClone(ex);
    delete (broken['deployment'] as Record<string, unknown>)['sha'];
    (broken['deployment_status'] as Record<string, unknown>)['state'] = 'success';
    assert.deepEqual(await github('app', 'deployment_status', broken), { refused: 'malformed', field: 'deployment.sha', message: 'is required' });
    const notJson = '{"deployment_status": ';
    const r = await receiveWebhook(sources, 'github', 'app', { headers: { 'x-github-event': 'deployment_status', 'x-hub-signature-256': await sign(GH_SECRET, notJson) }, body: notJson, now: NOW });
    assert.deepEqual(r, { refused: 'malformed', field: 'body', message: 'body is not valid JSON' });
  });

  it('a form-encoded delivery (GitHub\'s other content type) is refused saying what to change', async () => {
    const body = `payload=${encodeURIComponent(JSON.stringify(statuses[0]))}`;
    const r = await receiveWebhook(sources, 'github', 'app', { headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'deployment_status', 'x-hub-signature-256': await sign(GH_SECRET, body) }, body, now: NOW });
    assert.deepEqual(r, { refused: 'malformed', field: 'body', message: 'body is form-encoded: set the webhook to send application/json' });
  });

  it('refuses a source name that is not configured', async () => {
    const r = await receiveWebhook(sources, 'github', 'nope', { headers: {}, body: '{}', now: NOW });
    assert.equal((r as { refused: string }).refused, 'unknown-source');
  });
});

describe('changes: LaunchDarkly audit-log webhooks', () => {
  const body = fixture('launchdarkly-flag-on.json');
  const post = (b: string, headers: Record<string, string>) => receiveWebhook(sources, 'launchdarkly', 'prod', { headers, body: b, now: NOW });

  it('a flag turned on in production is a flag change of the tagged service, off → on', async () => {
    const [c] = changes(await post(body, { 'x-ld-signature': hmac(LD_SECRET, body) }));
    assert.equal(c?.type, 'flag');
    assert.equal(c?.service, 'order-sync');
    assert.equal(c?.team, 'fulfilment');
    assert.equal(c?.time, 1773320520000);
    assert.deepEqual(c?.keys, ['order-sync-batching', 'batch.size']);
    assert.deepEqual(c?.settings, [
      { key: 'order-sync-batching@production', from: 'off', to: 'on' },
      { key: 'batch.size', from: '50', to: '500' },
    ]);
  });

  it('refuses an unsigned or wrongly signed delivery', async () => {
    assert.equal((await post(body, {}) as { refused: string }).refused, 'unsigned');
    assert.equal((await post(body, { 'x-ld-signature': hmac('wrong-secret', body) }) as { refused: string }).refused, 'bad-signature');
  });

  it('a flag without a service tag is refused naming the tags', async () => {
    const doc = JSON.parse(body) as { currentVersion: { tags: string[] } };
    doc.currentVersion.tags = [];
    const b = JSON.stringify(doc);
    const r = await post(b, { 'x-ld-signature': hmac(LD_SECRET, b) });
    assert.equal((r as { field: string }).field, 'currentVersion.tags');
  });

  it('a project-level entry is ignored', async () => {
    const b = JSON.stringify({ ...JSON.parse(body), kind: 'project' });
    assert.ok('ignored' in (await post(b, { 'x-ld-signature': hmac(LD_SECRET, b) })));
  });
});

describe('changes: Argo CD notifications', () => {
  const post = (b: string, headers: Record<string, string>) => receiveWebhook(sources, 'argocd', 'main', { headers, body: b, now: NOW });
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('the on-deployed template body is a deploy of the image tag', async () => {
    const [c] = changes(await post(fixture('argocd-on-deployed.json'), auth));
    assert.equal(c?.service, 'order-sync');
    assert.equal(c?.version, '2.14.0');
    assert.equal(c?.team, 'fulfilment');
    assert.equal(c?.time, Date.parse('2026-03-12T12:55:40Z'));
  });

  it('the whole Application object gives the same change', async () => {
    const [a] = changes(await post(fixture('argocd-on-deployed.json'), auth));
    const [b] = changes(await post(fixture('argocd-application.json'), auth));
    assert.deepEqual({ ...b, origins: undefined }, { ...a, origins: undefined });
  });

  it('refuses a missing or wrong bearer token; ignores a failed sync', async () => {
    assert.equal((await post(fixture('argocd-on-deployed.json'), {}) as { refused: string }).refused, 'unsigned');
    assert.equal((await post(fixture('argocd-on-deployed.json'), { authorization: 'Bearer nope' }) as { refused: string }).refused, 'bad-signature');
    const failed = JSON.stringify({ ...JSON.parse(fixture('argocd-on-deployed.json')), phase: 'Failed' });
    assert.deepEqual(await post(failed, auth), { ignored: 'operation phase is Failed' });
  });
});

describe('changes: PagerDuty Change Events v2', () => {
  const body = fixture('pagerduty-change.json');
  const post = (b: string, headers: Record<string, string>) => receiveWebhook(sources, 'pagerduty', 'ci', { headers, body: b, now: NOW });

  it("PagerDuty's documented example is a change at its timestamp (+0000 zone), id from the body", async () => {
    const [c] = changes(await post(body, { 'x-epicenter-signature': `sha256=${hmac(SHARED_SECRET, body)}` }));
    assert.equal(c?.time, Date.parse('2020-07-17T08:42:58.315Z'));
    assert.equal(c?.service, 'acme-build-pipeline-tool-default-i-9999');
    assert.equal(c?.summary, 'Build Success: Increase snapshot create timeout to 30 seconds');
    assert.match(c?.id ?? '', /^pd-[0-9a-f]{16}$/);
    assert.equal(c?.origins?.[0]?.url, 'https://acme.pagerduty.dev/build/2');
  });

  it('refuses an unsigned delivery and one without a summary', async () => {
    assert.equal((await post(body, {}) as { refused: string }).refused, 'unsigned');
    const b = JSON.stringify({ payload: { source: 'x' } });
    assert.deepEqual(await post(b, { 'x-epicenter-signature': hmac(SHARED_SECRET, b) }), { refused: 'malformed', field: 'payload.summary', message: 'is required' });
  });
});

describe('changes: generic JSON mapping', () => {
  const doc = {
    events: [
      { uid: 'rel-1', at: '2026-03-12T13:02:00+01:00', target: { service: 'order-sync', owner: 'fulfilment' }, message: 'set http.client.pool.min_idle 28 → 224', changed: [{ key: 'http.client.pool.min_idle' }], build: '812' },
      { uid: 'rel-2', at: 1773320520, target: { service: 'checkout-api' }, message: 'release 4.1', build: '4.1' },
    ],
  };
  const post = (b: string, headers: Record<string, string>) => receiveWebhook(sources, 'generic', 'deploys', { headers, body: b, now: NOW });

  it('maps every item by the configured paths; text gives settings and the kind', async () => {
    const [a, b] = changes(await post(JSON.stringify(doc), { authorization: `Bearer ${TOKEN}` }));
    assert.deepEqual(a, {
      id: 'rel-1',
      source: 'generic/deploys',
      type: 'config',
      rawType: 'generic.deploys.change.config',
      service: 'order-sync',
      team: 'fulfilment',
      time: Date.parse('2026-03-12T12:02:00Z'),
      summary: 'set http.client.pool.min_idle 28 → 224',
      version: '812',
      keys: ['http.client.pool.min_idle'],
      settings: [{ key: 'http.client.pool.min_idle', from: '28', to: '224' }],
      origins: [{ source: 'generic/deploys', id: 'rel-1', kind: 'generic.deploys' }],
    });
    assert.equal(b?.type, 'deploy');
    assert.equal(b?.time, 1773320520_000);
  });

  it('refuses an item without the mapped service, naming the path', async () => {
    const b = JSON.stringify({ events: [{ uid: 'x', at: '2026-03-12T13:00:00Z' }] });
    assert.deepEqual(await post(b, { authorization: `Bearer ${TOKEN}` }), { refused: 'malformed', field: '$.events[0] $.target.service', message: 'is required (map.service)' });
  });
});

describe('changes: source configuration', () => {
  it('a config push touching two services is one change per service (servicePathSegment)', async () => {
    const cfg = changeSourcesSchema.parse({ github: { cfg: { secret: GH_SECRET, configRepo: true, servicePathSegment: 0 } } });
    const ex = structuredClone(githubExamples('push').find((e) => e['ref'] === 'refs/heads/master')!);
    (ex['commits'] as { added: string[]; modified: string[] }[])[0]!.modified = ['order-sync/app.yaml', 'checkout-api/app.yaml', 'README.md'];
    const body = JSON.stringify(ex);
    const r = await receiveWebhook(cfg, 'github', 'cfg', { headers: { 'x-github-event': 'push', 'x-hub-signature-256': await sign(GH_SECRET, body) }, body, now: NOW });
    assert.deepEqual(changes(r).map((c) => [c.service, c.keys]), [
      ['Hello-World', ['README.md']],
      ['order-sync', ['order-sync/app.yaml']],
      ['checkout-api', ['checkout-api/app.yaml']],
    ]);
  });

  it('refuses, when the configuration is read, a source that could not authenticate its sender or a path it cannot follow', () => {
    const noAuth = changeSourcesSchema.safeParse({ argocd: { main: {} } });
    assert.equal(noAuth.success, false);
    assert.match(noAuth.error?.issues[0]?.message ?? '', /needs a secret .* or a token/);
    const badPath = changeSourcesSchema.safeParse({ generic: { g: { token: TOKEN, map: { time: '$..when', service: '$.s' } } } });
    assert.equal(badPath.success, false);
    assert.match(badPath.error?.issues[0]?.message ?? '', /unsupported path syntax/);
    assert.equal(changeSourcesSchema.safeParse({ github: { x: { secret: 'short' } } }).success, false);
  });
});
