/**
 * Timestamp parsing at the edge: everything becomes epoch ms. Hand-written because `Date.parse`
 * reads a zone-less "2014-02-14 14:30:00" as local time, and we want UTC whatever the host's zone.
 */

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * ISO 8601 date or date-time → epoch ms (fractions below 1 ms truncated). A missing zone means UTC
 * unless `requireZone` (RFC 3339 demands one). Returns undefined for anything malformed,
 * including impossible dates such as 2023-02-30.
 */
export function parseIsoTime(s: string, requireZone = false): number | undefined {
  const m = ISO_RE.exec(s.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  if (requireZone && (zone === undefined || h === undefined)) return undefined;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = sec === undefined ? 0 : Number(sec);
  // 23:59:60 (a leap second) is legal RFC 3339; it folds onto the next second.
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (day > 28 && new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  return t - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** RFC 3339 date-time (zone required) → epoch ms, or undefined. */
export function parseRfc3339(s: string): number | undefined {
  return parseIsoTime(s, true);
}

/**
 * OTLP fixed64 nanoseconds (decimal string per the protobuf JSON mapping, or a number some
 * producers write) → epoch ms, truncated. Strings are cut textually, so no precision is lost
 * to doubles. Returns undefined when not a non-negative integer. (A char loop, not a regex:
 * this runs twice per data point.)
 */
export function nanosToMs(x: unknown): number | undefined {
  if (typeof x === 'string') {
    const n = x.length;
    if (n === 0 || n > 20) return undefined;
    for (let i = 0; i < n; i++) {
      const c = x.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    return n <= 6 ? 0 : Number(x.slice(0, n - 6));
  }
  if (typeof x === 'number' && Number.isInteger(x) && x >= 0) return Math.floor(x / 1e6);
  return undefined;
}

/** Epoch seconds (possibly fractional) → ms; values above 1e11 are taken as already ms. */
export function epochAutoToMs(n: number): number {
  return Math.abs(n) > 1e11 ? n : n * 1000;
}
