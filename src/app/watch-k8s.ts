import { readFileSync } from 'node:fs';
import { K8sChangeTracker } from '../changes/k8s';
import { DEFAULT_K8S_OPTIONS, type K8sOptions, type WatchEvent } from '../changes/k8s-objects';
import { replayWatchStream } from '../changes/k8s-replay';
import type { ChangeEvent } from '../domain/types';
import { EpicenterError } from '../errors';
import { httpSink, ndjsonSink } from '../k8s/sink';
import { kubeCluster, startK8sWatch } from '../k8s/watch';
import type { ChangeSink } from '../ports';
import type { Logger } from './logger';

export interface WatchK8sOptions {
  readonly cluster?: string;
  readonly namespace?: string;
  readonly kubeconfig?: string;
  readonly serviceLabels?: readonly string[];
  readonly teamLabels?: readonly string[];
  readonly teamAnnotations?: readonly string[];
  /** Kinds not to watch (e.g. Secret). */
  readonly skip?: readonly string[];
  /** A recorded watch stream (JSON lines of WatchEvents) instead of the API server. */
  readonly replay?: string;
  /** CloudEvents NDJSON file, `-` for stdout. */
  readonly out?: string;
  /** epicenter's base URL: changes go to POST /v1/changes. */
  readonly post?: string;
  readonly token?: string;
}

function sinks(o: WatchK8sOptions): ChangeSink[] {
  const out: ChangeSink[] = [];
  if (o.post !== undefined) out.push(httpSink(o.post, o.token));
  if (o.out !== undefined || o.post === undefined) out.push(ndjsonSink(o.out ?? '-'));
  return out;
}

function trackerOptions(o: WatchK8sOptions, cluster: string): K8sOptions {
  return {
    cluster,
    serviceLabels: o.serviceLabels ?? DEFAULT_K8S_OPTIONS.serviceLabels,
    teamLabels: o.teamLabels ?? DEFAULT_K8S_OPTIONS.teamLabels,
    teamAnnotations: o.teamAnnotations ?? DEFAULT_K8S_OPTIONS.teamAnnotations,
  };
}

async function publish(to: readonly ChangeSink[], cs: readonly ChangeEvent[], log: Logger): Promise<void> {
  if (cs.length === 0) return;
  for (const s of to) await s.publishChanges(cs);
  for (const c of cs) log.info({ id: c.id, service: c.service, type: c.type, at: new Date(c.time).toISOString(), summary: c.summary }, 'k8s change');
}

/** Replays a recorded stream (returns when done) or watches the cluster until `stop` resolves. */
export async function runWatchK8s(o: WatchK8sOptions, log: Logger, stop: Promise<void>): Promise<{ changes: number; rejected: EpicenterError[] }> {
  const to = sinks(o);
  if (o.replay !== undefined) {
    let text: string;
    try {
      text = readFileSync(o.replay, 'utf8');
    } catch (e) {
      throw new EpicenterError('BAD_INPUT', `cannot read ${o.replay}: ${(e as Error).message}`, { origin: { file: o.replay } });
    }
    const r = replayWatchStream(text, new K8sChangeTracker(trackerOptions(o, o.cluster ?? 'replay')), Date.now(), o.replay);
    await publish(to, r.changes, log);
    return { changes: r.changes.length, rejected: r.errors };
  }
  const cluster = o.cluster ?? (await kubeCluster(o.kubeconfig));
  const tracker = new K8sChangeTracker(trackerOptions(o, cluster));
  let count = 0;
  // Events are handled in order, one publish at a time, so a slow sink never reorders changes.
  let chain = Promise.resolve();
  const handle = (ev: WatchEvent, initial: boolean) => {
    const cs = tracker.observe(ev, Date.now(), initial);
    count += cs.length;
    chain = chain.then(() => publish(to, cs, log)).catch((e: unknown) => log.error({ err: (e as Error).message, lost: cs.map((c) => c.id) }, 'k8s: could not publish changes'));
  };
  const watch = await startK8sWatch(
    { ...(o.namespace === undefined ? {} : { namespace: o.namespace }), ...(o.kubeconfig === undefined ? {} : { kubeconfig: o.kubeconfig }), skip: o.skip ?? [], onError: (kind, err) => log.warn({ kind, err: String(err) }, 'k8s: watch failed; retrying') },
    handle,
  );
  log.info({ cluster, namespace: o.namespace ?? '(all)' }, 'watch-k8s: watching');
  await stop;
  await watch.stop();
  await chain;
  return { changes: count, rejected: [] };
}
