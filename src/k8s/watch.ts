import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { K8sObject, WatchEvent } from '../changes/k8s-objects';
import { EpicenterError } from '../errors';

/**
 * The only place that talks to a Kubernetes API server: one informer (list, then watch, re-listing
 * after errors) per watched resource, through the official @kubernetes/client-node. Objects go to
 * `onEvent` as watch events; what they mean is decided in src/changes/k8s.ts.
 *
 * The client's informer cache holds the objects it watches, Secrets included, as any controller
 * does; epicenter's own state keeps only digests of Secret values.
 */

export const WATCHED = [
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', plural: 'daemonsets' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers' },
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps' },
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets' },
] as const;

export interface K8sWatchOptions {
  /** Only this namespace; all when absent (needs cluster-wide list/watch). */
  readonly namespace?: string;
  /** A kubeconfig file; else the default (KUBECONFIG, ~/.kube/config, or the in-cluster service account). */
  readonly kubeconfig?: string;
  /** Resource kinds to skip, e.g. Secret when RBAC does not allow reading them. */
  readonly skip?: readonly string[];
  /** Called with every problem (the informer retries by itself after `retryMs`). */
  readonly onError: (kind: string, err: unknown) => void;
  /** @default 5000 */
  readonly retryMs?: number;
}

export interface K8sWatchHandle {
  stop(): Promise<void>;
}

async function kubeConfig(file: string | undefined) {
  // Without any of these the client silently targets http://localhost:8080, which is never meant.
  const home = join(homedir(), '.kube', 'config');
  if (file === undefined && process.env['KUBECONFIG'] === undefined && process.env['KUBERNETES_SERVICE_HOST'] === undefined && !existsSync(home)) {
    throw new EpicenterError('BAD_CONFIG', `no Kubernetes configuration: pass --kubeconfig FILE, set KUBECONFIG, create ${home}, or run in a cluster`, { origin: { field: 'kubeconfig' } });
  }
  if (file !== undefined && !existsSync(file)) throw new EpicenterError('BAD_CONFIG', `--kubeconfig ${file}: no such file`, { origin: { file, field: 'kubeconfig' } });
  // ESM-only package: loaded on first use from this CommonJS build.
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  if (file === undefined) kc.loadFromDefault();
  else kc.loadFromFile(file);
  return { k8s, kc };
}

/** The current kube context's cluster name (the default for `--cluster`). */
export async function kubeCluster(file?: string): Promise<string> {
  const { kc } = await kubeConfig(file);
  return kc.getCurrentCluster()?.name ?? 'default';
}

function pathOf(apiVersion: string, plural: string, namespace: string | undefined): string {
  const base = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
  return `${base}${namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`}/${plural}`;
}

/** Starts every informer; resolves once each has listed (those events carry `initial: true`). */
export async function startK8sWatch(opts: K8sWatchOptions, onEvent: (ev: WatchEvent, initial: boolean) => void): Promise<K8sWatchHandle> {
  const { k8s, kc } = await kubeConfig(opts.kubeconfig);
  const client = k8s.KubernetesObjectApi.makeApiClient(kc);
  const informers: { stop(): Promise<void> }[] = [];
  let stopped = false;
  for (const r of WATCHED.filter((w) => !(opts.skip ?? []).includes(w.kind))) {
    const informer = k8s.makeInformer(kc, pathOf(r.apiVersion, r.plural, opts.namespace), () => client.list(r.apiVersion, r.kind, opts.namespace));
    let initial = true;
    // Listed objects are the client's models (times as Date, no kind/apiVersion on list items); watched
    // ones are plain JSON. One shape for the tracker: plain JSON, with the kind put back.
    const typed = (o: object): K8sObject => ({ ...(JSON.parse(JSON.stringify(o)) as K8sObject), kind: r.kind, apiVersion: r.apiVersion });
    informer.on('add', (o) => onEvent({ type: 'ADDED', object: typed(o) }, initial));
    informer.on('update', (o) => onEvent({ type: 'MODIFIED', object: typed(o) }, false));
    informer.on('delete', (o) => onEvent({ type: 'DELETED', object: typed(o) }, false));
    informer.on('error', (err: unknown) => {
      opts.onError(r.kind, err);
      setTimeout(() => {
        if (!stopped) void informer.start().catch((e: unknown) => opts.onError(r.kind, e));
      }, opts.retryMs ?? 5000).unref();
    });
    await informer.start();
    initial = false;
    informers.push(informer);
  }
  return {
    stop: async () => {
      stopped = true;
      for (const i of informers) await i.stop();
    },
  };
}
