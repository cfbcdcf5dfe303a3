import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeSourcesSchema, type ChangeSourcesConfig } from '../../../src/changes/config';

export const GH_SECRET = 'github-webhook-secret';
export const LD_SECRET = 'launchdarkly-signing-secret';
export const SHARED_SECRET = 'shared-hmac-secret-0001';
export const TOKEN = 'argocd-bearer-token-0123456789';

export function fixture(name: string): string {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8');
}

export function hmac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** What GitHub sends in X-Hub-Signature-256 (computed here, verified by @octokit/webhooks-methods in the code under test). */
export function sign(secret: string, body: string): Promise<string> {
  return Promise.resolve(`sha256=${hmac(secret, body)}`);
}

interface GithubExample {
  name: string;
  examples: Record<string, unknown>[];
}

/** GitHub's own recorded webhook examples for one event. */
export function githubExamples(event: string): Record<string, unknown>[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const all = require('@octokit/webhooks-examples/api.github.com/index.json') as GithubExample[];
  return all.find((e) => e.name === event)?.examples ?? [];
}

export const sources: ChangeSourcesConfig = changeSourcesSchema.parse({
  github: {
    app: { secret: GH_SECRET, environments: ['production'] },
    config: { secret: GH_SECRET, configRepo: true, team: 'fulfilment' },
  },
  launchdarkly: { prod: { secret: LD_SECRET, environments: ['production'] } },
  argocd: { main: { token: TOKEN } },
  pagerduty: { ci: { secret: SHARED_SECRET } },
  generic: {
    deploys: {
      token: TOKEN,
      items: '$.events',
      map: { id: '$.uid', time: '$.at', service: '$.target.service', team: '$.target.owner', summary: '$.message', keys: '$.changed[*].key', version: '$.build' },
    },
  },
});
