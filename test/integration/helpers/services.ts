import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** Where the real services of scripts/services.sh listen. */
export const BROKERS = (process.env['EPICENTER_TEST_BROKERS'] ?? '127.0.0.1:9092').split(',');
export const CLICKHOUSE_URL = process.env['EPICENTER_TEST_CLICKHOUSE_URL'] ?? 'http://127.0.0.1:8123';
export const ROOT = join(__dirname, '..', '..', '..');

/** A name unique to this test run: topics, groups, databases (ClickHouse identifiers: [a-z0-9_]). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** `bash scripts/services.sh <cmd>` (stop-clickhouse, start-clickhouse, restart-kafka…); rejects on failure. */
export function services(cmd: string, timeoutMs = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [join(ROOT, 'scripts', 'services.sh'), cmd], { cwd: ROOT, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`services.sh ${cmd}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `f` until it returns a value that `done` accepts, or fail after `timeoutMs` with the last value. */
export async function waitFor<T>(what: string, f: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastErr: unknown;
  for (;;) {
    try {
      last = await f();
      if (done(last)) return last;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}${lastErr === undefined ? '' : `; last error ${lastErr instanceof Error ? lastErr.message : JSON.stringify(lastErr)}`}`);
    await sleep(everyMs);
  }
}
