/**
 * The drill's bookkeeping: child processes whose JSON log lines it reads, and a stack of clean-up
 * steps run in reverse order whatever happens (every process the drill starts, it stops).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A child process with its stdout JSON lines (other lines kept as `{msg: line}`) and stderr. */
export class Child {
  readonly lines: Record<string, unknown>[] = [];
  readonly stderr: string[] = [];
  private readonly proc: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(readonly name: string, command: string, args: readonly string[], env: Record<string, string>, cwd: string) {
    this.proc = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.proc.stdout! }).on('line', (l) => {
      try {
        this.lines.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        this.lines.push({ msg: l });
      }
    });
    createInterface({ input: this.proc.stderr! }).on('line', (l) => this.stderr.push(l));
    this.exited = new Promise((resolve) => this.proc.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  signal(sig: NodeJS.Signals): void {
    if (this.running) this.proc.kill(sig);
  }

  /** The first line with `msg` (seen already or within `timeoutMs`); fails early if the process exits. */
  async line(msg: string, timeoutMs: number, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const l = this.lines.find((x) => x['msg'] === msg);
      if (l !== undefined) return l;
      if (!this.running) throw new Error(`${this.name} exited before logging "${msg}": ${this.tail()}`);
      if (Date.now() > end) throw new Error(`${this.name}: no "${msg}" within ${timeoutMs} ms: ${this.tail()}`);
      signal?.throwIfAborted();
      await sleep(100);
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(t);
  }

  tail(n = 8): string {
    return [...this.lines.slice(-n).map((l) => JSON.stringify(l)), ...this.stderr.slice(-n)].join('\n');
  }
}

/** Clean-up steps, run last-in first-out; a failing step is reported and the rest still run. */
export class CleanupStack {
  private readonly steps: { what: string; run: () => Promise<unknown> }[] = [];

  push(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  async runAll(): Promise<string[]> {
    const failures: string[] = [];
    for (const s of this.steps.splice(0).reverse()) {
      try {
        await s.run();
      } catch (e) {
        failures.push(`${s.what}: ${(e as Error).message}`);
      }
    }
    return failures;
  }
}

/** Whether a process with this pid still exists (signal 0 probes without sending anything). */
/** A process as started: its pid and its start time, so that a pid reused later is not taken for it. */
export interface ProcId {
  readonly pid: number;
  /** Clock ticks after boot (/proc/PID/stat field 22); undefined where there is no /proc. */
  readonly start: string | undefined;
}

export function procId(pid: number): ProcId {
  return { pid, start: startTime(pid) };
}

/** /proc/PID/stat fields from field 3 (state) on: the command name before them may hold spaces. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function startTime(pid: number): string | undefined {
  return statFields(pid)?.[22 - 3];
}

/**
 * Whether that very process still runs. A long test run can wrap the pid counter, and a pid (or a
 * thread id: kill(pid, 0) accepts those too) may be given out again seconds after its process ended.
 * A zombie has ended: a daemon (the Collector) that exited waits as one until init reaps it, and
 * the service scripts already count it as stopped.
 */
export function alive(p: ProcId): boolean {
  if (p.start !== undefined) {
    const f = statFields(p.pid);
    return f !== undefined && f[22 - 3] === p.start && f[0] !== 'Z' && f[0] !== 'X';
  }
  try {
    process.kill(p.pid, 0);
    return true;
  } catch {
    return false;
  }
}
