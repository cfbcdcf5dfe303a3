/**
 * The founding story, live, with real processes on the loopback (test/integration/drill.test.ts and
 * `npm run drill`): checkout-api (team checkout) serves under `ulimit -n`; order-sync (team
 * fulfilment) and web-frontend (team storefront) keep pooled connections to it, sized by their
 * config files. All three export fds and connections through the OpenTelemetry SDK to a real
 * Collector (whose host_metrics scraper also watches them) → Kafka → `epicenter run` → ClickHouse.
 * After a quiet baseline, order-sync's pool goes 8 → 400 (a CloudEvent on epicenter's API, the
 * file rewritten, SIGHUP); checkout-api's fds climb to the limit (EMFILE); an alert rule evaluated
 * on ClickHouse (fds ≥ 90 % of the limit for `alertForMs`) posts to a real Alertmanager, whose
 * webhook reaches epicenter, whose Slack message is recorded. Every process is stopped at the end.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Suspect } from '../../src/domain/types';
import { testDb, type TestDb } from '../../test/integration/helpers/clickhouse';
import { collectorConfig, collectorSh, freePort } from '../../test/integration/helpers/collector';
import { connectTestBus } from '../../test/integration/helpers/kafka';
import { deploymentEnv, RunProcess, type Deployment } from '../../test/integration/helpers/runner';
import { ROOT, uniqueName } from '../../test/integration/helpers/services';
import { Child, CleanupStack, procId, type ProcId } from './procs';
import { postAlert, postChanges, waitHttpOk } from './http';
import { CAUSE_SERVICE, changeEvent, OTHER_CALLER, slackReceiver, startAlertmanager, TEAMS, VICTIM, writeClientConfig, writeTopology, type SlackPost } from './stage';
import { FD_METRIC } from './telemetry';

export interface DrillOptions {
  /** OTLP export interval of the three processes, ms. @default 2000 */
  readonly exportMs?: number;
  /** Quiet history before the config change (the detector needs 32 samples), ms. @default 100000 */
  readonly baselineMs?: number;
  /** checkout-api's `ulimit -n`. @default 256 */
  readonly fdLimit?: number;
  /** order-sync's pool size before and after the change. @default 8, 400 */
  readonly poolBefore?: number;
  readonly poolAfter?: number;
  /** How long fds must stay ≥ 90 % of the limit before the alert fires (a rule's `for:`), ms. @default 30000 */
  readonly alertForMs?: number;
  /** Post order-sync's config change to epicenter (false: the change happens but the change log misses it). @default true */
  readonly recordCause?: boolean;
  /** Progress lines. */
  readonly say?: (line: string) => void;
  /** Aborting stops the drill; everything started is still stopped. */
  readonly signal?: AbortSignal;
}

export interface DrillReport {
  readonly fdLimit: number;
  readonly cause: { readonly id: string; readonly service: string; readonly team: string };
  readonly events: readonly { readonly t: number; readonly what: string }[];
  readonly slack: SlackPost;
  /** Text of the Slack message's first ranked suspect. */
  readonly firstSuspect: string;
  /** The analysis behind the message, as epicenter stored it (all suspects, with evidence). */
  readonly suspects: readonly Suspect[];
  readonly emfile: readonly Record<string, unknown>[];
  /** Highest fd count of checkout-api stored from its own SDK export, and from the Collector's process scraper. */
  readonly storedFdsMax: number;
  readonly scrapedFdsMax: number;
  /** Every process the drill started (epicenter, Collector, Alertmanager, server, callers). */
  readonly pids: readonly ProcId[];
  readonly cleanupFailures: readonly string[];
}

const TOKEN = 'drill-token-0123456789abcdef';
const ALERT = 'CheckoutApiFileDescriptorsNearLimit';
const NAMES: Readonly<Record<string, string>> = { [VICTIM]: 'epi-checkout', [CAUSE_SERVICE]: 'epi-ordersync', [OTHER_CALLER]: 'epi-webfront' };

