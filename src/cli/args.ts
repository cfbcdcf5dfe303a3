import { EpicenterError } from '../errors';
import { parseIsoTime } from '../formats/time';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/;

function durationMs(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  return Math.round(ms);
}

const stderrWarn = (msg: string): void => {
  process.stderr.write(`epicenter: warning: ${msg}\n`);
};

/**
 * A time option → epoch ms: `now`; relative to now, `-15m`, `now-2h30m`; ISO 8601
 * (`2024-05-01T14:30:00Z`; without a zone it is UTC, and `warn` says so); epoch seconds
 * (`1714573800`) or ms (`1714573800000`). `what` names the option in errors.
 */
export function parseTimeArg(s: string, what: string, now: number = Date.now(), warn: (msg: string) => void = stderrWarn): number {
  const x = s.trim();
  const rel = /^(?:now)?\s*(?:-\s*(.+))?$/i.exec(x);
  if (rel !== null && x !== '') {
    const ago = rel[1]?.trim();
    if (ago === undefined) return now;
    if (DURATION_RE.test(ago)) return now - durationMs(ago);
  }
  const t = /^\d{9,13}$/.test(x) ? (x.length > 11 ? Number(x) : Number(x) * 1000) : parseIsoTime(x);
  if (t === undefined || !Number.isFinite(t)) {
    throw new EpicenterError('BAD_REQUEST', `--${what}: '${s}' is not a time: use ISO 8601 (2024-05-01T14:30:00Z), epoch seconds/ms, now, or a time before now like -15m or now-2h`);
  }
  if (!/^\d+$/.test(x) && parseIsoTime(x, true) === undefined) warn(`--${what}: '${s}' has no time zone; taken as UTC (${new Date(t).toISOString()})`);
  return t;
}

/**
 * `90s`, `15m`, `6h`, `2d`, `500ms`, `5h22m` → ms, positive; with `zero` also `0s` (a look-ahead of
 * nothing: only data up to the page). `what` names the option in errors.
 */
export function parseDurationArg(s: string, what: string, zero = false): number {
  const text = s.trim();
  const ms = DURATION_RE.test(text) ? durationMs(text) : NaN;
  if (!(ms > 0 || (zero && ms === 0))) {
    throw new EpicenterError('BAD_REQUEST', `--${what}: '${s}' is not a ${zero ? 'duration' : 'positive duration'} like ${zero ? '0s, ' : ''}90s, 15m, 6h, 5h30m or 2d`);
  }
  return ms;
}
