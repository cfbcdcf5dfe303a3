import { appendFileSync } from 'node:fs';
import type { ChangeEvent } from '../domain/types';
import { EpicenterError } from '../errors';
import { changeToCloudEvent } from '../pipeline/cloudevent';
import type { ChangeSink } from '../ports';

/**
 * Where `epicenter watch-k8s` sends what it sees: CloudEvents NDJSON to a file or stdout (for
 * `epicenter analyze --changes`), or epicenter's own `POST /v1/changes` (which stores them the way
 * every change is stored: the changes topic under `epicenter run`).
 */

export function ndjsonSink(file: string): ChangeSink {
  return {
    publishChanges(cs: readonly ChangeEvent[]): Promise<void> {
      if (cs.length === 0) return Promise.resolve();
      const text = cs.map((c) => `${JSON.stringify(changeToCloudEvent(c))}\n`).join('');
      if (file === '-') process.stdout.write(text);
      else appendFileSync(file, text);
      return Promise.resolve();
    },
  };
}

/** POST /v1/changes with retries (1 s, 2 s, 4 s) on network errors and 5xx; a 4xx is final. */
export function httpSink(baseUrl: string, token: string | undefined, retries = 3): ChangeSink {
  const url = new URL('/v1/changes', baseUrl).toString();
  return {
    async publishChanges(cs: readonly ChangeEvent[]): Promise<void> {
      if (cs.length === 0) return;
      const body = JSON.stringify(cs.map(changeToCloudEvent));
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) };
      for (let attempt = 0; ; attempt += 1) {
        let status: number | undefined;
        let detail: string;
        try {
          const r = await fetch(url, { method: 'POST', headers, body });
          if (r.ok) return;
          status = r.status;
          detail = `${r.status} ${(await r.text()).slice(0, 300)}`;
        } catch (e) {
          detail = (e as Error).message;
        }
        const final = (status !== undefined && status < 500) || attempt >= retries;
        if (final) throw new EpicenterError('UPSTREAM_FAILED', `POST ${url}: ${detail}`, { retriable: status === undefined || status >= 500 });
        await new Promise((res) => setTimeout(res, 1000 * 2 ** attempt));
      }
    },
  };
}
