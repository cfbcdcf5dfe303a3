import type { ChangeEvent, SettingChange } from './types';

/** Config keys whose value sizes a client's connection pool or concurrency: by default they scale outbound connections by to/from. */
export const POOL_KEY = /(pool|max_?conn|min_?idle|max_?idle|connections?_per_host|concurrency|max_in_flight|keepalive)/i;

/** Config keys that bound how many times a client tries a call: attempts (`maxAttempts`) or retries (attempts less the first). */
const ATTEMPTS_KEY = /attempts/i;
const RETRIES_KEY = /retr(y|ies)/i;

/**
 * How many times a setting multiplies what a client may send to the services it calls, by its
 * name and numbers alone (1 when it says nothing of that): a pool or concurrency setting by
 * to/from (what-if's default reading, see whatif/direct.ts), an attempts bound by to/from, a
 * retries bound by (to+1)/(from+1). For a cap and for retries this is the most it can send (under
 * demand, on failing calls); a setting that is not a number says nothing.
 */
export function sendFactor(s: SettingChange): number {
  const from = Number(s.from);
  const to = Number(s.to);
  if (s.from === undefined || s.to === undefined || !Number.isFinite(from) || !Number.isFinite(to) || from < 0 || to <= 0) return 1;
  if (POOL_KEY.test(s.key) || ATTEMPTS_KEY.test(s.key)) return to / Math.max(from, 1);
  if (RETRIES_KEY.test(s.key)) return (to + 1) / (from + 1);
  return 1;
}

/** The setting of a change that multiplies most what its service sends to those it calls, and by how much. */
export interface StatedSend {
  readonly setting: SettingChange;
  readonly factor: number;
}

export function statedSend(c: ChangeEvent): StatedSend | undefined {
  let best: StatedSend | undefined;
  for (const s of c.settings ?? []) {
    const factor = sendFactor(s);
    if (factor > (best?.factor ?? 1)) best = { setting: s, factor };
  }
  return best;
}

/** A replica count (`replicas`, `spec.replicas`, an autoscaler's `minReplicas`); a raised `maxReplicas` adds none by itself. */
const REPLICAS_KEY = /(?:^|[._])(?:min_?)?replicas$/i;

/** How many instances a change says it runs before and after, when it says it adds some (a scale-out). */
export function addedInstances(c: ChangeEvent): { readonly from: number; readonly to: number } | undefined {
  for (const s of c.settings ?? []) {
    if (!REPLICAS_KEY.test(s.key)) continue;
    const from = Number(s.from);
    const to = Number(s.to);
    if (s.from !== undefined && s.to !== undefined && Number.isFinite(from) && Number.isFinite(to) && to > from) return { from, to };
  }
  return undefined;
}
