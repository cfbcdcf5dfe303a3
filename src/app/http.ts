import { parseConfig } from '../config/load';
import type { SourceCounters } from '../changes/counters';
import type { Config } from '../config/schema';
import type { Topology } from '../domain/types';
import { createHttpServer } from '../http/server';
import type { ChangeSink, Store } from '../ports';
import { ATTR, withSpan } from '../telemetry';
import { renderTimeline } from '../timeline';
import type { VerdictStore } from '../whatif/store';
import { analyzeFromStore } from './analyze';
import type { Logger } from './logger';
import { metricRulesOf } from './metric-names';
import type { MetricRule } from '../correlate';

const DEFAULT_PUBLIC_URL = parseConfig({}).http.publicUrl;

/** The HTTP API as `epicenter run` serves it: the shared store, changes republished on the changes topic. */
export interface HttpHandle {
  /** `host:port` actually bound. */
  readonly address: string;
  /** Base of the links it serves: http.publicUrl, or the address bound when that was left at its default. */
  readonly publicUrl: string;
  close(): Promise<void>;
}

export async function startHttp(p: { cfg: Readonly<Config>; store: Store; topology: Topology; changes: ChangeSink; log: Logger; readiness?: () => Promise<void>; sourceCounters?: SourceCounters; metricRules?: readonly MetricRule[]; verdicts?: VerdictStore }): Promise<HttpHandle> {
  const { store, topology } = p;
  // Links (Slack, /v1/timeline) are built per request from http.publicUrl: a copy we can point at
  // the address actually bound when publicUrl was left at its default (e.g. `demo --port 9100`).
  const http = { ...p.cfg.http };
  const cfg: Readonly<Config> = { ...p.cfg, http };
  // Read once where the config entered; a caller that already read them passes them on.
  const metricRules = p.metricRules ?? metricRulesOf(cfg);
  const analyze = (req: { service: string; at: number; windowMs: number; afterMs: number }) =>
    withSpan('epicenter.analysis', { [ATTR.service]: req.service }, () => analyzeFromStore(store, topology, { ...req, metricRules }));
  const app = createHttpServer({
    config: cfg,
    store,
    changes: p.changes,
    topology: () => topology,
    analyze,
    timeline: async (q) => {
      const r = await renderTimeline(store, topology, { ...q, windowMs: cfg.analysis.windowMs, afterMs: cfg.analysis.afterMs }, (s, t, req) =>
        withSpan('epicenter.analysis', { [ATTR.service]: req.service }, () => analyzeFromStore(s, t, { ...req, metricRules })),
      );
      return { markdown: r.markdown, html: r.html };
    },
    logger: p.log.child({ component: 'http' }),
    ...(p.readiness === undefined ? {} : { readiness: p.readiness }),
    ...(p.sourceCounters === undefined ? {} : { sourceCounters: p.sourceCounters }),
    ...(p.verdicts === undefined ? {} : { verdicts: p.verdicts }),
  });
  await app.listen({ host: cfg.http.host, port: cfg.http.port });
  const a = app.server.address();
  const address = a !== null && typeof a === 'object' ? `${a.address}:${a.port}` : String(a);
  if (http.publicUrl === DEFAULT_PUBLIC_URL && a !== null && typeof a === 'object') http.publicUrl = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  return { address, publicUrl: http.publicUrl, close: () => app.close() };
}
