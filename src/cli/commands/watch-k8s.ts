import type { Command } from 'commander';
import pino from 'pino';
import { runWatchK8s, type WatchK8sOptions } from '../../app/watch-k8s';
import { EXIT_REJECTED, reportRejected } from '../io';
import type { Register } from './index';

/**
 * `epicenter watch-k8s`: Kubernetes rollouts, scaling, ConfigMap and Secret edits as change events
 * (see docs/changes.md). Changes go to `--post` (epicenter's POST /v1/changes) and/or `--out`
 * (CloudEvents NDJSON; stdout by default); logs go to stderr. `--replay FILE` reads a recorded watch
 * stream instead of a cluster and exits. SIGINT/SIGTERM stop the watch.
 */
interface CliOptions {
  cluster?: string;
  namespace?: string;
  kubeconfig?: string;
  serviceLabel?: string[];
  teamLabel?: string[];
  teamAnnotation?: string[];
  skip?: string[];
  replay?: string;
  out?: string;
  post?: string;
  token?: string;
  logLevel: string;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export const registerWatchK8s: Register = (program: Command) => {
  program
    .command('watch-k8s')
    .description('Watch a Kubernetes cluster: rollouts, rollbacks, replica/HPA scaling, ConfigMap and Secret changes (keys only) become change events')
    .option('--cluster <name>', 'names the source (k8s/<name>); default: the kube context cluster')
    .option('--namespace <ns>', 'watch one namespace (default: all)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)')
    .option('--service-label <label>', 'label naming the service, tried in order; repeatable (default: app.kubernetes.io/name, app, k8s-app)', collect)
    .option('--team-label <label>', 'label naming the team; repeatable (default: team, app.kubernetes.io/team, owner)', collect)
    .option('--team-annotation <name>', 'annotation naming the team; repeatable (default: epicenter.io/team, team)', collect)
    .option('--skip <kind>', 'do not watch this kind (e.g. Secret); repeatable', collect)
    .option('--replay <file>', 'read a recorded watch stream (JSON lines of WatchEvents) instead of a cluster, then exit')
    .option('--out <file>', "append CloudEvents NDJSON here ('-' = stdout; the default when --post is absent)")
    .option('--post <url>', "send changes to epicenter's POST /v1/changes at this base URL")
    .option('--token <token>', 'bearer token for --post (default: EPICENTER_HTTP_TOKEN)')
    .option('--log-level <level>', 'log level (logs go to stderr)', 'info')
    .action(async (o: CliOptions) => {
      const log = pino({ level: o.logLevel }, pino.destination(2));
      const token = o.token ?? process.env['EPICENTER_HTTP_TOKEN'];
      const opts: WatchK8sOptions = {
        ...(o.cluster === undefined ? {} : { cluster: o.cluster }),
        ...(o.namespace === undefined ? {} : { namespace: o.namespace }),
        ...(o.kubeconfig === undefined ? {} : { kubeconfig: o.kubeconfig }),
        ...(o.serviceLabel === undefined ? {} : { serviceLabels: o.serviceLabel }),
        ...(o.teamLabel === undefined ? {} : { teamLabels: o.teamLabel }),
        ...(o.teamAnnotation === undefined ? {} : { teamAnnotations: o.teamAnnotation }),
        ...(o.skip === undefined ? {} : { skip: o.skip }),
        ...(o.replay === undefined ? {} : { replay: o.replay }),
        ...(o.out === undefined ? {} : { out: o.out }),
        ...(o.post === undefined ? {} : { post: o.post }),
        ...(token === undefined ? {} : { token }),
      };
      const stop = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      const r = await runWatchK8s(opts, log, stop);
      log.info({ changes: r.changes, rejected: r.rejected.length }, 'watch-k8s: done');
      reportRejected(r.rejected);
      if (r.rejected.length > 0) process.exitCode = EXIT_REJECTED;
      // The signal listeners (and the informers' sockets, now closed) must not keep a replay alive.
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
    });
};
