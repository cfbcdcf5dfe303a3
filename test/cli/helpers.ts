import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

/** The environment a user's shell would give: no npm_* variables of the npm script running the tests. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_')) env[k] = v;
  return { ...env, ...extra };
}

/** The fenced `sh` block(s) of a README section, one command per line (comments and blank lines dropped). */
export function readmeCommands(section = 'Commands', file = join(ROOT, 'README.md')): string[] {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`${file}: no section "## ${section}"`);
  const end = text.indexOf('\n## ', start + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  const out: string[] = [];
  for (const m of body.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of m[1]!.split('\n')) {
      const cmd = line.replace(/\s+#.*$/, '').trim();
      if (cmd !== '' && !cmd.startsWith('#')) out.push(cmd);
    }
  }
  return out;
}

/** A command line as a shell runs it (pipes included; a pipeline fails when any part fails). */
export function sh(cmd: string, cwd: string, timeoutMs = 120_000): SpawnSyncReturns<string> {
  return spawnSync('bash', ['-o', 'pipefail', '-c', cmd], { cwd, encoding: 'utf8', env: userEnv(), timeout: timeoutMs, maxBuffer: 64 << 20 });
}

/** Starts a serving command, resolves with its stdout once `ready` appears, then stops it (SIGTERM to its process group). */
export function shUntil(cmd: string, cwd: string, ready: RegExp, timeoutMs = 120_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const p = spawn('bash', ['-c', cmd], { cwd, env: userEnv(), detached: true });
    let stdout = '';
    let stderr = '';
    const stop = (): void => {
      clearTimeout(timer);
      if (p.pid !== undefined && p.exitCode === null) process.kill(-p.pid, 'SIGTERM');
    };
    const timer = setTimeout(() => {
      stop();
      fail(new Error(`${cmd}: no ${String(ready)} within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    p.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (ready.test(stdout)) {
        stop();
        done({ stdout, stderr });
      }
    });
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (!ready.test(stdout)) fail(new Error(`${cmd}: exited ${code} before ${String(ready)}\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}

/**
 * `npm pack` of the checkout (its `prepare` builds dist/) installed with `npm install <tarball>` into a
 * fresh folder, as a user would; returns that folder. `examples` there links to the installed
 * package's bundled examples, so README lines naming examples/incident/… run unchanged.
 */
export function packAndInstall(): string {
  const dir = mkdtempSync(join(tmpdir(), 'epicenter-pack-'));
  const run = (cmd: string, args: string[], cwd: string): void => {
    const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: userEnv(), timeout: 600_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}: ${r.stderr}`);
  };
  run('npm', ['pack', '--silent', '--pack-destination', dir], ROOT);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball into ${dir}`);
  writeFileSync(join(dir, 'package.json'), '{ "name": "epicenter-user", "version": "1.0.0", "private": true }\n');
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${tarball}`], dir);
  const installed = join(dir, 'node_modules', 'epicenter');
  if (!existsSync(join(installed, 'package.json'))) throw new Error(`${tarball} did not install into ${installed}`);
  symlinkSync(join(installed, 'examples'), join(dir, 'examples'));
  return dir;
}
