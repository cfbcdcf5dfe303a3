import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Processes the pipeline bench starts and watches: `epicenter run`, and the services' CPU and memory. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Proc {
  pid: number;
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** `node [nodeArgs] bin/epicenter.js run` under `root`, its JSON log lines collected. */
export function startRun(root: string, env: Record<string, string>, nodeArgs: string[] = []): Proc {
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'bin', 'epicenter.js'), 'run'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const logs: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    try {
      logs.push(JSON.parse(l) as Record<string, unknown>);
    } catch {
      /* not JSON */
    }
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return {
    pid: child.pid ?? -1,
    logs,
    exited,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function until<T>(what: string, f: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs: number, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what} (last ${JSON.stringify(v)})`);
    await sleep(everyMs);
  }
}

/** utime+stime of a process, seconds (NaN when unknown). */
export function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) / 1024;
  } catch {
    return 0;
  }
}

/** Pid of a service started by scripts/services.sh (its state folder: EPICENTER_SERVICES_DIR or .services), -1 when unknown. */
export function servicePid(root: string, name: string): number {
  const dir = process.env['EPICENTER_SERVICES_DIR'] ?? join(root, '.services');
  try {
    return Number(readFileSync(join(dir, name, 'pid'), 'utf8').trim());
  } catch {
    return -1;
  }
}
