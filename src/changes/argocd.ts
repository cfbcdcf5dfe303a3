import type { ChangeEvent } from '../domain/types';
import { compact, malformed, obj, optObj, optText, text, timeOf, withSettings, type Obj } from './common';
import type { ArgocdSource } from './config';
import type { Normalised } from './source';

/**
 * Argo CD notifications (webhook service). Argo CD has no fixed webhook body: the template decides.
 * Two bodies are read: the flat one docs/changes.md gives for the `on-deployed` trigger (`app`,
 * `revision`, `finishedAt`, `images`, `labels`, …; field names follow the Application's
 * `.app.status.sync.revision`, `.app.status.operationState.finishedAt`, `.app.status.summary.images`),
 * and `{"app": {{toJson .app}}}`, the whole Application object.
 */
export function normaliseArgocd(body: unknown, cfg: ArgocdSource, now: number): Normalised {
  const doc = obj(body, 'body');
  const a = isApplication(doc['app']) ? fromApplication(obj(doc['app'], 'app')) : fromFlat(doc);
  if (a.phase !== undefined && a.phase !== 'Succeeded') return { ignored: `operation phase is ${a.phase}` };
  const labels = a.labels;
  const service = cfg.service ?? labels['app.kubernetes.io/name'] ?? a.name;
  const image = a.images.length === 1 ? a.images[0] : undefined;
  const tag = image === undefined ? undefined : /:([^:/@]+)(?:@.*)?$/.exec(image)?.[1];
  const change: ChangeEvent = compact({
    id: `argocd-${a.name}-${a.revision.slice(0, 12)}`,
    source: `argocd/${a.name}`,
    type: 'deploy' as const,
    rawType: 'argocd.on-deployed.change.deploy',
    service,
    team: cfg.team ?? labels['team'] ?? labels['app.kubernetes.io/team'] ?? a.annotations['epicenter.io/team'],
    time: timeOf(a.finishedAt, a.timeField, now),
    summary: `Argo CD synced ${a.name} to ${a.revision.slice(0, 7)}${image === undefined ? '' : ` (${image})`}`,
    version: labels['app.kubernetes.io/version'] ?? tag ?? a.revision,
    origins: [compact({ source: 'argocd', id: `${a.name}@${a.revision}`, kind: 'argocd.on-deployed', url: a.url })],
  });
  return { changes: [withSettings(change, optText(doc['message']))] };
}

interface App {
  name: string;
  revision: string;
  phase: string | undefined;
  finishedAt: unknown;
  timeField: string;
  images: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  url: string | undefined;
}

function isApplication(v: unknown): boolean {
  return optObj(v)?.['metadata'] !== undefined;
}

function strings(v: unknown): Record<string, string> {
  const o = optObj(v) ?? {};
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}

function fromFlat(doc: Obj): App {
  return {
    name: text(doc['app'], 'app'),
    revision: text(doc['revision'], 'revision'),
    phase: optText(doc['phase']),
    finishedAt: doc['finishedAt'],
    timeField: 'finishedAt',
    images: list(doc['images']),
    labels: strings(doc['labels']),
    annotations: strings(doc['annotations']),
    url: optText(doc['url']),
  };
}

function fromApplication(app: Obj): App {
  const meta = obj(app['metadata'], 'app.metadata');
  const status = obj(app['status'], 'app.status');
  const op = optObj(status['operationState']);
  const sync = optObj(status['sync']);
  const revision = optText(sync?.['revision']) ?? optText(optObj(op?.['syncResult'])?.['revision']);
  if (revision === undefined) throw malformed('app.status.sync.revision', 'is required');
  return {
    name: text(meta['name'], 'app.metadata.name'),
    revision,
    phase: optText(op?.['phase']),
    finishedAt: op?.['finishedAt'] ?? status['reconciledAt'],
    timeField: 'app.status.operationState.finishedAt',
    images: list(optObj(status['summary'])?.['images']),
    labels: strings(meta['labels']),
    annotations: strings(meta['annotations']),
    url: undefined,
  };
}
