import type { ChangeEvent } from '../domain/types';
import { compact, malformed, obj, optObj, optText, text, timeOf, withSettings, type Obj } from './common';
import type { GithubSource } from './config';
import type { Normalised } from './source';

/**
 * GitHub webhooks (shapes as in @octokit/webhooks-examples): a successful `deployment_status` is a
 * deploy; a `push` to a repository configured as a config repository is a config change whose keys
 * are the changed files (the payload carries file names, not diffs; values come from the commit
 * messages when they name them). Everything else is acknowledged and ignored.
 */
export function normaliseGithub(event: string | undefined, body: unknown, cfg: GithubSource, now: number): Normalised {
  if (event === undefined) throw malformed('x-github-event', 'header is required');
  if (event === 'ping') return { ignored: 'ping' };
  const doc = obj(body, 'body');
  if (event === 'deployment_status') return deploymentStatus(doc, cfg, now);
  if (event === 'push') return push(doc, cfg, now);
  return { ignored: `event ${event} is not a change` };
}

function deploymentStatus(doc: Obj, cfg: GithubSource, now: number): Normalised {
  const status = obj(doc['deployment_status'], 'deployment_status');
  const dep = obj(doc['deployment'], 'deployment');
  const repo = obj(doc['repository'], 'repository');
  const state = text(status['state'], 'deployment_status.state');
  // Only a finished, successful deployment changed what runs; pending/in_progress/failure did not (yet).
  if (state !== 'success') return { ignored: `deployment_status.state is ${state}` };
  const environment = text(dep['environment'], 'deployment.environment');
  if (cfg.environments !== undefined && !cfg.environments.includes(environment)) return { ignored: `environment ${environment} is not watched` };
  const payload = optObj(dep['payload']) ?? {};
  const sha = text(dep['sha'], 'deployment.sha');
  const repoName = text(repo['full_name'], 'repository.full_name');
  const depId = text(dep['id'], 'deployment.id');
  const service = optText(payload['service']) ?? cfg.service ?? text(repo['name'], 'repository.name');
  const description = optText(status['description']) ?? optText(dep['description']);
  const rollback = payload['rollback'] === true || /rollback/i.test(optText(dep['task']) ?? '');
  const summary = `${repoName}@${sha.slice(0, 7)} deployed to ${environment}${description === undefined ? '' : `: ${description}`}`;
  const change: ChangeEvent = compact({
    id: `gh-deploy-${depId}`,
    source: `github/${repoName}`,
    type: rollback ? 'rollback' : 'deploy',
    rawType: `github.deployment_status.change.${rollback ? 'rollback' : 'deploy'}`,
    service,
    team: optText(payload['team']) ?? cfg.team,
    time: timeOf(status['created_at'] ?? status['updated_at'], 'deployment_status.created_at', now),
    summary,
    version: optText(payload['version']) ?? sha,
    origins: [compact({ source: 'github', id: depId, kind: 'github.deployment_status', url: optText(status['target_url']) ?? optText(status['environment_url']) })],
  });
  return { changes: [withSettings(change, description)] };
}

function push(doc: Obj, cfg: GithubSource, now: number): Normalised {
  if (!cfg.configRepo) return { ignored: 'push to a repository not configured as configRepo' };
  const ref = text(doc['ref'], 'ref');
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  if (branch === undefined || !cfg.branches.includes(branch)) return { ignored: `${ref} is not a watched branch` };
  if (doc['deleted'] === true) return { ignored: 'branch deleted' };
  const after = text(doc['after'], 'after');
  const repo = obj(doc['repository'], 'repository');
  const repoName = text(repo['full_name'], 'repository.full_name');
  const commits = Array.isArray(doc['commits']) ? doc['commits'] : [];
  const head = optObj(doc['head_commit']);
  const files = new Set<string>();
  const messages: string[] = [];
  commits.forEach((c, i) => {
    const commit = obj(c, `commits[${i}]`);
    for (const k of ['added', 'modified', 'removed']) {
      const list = commit[k];
      if (Array.isArray(list)) for (const f of list) if (typeof f === 'string') files.add(f);
    }
    const m = optText(commit['message']);
    if (m !== undefined) messages.push(m);
  });
  if (files.size === 0) return { ignored: 'push changed no files' };
  const time = timeOf(head?.['timestamp'] ?? repo['pushed_at'], head === undefined ? 'repository.pushed_at' : 'head_commit.timestamp', now);
  const byService = new Map<string, string[]>();
  for (const f of files) {
    const seg = cfg.servicePathSegment === undefined ? undefined : f.split('/')[cfg.servicePathSegment];
    const service = cfg.service ?? (seg !== undefined && seg !== '' && f.split('/').length > (cfg.servicePathSegment ?? 0) + 1 ? seg : optText(repo['name']) ?? repoName);
    byService.set(service, [...(byService.get(service) ?? []), f]);
  }
  const headline = (optText(head?.['message']) ?? messages[messages.length - 1] ?? '').split('\n')[0] ?? '';
  const changes = [...byService].map(([service, keys]) =>
    withSettings(
      compact({
        id: `gh-push-${after.slice(0, 12)}-${service}`,
        source: `github/${repoName}`,
        type: 'config' as const,
        rawType: 'github.push.change.config',
        service,
        team: cfg.team,
        time,
        summary: `${service}: ${keys.length} config file${keys.length === 1 ? '' : 's'} changed in ${repoName}@${after.slice(0, 7)}${headline === '' ? '' : `: ${headline}`}`,
        version: after,
        keys,
        origins: [compact({ source: 'github', id: after, kind: 'github.push', url: optText(doc['compare']) })],
      }),
      ...messages,
    ),
  );
  return { changes };
}
