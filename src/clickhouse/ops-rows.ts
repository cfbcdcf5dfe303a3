/**
 * Rows of the operational tables the pipeline writes: dead_letters and pipeline_stats.
 */
import type { DeadLetterInput, PipelineStatsInput, WebhookCount } from './types';
import { checkMs, finite, sec } from './rows';

/** Largest payload kept in dead_letters, bytes. */
export const DEAD_LETTER_PAYLOAD_MAX = 64 * 1024;

/** Text for the payload column: UTF-8 when valid, else `base64:…`; at most DEAD_LETTER_PAYLOAD_MAX bytes of the original. */
export function payloadText(p: string | Uint8Array | null | undefined): { text: string; size: number } {
  if (p === null || p === undefined) return { text: '', size: 0 };
  const bytes = typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
  const cut = bytes.subarray(0, DEAD_LETTER_PAYLOAD_MAX);
  try {
    // fatal: true refuses invalid UTF-8; a cut in the middle of a character is trimmed first.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(trimPartialChar(cut, bytes.length > cut.length)), size: bytes.length };
  } catch {
    return { text: `base64:${cut.toString('base64')}`, size: bytes.length };
  }
}

function trimPartialChar(b: Buffer, wasCut: boolean): Buffer {
  if (!wasCut) return b;
  let end = b.length;
  // Step back over continuation bytes (10xxxxxx) to the lead byte, and drop an incomplete sequence.
  let i = end - 1;
  while (i >= 0 && i > end - 4 && ((b[i] ?? 0) & 0xc0) === 0x80) i--;
  const lead = b[i] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (i >= 0 && end - i < need) end = i;
  return b.subarray(0, end);
}

export function deadLetterRow(d: DeadLetterInput): Record<string, unknown> {
  const t = checkMs(d.t, `dead letter ${d.topic}[${d.partition}]@${d.offset}`);
  const payload = payloadText(d.payload);
  return {
    t: sec(t),
    t_ms: t,
    topic: d.topic,
    partition: Math.trunc(d.partition),
    // Int64 as a decimal string keeps offsets above 2^53 exact.
    offset: typeof d.offset === 'string' ? d.offset : String(Math.trunc(d.offset)),
    seq: d.seq ?? 0,
    reason: d.reason,
    code: d.code,
    payload: payload.text,
    payload_size: payload.size,
    key: payloadText(d.key).text,
  };
}

export function pipelineStatsRow(s: PipelineStatsInput): Record<string, unknown> {
  const t = checkMs(s.t, `pipeline stats of ${s.instance}`);
  const count = (n: number | undefined, what: string): number => Math.max(0, Math.round(finite(n ?? 0, what)));
  return {
    t: sec(t),
    t_ms: t,
    instance: s.instance,
    points_in: count(s.pointsIn, 'pointsIn'),
    changes_in: count(s.changesIn, 'changesIn'),
    breakpoints: count(s.breakpoints, 'breakpoints'),
    dead_letters: count(s.deadLetters, 'deadLetters'),
    lag: Math.round(finite(s.lag, 'lag')),
    batch_ms: finite(s.batchMs, 'batchMs'),
    buffered_rows: count(s.bufferedRows, 'bufferedRows'),
    ...webhookColumns(s.changeWebhooks ?? [], count),
  };
}

/** Totals plus per-kind parallel arrays (kinds sorted, so equal samples give equal rows). */
function webhookColumns(w: readonly WebhookCount[], count: (n: number, what: string) => number): Record<string, unknown> {
  const sorted = [...w].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  const accepted = sorted.map((k) => count(k.accepted, `changeWebhooks ${k.kind} accepted`));
  const refused = sorted.map((k) => count(k.refused, `changeWebhooks ${k.kind} refused`));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  return {
    change_webhooks_accepted: sum(accepted),
    change_webhooks_refused: sum(refused),
    change_webhook_kinds: sorted.map((k) => k.kind),
    change_webhook_kinds_accepted: accepted,
    change_webhook_kinds_refused: refused,
  };
}
