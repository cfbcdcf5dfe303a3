import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BROKERS, CLICKHOUSE_URL, ROOT, waitFor } from './services';

/** Names one isolated epicenter deployment: its topics, consumer group and ClickHouse database. */
export interface Deployment {
  readonly metrics: string;
  readonly collectd: string;
  readonly changes: string;
  readonly deadLetter: string;
  readonly groupId: string;
  readonly database: string;
}

export function deploymentEnv(d: Deployment, extra: Record<string, string> = {}): Record<string, string> {
  return {
    EPICENTER_KAFKA_BROKERS: BROKERS.join(','),
    EPICENTER_KAFKA_GROUP_ID: d.groupId,
    EPICENTER_KAFKA_TOPICS_METRICS: d.metrics,
    EPICENTER_KAFKA_TOPICS_COLLECTD: d.collectd,
    EPICENTER_KAFKA_TOPICS_CHANGES: d.changes,
    EPICENTER_KAFKA_TOPICS_DEAD_LETTER: d.deadLetter,
    // Short session: a SIGKILLed member's partitions move on within seconds.
    EPICENTER_KAFKA_SESSION_TIMEOUT_MS: '10000',
    EPICENTER_KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    EPICENTER_CLICKHOUSE_URL: CLICKHOUSE_URL,
    EPICENTER_CLICKHOUSE_DATABASE: d.database,
    EPICENTER_CLICKHOUSE_BATCH_MS: '300',
    EPICENTER_HTTP_PORT: '0',
    EPICENTER_PIPELINE_STATS_INTERVAL_MS: '1000',
    EPICENTER_LOG_LEVEL: 'info',
    ...extra,
  };
}

/** One `node bin/epicenter.js run` process with its JSON log lines collected. */
export class RunProcess {
  readonly logs: Record<string, unknown>[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string>, readonly name = 'run', args: readonly string[] = []) {
    this.child = spawn(process.execPath, [join(ROOT, 'bin', 'epicenter.js'), 'run', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.logs.push({ msg: line });
      }
      if (process.env['EPICENTER_TEST_ECHO'] === '1') process.stderr.write(`[${this.name}] ${line}\n`);
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderr.push(line);
      if (process.env['EPICENTER_TEST_ECHO'] === '1') process.stderr.write(`[${this.name} stderr] ${line}\n`);
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves with the first log line matching `pred` (already seen or future). */
  waitForLog(what: string, pred: (l: Record<string, unknown>) => boolean, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    return waitFor(
      `${this.name}: ${what}`,
      () => {
        if (this.child.exitCode !== null) throw new Error(`${this.name} exited with ${this.child.exitCode}: ${this.tail()}`);
        return Promise.resolve(this.logs.find(pred));
      },
      (l) => l !== undefined,
      timeoutMs,
      100,
    ) as Promise<Record<string, unknown>>;
  }

  /** Started and joined the metrics group. */
  async ready(timeoutMs = 90_000): Promise<void> {
    await this.waitForLog('started', (l) => l['msg'] === 'epicenter run: started', timeoutMs);
    await this.waitForLog('joined metrics group', (l) => l['msg'] === 'kafka: joined group' && l['consumer'] === 'metrics', timeoutMs);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM and wait for the exit code. */
  async stop(timeoutMs = 60_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(t);
    }
  }

  /** The last log lines and stderr, for failure messages. */
  tail(n = 15): string {
    return [...this.logs.slice(-n).map((l) => JSON.stringify(l)), ...this.stderr.slice(-n)].join('\n');
  }
}
