import { EpicenterError } from '../errors';
import { parseIsoTime } from '../formats/time';

/** `2024-05-01T14:30:00Z`, `2024-05-01 14:30` (UTC), `1714573800` (s) or `1714573800000` (ms) → epoch ms. `what` names the option in errors. */
export function parseTimeArg(s: string, what: string): number {
  const x = s.trim();
  const t = /^\d{9,13}$/.test(x) ? (x.length > 11 ? Number(x) : Number(x) * 1000) : parseIsoTime(x);
  if (t === undefined || !Number.isFinite(t)) throw new EpicenterError('BAD_REQUEST', `--${what}: '${s}' is not an ISO 8601 time or epoch seconds/ms`, { origin: { field: what } });
  return t;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `6h`, `2d`, `500ms`, `5h22m` → ms. `what` names the option in errors. */
export function parseDurationArg(s: string, what: string): number {
  const text = s.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(text)) {
    throw new EpicenterError('BAD_REQUEST', `--${what}: '${s}' is not a duration like 90s, 15m, 6h, 5h30m or 2d`, { origin: { field: what } });
  }
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  return Math.round(ms);
}
