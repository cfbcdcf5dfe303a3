/**
 * The drill's stage: the topology, the callers' config files, the change events as the teams'
 * tools would send them, a local Slack stand-in that records posts, and a real Alertmanager.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { SlackMessage } from '../../src/slack/limits';
import { Child } from './procs';
import { FD_METRIC } from './telemetry';

export const VICTIM = 'checkout-api';
export const CAUSE_SERVICE = 'order-sync';
export const OTHER_CALLER = 'web-frontend';
export const TEAMS: Readonly<Record<string, string>> = { [VICTIM]: 'checkout', [CAUSE_SERVICE]: 'fulfilment', [OTHER_CALLER]: 'storefront' };

/** Services, owners, calls and the victim's fd limit, as a platform team would declare them. */
export function writeTopology(dir: string, fdLimit: number): string {
  const file = join(dir, 'topology.yaml');
  const callers = [CAUSE_SERVICE, OTHER_CALLER].map((name) => ({ name, team: TEAMS[name], dependsOn: [VICTIM], limits: { [FD_METRIC]: 65536 } }));
  writeFileSync(file, stringify({ services: [...callers, { name: VICTIM, team: TEAMS[VICTIM], dependsOn: [], limits: { [FD_METRIC]: fdLimit } }] }));
  return file;
}

/** A caller's config file (see pool-client.ts). */
export function writeClientConfig(file: string, port: number, poolSize: number, requestsPerSecond: number): void {
  writeFileSync(file, stringify({ upstream: { service: VICTIM, host: '127.0.0.1', port }, pool: { size: poolSize }, requestsPerSecond }));
}

export type ChangeKind = 'config' | 'deploy' | 'flag';

/** A CloudEvents 1.0 change event as a team's config service, CI or flag tool sends it. */
export function changeEvent(id: string, kind: ChangeKind, service: string, time: number, summary: string, data: Record<string, unknown> = {}): Record<string, unknown> {
  const source = { config: '//config.drill.local/audit', deploy: '//ci.drill.local/pipelines', flag: '//flags.drill.local/audit' }[kind];
  return { specversion: '1.0', id, source, type: `com.example.change.${kind}`, subject: service, time: new Date(time).toISOString(), datacontenttype: 'application/json', data: { team: TEAMS[service], summary, ...data } };
}

export interface SlackPost {
  readonly at: number;
  readonly message: SlackMessage;
}

/** A local stand-in for Slack's incoming webhook: records every post. */
export async function slackReceiver(): Promise<{ url: string; posts: SlackPost[]; server: Server }> {
  const posts: SlackPost[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posts.push({ at: Date.now(), message: JSON.parse(body) as SlackMessage });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/drill`, posts, server };
}

/** A real Alertmanager (scripts/alertmanager.sh) that sends its notifications to epicenter's webhook. */
export function startAlertmanager(root: string, dir: string, port: number, webhookUrl: string, token: string): Child {
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(
    config,
    [
      'global: { resolve_timeout: 5m }',
      'route: { receiver: epicenter, group_by: [alertname, service], group_wait: 1s, group_interval: 5s, repeat_interval: 1h }',
      'receivers:',
      '  - name: epicenter',
      '    webhook_configs:',
      `      - url: ${webhookUrl}`,
      `        http_config: { authorization: { credentials: ${token} } }`,
      '',
    ].join('\n'),
  );
  return new Child('alertmanager', 'bash', [join(root, 'scripts', 'alertmanager.sh'), 'run', config, String(port), join(dir, 'alertmanager-data')], {}, root);
}
