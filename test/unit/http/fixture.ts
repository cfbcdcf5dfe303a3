import { parseConfig } from '../../../src/config/load';
import type { ChangeEvent, Suspect, Topology } from '../../../src/domain/types';
import { createHttpServer, type AnalyzeRequest, type HttpDeps } from '../../../src/http/server';
import type { StoredAnalysis } from '../../../src/ports';
import type { SlackMessage } from '../../../src/slack/limits';
import type { SlackClient } from '../../../src/slack/webhook';
import { MemoryStore } from '../../../src/store/memory';

/** A fixed "now" for route tests: 2024-05-01T12:00:00Z. */
export const NOW = Date.parse('2024-05-01T12:00:00Z');
export const TOKEN = 'test-token-0123456789abcdef';
export const SIGNING_SECRET = 'slack-signing-secret-for-tests';

export const topology: Topology = {
  services: [
    { name: 'jobs', team: 'A', dependsOn: [], limits: { 'process.open_file_descriptor.count': 1024 } },
    { name: 'api', team: 'B', dependsOn: ['jobs'], limits: {} },
  ],
};

export const suspect: Suspect = { id: 'chg-b-config', service: 'api', team: 'B', type: 'config', time: NOW - 12 * 60_000, score: 0.83, evidence: ['connections from api to jobs rose 4.1x within 3 min'] };

export function cloudEvent(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { specversion: '1.0', id: 'e1', source: 'deploybot', type: 'com.acme.change.config', time: '2024-05-01T11:48:00Z', subject: 'api', data: { team: 'B' }, ...over };
}

/** A recording Slack client. */
export class FakeSlack implements SlackClient {
  readonly posts: { message: SlackMessage; url?: string }[] = [];
  failNext = 0;
  post(message: SlackMessage, opts?: { url?: string }): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return Promise.reject(Object.assign(new Error('boom'), {}));
    }
    this.posts.push({ message, ...(opts?.url === undefined ? {} : { url: opts.url }) });
    return Promise.resolve();
  }
}

export interface Harness {
  readonly app: ReturnType<typeof createHttpServer>;
  readonly store: MemoryStore;
  readonly slack: FakeSlack;
  readonly analyses: AnalyzeRequest[];
}

/** A server on a MemoryStore with a fake analysis (one suspect) and a recording Slack. */
export function harness(opts: { config?: Record<string, unknown>; deps?: Partial<HttpDeps>; changes?: ChangeEvent[] } = {}): Harness {
  const config = parseConfig({ log: { level: 'silent' }, http: { publicUrl: 'https://epicenter.example.com/' }, slack: { signingSecret: SIGNING_SECRET }, ...opts.config });
  const store = new MemoryStore();
  const slack = new FakeSlack();
  const analyses: AnalyzeRequest[] = [];
  const analyze = (req: AnalyzeRequest): Promise<StoredAnalysis> => {
    analyses.push(req);
    return Promise.resolve({ id: `${req.service}@${req.at}`, service: req.service, at: req.at, from: req.at - req.windowMs, to: req.at + req.afterMs, createdAt: NOW, suspects: [suspect], breakpoints: [] });
  };
  const app = createHttpServer({ config, store, changes: store, topology: () => topology, analyze, slack, clock: { now: () => NOW }, ...opts.deps });
  return { app, store, slack, analyses };
}