export async function runDrill(opts: DrillOptions = {}): Promise<DrillReport> {
  const stack = new CleanupStack();
  let report: Omit<DrillReport, 'cleanupFailures'> | undefined;
  let failure: unknown;
  try {
    report = await drill(opts, stack);
  } catch (e) {
    failure = e;
  }
  const cleanupFailures = await stack.runAll();
  if (report === undefined) throw new Error(`${(failure as Error).message}${cleanupFailures.length > 0 ? `\nclean-up: ${cleanupFailures.join('; ')}` : ''}`, { cause: failure });
  return { ...report, cleanupFailures };
}

async function drill(opts: DrillOptions, stack: CleanupStack): Promise<Omit<DrillReport, 'cleanupFailures'>> {
  const exportMs = opts.exportMs ?? 2000;
  const baselineMs = opts.baselineMs ?? 100_000;
  const limit = opts.fdLimit ?? 256;
  const alertForMs = opts.alertForMs ?? 30_000;
  const signal = opts.signal;
  const events: { t: number; what: string }[] = [];
  const mark = (what: string): void => {
    events.push({ t: Date.now(), what });
    opts.say?.(`${new Date().toISOString().slice(11, 19)}  ${what}`);
  };
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))).then(() => signal?.throwIfAborted());
  const pids: ProcId[] = [];
  const id = uniqueName('drill');
  const d: Deployment = { metrics: `${id}.otlp`, collectd: `${id}.collectd`, changes: `${id}.changes`, deadLetter: `${id}.dlq`, groupId: `${id}-g`, database: id };
  const dir = mkdtempSync(join(tmpdir(), 'epicenter-drill-'));
  stack.push('temp dir', () => Promise.resolve(rmSync(dir, { recursive: true, force: true })));

  const bus = await connectTestBus();
  stack.push('kafka topics', () => bus.cleanup([d.metrics, d.collectd, d.changes, d.deadLetter], [d.groupId]).finally(() => bus.close()));
  await bus.createTopics([d.metrics, d.collectd, d.changes], 2);
  const db = testDb(d.database);
  stack.push('clickhouse database', () => db.drop().finally(() => db.close()));
  const slack = await slackReceiver();
  stack.push('slack receiver', () => new Promise((resolve) => slack.server.close(resolve)));

  const httpPort = await freePort();
  const api = `http://127.0.0.1:${httpPort}`;
  const run = new RunProcess(
    deploymentEnv(d, {
      EPICENTER_HTTP_PORT: String(httpPort), EPICENTER_HTTP_TOKEN: TOKEN, EPICENTER_SLACK_WEBHOOK_URL: slack.url, EPICENTER_TOPOLOGY_FILE: writeTopology(dir, limit),
      EPICENTER_ANALYSIS_WINDOW_MS: '600000', EPICENTER_ANALYSIS_AFTER_MS: '60000', EPICENTER_PIPELINE_STATS_INTERVAL_MS: '10000',
    }),
    'epicenter-run',
  );
  stack.push('epicenter run', () => run.stop());
  pids.push(procId(run.pid ?? -1));
  await run.ready();
  await waitHttpOk(`${api}/healthz`, 30_000, signal);
  mark(`epicenter run up (pid ${run.pid}), HTTP ${api}`);

  const otlpPort = await freePort();
  const collectorFile = join(dir, 'collector.yaml');
  writeFileSync(collectorFile, collectorConfig({ otlpPort, topic: d.metrics, processNames: Object.values(NAMES) }));
  // collector.sh keeps a state folder (pid, log) per name: this one is the drill's alone.
  stack.push('collector', () => collectorSh(['stop', id]).then(() => rmSync(join(process.env['EPICENTER_SERVICES_DIR'] ?? join(ROOT, '.services'), `collector-${id}`), { recursive: true, force: true })));
  await collectorSh(['start', id, collectorFile], 120_000);
  pids.push(procId(Number(/pid (\d+)/.exec(await collectorSh(['status', id]))?.[1] ?? -1)));
  mark(`Collector up (otlp http 127.0.0.1:${otlpPort} → Kafka ${d.metrics}, default encoding otlp_proto)`);

  const amPort = await freePort();
  const am = startAlertmanager(ROOT, dir, amPort, `${api}/v1/alerts/alertmanager`, TOKEN);
  stack.push('alertmanager', () => am.stop());
  pids.push(procId(am.pid));
  await waitHttpOk(`http://127.0.0.1:${amPort}/-/ready`, 30_000, signal, () => (am.running ? undefined : `Alertmanager exited: ${am.tail()}`));
  mark(`Alertmanager up (127.0.0.1:${amPort}) → epicenter webhook`);

  const otel = { OTLP_URL: `http://127.0.0.1:${otlpPort}/v1/metrics`, EXPORT_MS: String(exportMs) };
  const start = (service: string, script: string, env: Record<string, string>, shell = 'exec "$0" "$@"'): Child => {
    const node = join(dir, NAMES[service] ?? service); // the scraper matches processes by executable name
    symlinkSync(process.execPath, node);
    const c = new Child(service, 'bash', ['-c', shell, node, '--import', 'tsx', join(ROOT, 'bench', 'drill', script)], { ...otel, ...env }, ROOT);
    stack.push(service, () => c.stop());
    pids.push(procId(c.pid));
    return c;
  };
  const server = start(VICTIM, 'checkout-api.ts', {}, `ulimit -n ${limit} && exec "$0" "$@"`);
  const port = Number((await server.line('listening', 60_000, signal))['port']);
  mark(`checkout-api (team checkout) listening on 127.0.0.1:${port}, ulimit -n ${limit}, pid ${server.pid}`);
  const config = (service: string): string => join(dir, `${service}.yaml`);
  const callers = [CAUSE_SERVICE, OTHER_CALLER].map((service) => {
    writeClientConfig(config(service), port, opts.poolBefore ?? 8, 5);
    return start(service, 'pool-client.ts', { SERVICE: service, CONFIG: config(service) });
  });
  for (const c of callers) await c.line('started', 60_000, signal);
  mark(`order-sync (team fulfilment) and web-frontend (team storefront) started, pool size ${opts.poolBefore ?? 8} each`);

  const fds = `SELECT max(value) AS v, count() AS n FROM ${d.database}.points WHERE service = '${VICTIM}' AND metric = '${FD_METRIC}'`;
  const t0 = await until('the first fds of checkout-api in ClickHouse', () => db.rows(fds).then((r) => Number(r[0]?.['n'] ?? 0) > 0), 90_000, 500, signal).then(() => Date.now());
  mark('first points of checkout-api stored: baseline begins');

  const changes = (docs: Record<string, unknown>[]): Promise<void> => postChanges(api, TOKEN, docs);
  await pause(t0 + baselineMs / 2 - Date.now());
  await changes([changeEvent(`chg-flag-${id}`, 'flag', OTHER_CALLER, Date.now(), 'web-frontend: flag new-cart-ui on for 5 % of sessions', { keys: ['new-cart-ui'] })]);
  mark('storefront turns on a flag of web-frontend (a change that does nothing to checkout-api)');
  await pause(t0 + baselineMs - Date.now());
  const cause = { id: `chg-pool-${id}`, service: CAUSE_SERVICE, team: TEAMS[CAUSE_SERVICE] ?? '' };
  const poolAfter = opts.poolAfter ?? 400;
  const recorded = opts.recordCause ?? true;
  if (recorded) await changes([changeEvent(cause.id, 'config', CAUSE_SERVICE, Date.now(), `order-sync: set http.client.pool.size ${opts.poolBefore ?? 8} → ${poolAfter}`, { keys: ['http.client.pool.size'] })]);
  writeClientConfig(config(CAUSE_SERVICE), port, poolAfter, 5);
  callers[0]?.signal('SIGHUP');
  const reload = await callers[0]!.line('config reloaded', 10_000, signal);
  mark(`fulfilment's config change ${recorded ? 'posted to epicenter' : 'NOT reported to epicenter'}; order-sync reloaded: pool.size ${String(reload['from'])} → ${String(reload['to'])}`);
  await pause(6000);
  await changes([changeEvent(`chg-deploy-${id}`, 'deploy', VICTIM, Date.now(), 'deploy checkout-api 2.14.1', { version: '2.14.1' })]);
  mark("checkout's own deploy of checkout-api is recorded (the red herring: nothing is restarted)");

  // The alert rule, evaluated like Prometheus would: fds ≥ 90 % of the limit, held for alertForMs.
  let pendingSince: number | undefined;
  const recent = `${fds} AND t_ms >= `;
  await until(`checkout-api fds ≥ 90 % of ${limit} for ${alertForMs} ms`, async () => {
    const v = Number((await db.rows(`${recent}${Date.now() - 3 * exportMs}`))[0]?.['v'] ?? 0);
    if (v < 0.9 * limit) pendingSince = undefined;
    else if (pendingSince === undefined) {
      pendingSince = Date.now();
      mark(`checkout-api fds ${v}/${limit} in ClickHouse: alert pending`);
    }
    return pendingSince !== undefined && Date.now() - pendingSince >= alertForMs;
  }, 150_000, exportMs, signal);
  const firedAt = Date.now();
  await postAlert(`http://127.0.0.1:${amPort}`, { alertname: ALERT, service: VICTIM, severity: 'critical' }, `checkout-api open fds at ≥ 90 % of its limit (${limit}) for ${alertForMs / 1000} s`, firedAt);
  mark('alert fired: posted to Alertmanager');
  const post = await until('epicenter’s Slack message', () => Promise.resolve(slack.posts[0]), 90_000, 200, signal, () => run.tail());
  mark(`Slack message received (${post.at - firedAt} ms after the alert)`);

  const first = post.message.blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*1. ') === true);
  return {
    fdLimit: limit, cause, events, slack: post, pids,
    firstSuspect: first?.type === 'section' ? (first.text?.text ?? '') : '',
    suspects: await storedSuspects(db, d.database, post),
    emfile: server.lines.filter((l) => l['msg'] === 'EMFILE'),
    storedFdsMax: Number((await db.rows(fds))[0]?.['v'] ?? 0),
    scrapedFdsMax: await db.scalar(`SELECT max(value) FROM ${d.database}.points WHERE metric = 'process.open_file_descriptors' AND labels LIKE '%"process.pid":"${server.pid}"%'`),
  };
}

/** The analysis the Slack message was built from, by the id in its footer. */
async function storedSuspects(db: TestDb, database: string, post: SlackPost): Promise<Suspect[]> {
  const id = /analysis `(an-[0-9a-f]+)`/.exec(JSON.stringify(post.message))?.[1];
  if (id === undefined) return [];
  const rows = await db.rows(`SELECT suspects FROM ${database}.analyses FINAL WHERE id = '${id}'`);
  return rows.length === 0 ? [] : (JSON.parse(String(rows[0]?.['suspects'])) as Suspect[]);
}

/** Poll `f` every `everyMs` until it gives a truthy value; fail after `timeoutMs` naming `what`. */
async function until<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs: number, everyMs: number, signal?: AbortSignal, context?: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    signal?.throwIfAborted();
    try {
      const v = await f();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = ` (last error: ${(e as Error).message})`;
    }
    if (Date.now() > end) throw new Error(`drill: timed out after ${timeoutMs} ms waiting for ${what}${lastError}${context === undefined ? '' : `\n${context()}`}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
