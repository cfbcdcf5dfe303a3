/**
 * Domain values ↔ JSONEachRow rows. Writing: validate (finite numbers, times inside DateTime's
 * range) and derive the deterministic keys. Reading: 64-bit integers arrive as strings (numbers
 * on some servers), '' means absent, JSON columns are parsed.
 */
import { createHash } from 'node:crypto';
import type { Breakpoint, BreakpointKind, ChangeEvent, ChangeOrigin, ChangeType, Labels, Regime, SeriesRef, SettingChange, Suspect } from '../domain/types';
import { labelsJson, seriesLabelsJson } from '../domain/series';
import { newLabels } from '../domain/text';
import { EpicenterError } from '../errors';
import type { StoredAnalysis } from '../ports';

export const MAX_MS = 4294967295000; // DateTime is UInt32 seconds

function bad(what: string, msg: string): EpicenterError {
  return new EpicenterError('BAD_INPUT', `clickhouse row: ${what}: ${msg}`);
}

/** Epoch ms → integer ms inside DateTime's range (floor; sub-ms precision is not kept). */
export function checkMs(ms: number, what: string): number {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_MS) throw bad(what, `time ${String(ms)} ms is outside 1970…2106`);
  return Math.floor(ms);
}

export function finite(v: number, what: string): number {
  if (!Number.isFinite(v)) throw bad(what, `value must be finite, got ${String(v)}`);
  return v;
}

export { labelsJson };

export const sec = (ms: number): number => Math.floor(ms / 1000);

/** A 64-bit integer column value (string or number) → number. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '') return Number(v);
  return NaN;
}

const opt = (s: unknown): string | undefined => (typeof s === 'string' && s !== '' ? s : undefined);

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new EpicenterError('STORE_FAILED', `clickhouse: ${what} holds invalid JSON`);
  }
}

// ---------- series columns (points themselves go as TabSeparated: ./tsv.ts) ----------

export interface SeriesColumns {
  series_id: string;
  service: string;
  metric: string;
  labels: string;
  unit: string;
}

export function seriesFromRow(r: SeriesColumns): SeriesRef {
  // Prototype-free, like the decoders' labels: a label named `__proto__` stays a label.
  const labels = Object.assign(newLabels(), parseJson<Labels>(r.labels, `labels of ${r.series_id}`));
  const ref: SeriesRef = { id: r.series_id, service: r.service, metric: r.metric, labels };
  const unit = opt(r.unit);
  return unit === undefined ? ref : { ...ref, unit };
}

// ---------- breakpoints ----------

/** Deterministic breakpoint id: same series, time and kind → same id (and the same ReplacingMergeTree key). */
export function breakpointId(b: Breakpoint): string {
  return createHash('sha256').update(`${b.series.id}\u0000${Math.floor(b.time)}\u0000${b.kind}`).digest('hex').slice(0, 32);
}

export interface BreakpointRow extends SeriesColumns {
  id: string;
  t: number;
  t_ms: number;
  detected_at_ms: number | string;
  kind: string;
  before_level: number;
  before_slope: number;
  after_level: number;
  after_slope: number;
  magnitude: number;
  confidence: number;
  exhaustion_at_ms: number | string | null;
  limit_value: number | null;
}

export function breakpointRow(b: Breakpoint): BreakpointRow {
  const what = `breakpoint of ${b.series.id}`;
  const t = checkMs(b.time, what);
  return {
    id: breakpointId(b),
    series_id: b.series.id,
    service: b.series.service,
    metric: b.series.metric,
    labels: seriesLabelsJson(b.series),
    unit: b.series.unit ?? '',
    t: sec(t),
    t_ms: t,
    detected_at_ms: checkMs(b.detectedAt, what),
    kind: b.kind,
    before_level: finite(b.before.level, what),
    before_slope: finite(b.before.slope, what),
    after_level: finite(b.after.level, what),
    after_slope: finite(b.after.slope, what),
    magnitude: finite(b.magnitude, what),
    confidence: finite(b.confidence, what),
    exhaustion_at_ms: b.exhaustionAt === undefined ? null : checkMs(b.exhaustionAt, what),
    limit_value: b.limit === undefined ? null : finite(b.limit, what),
  };
}

export function breakpointFromRow(r: BreakpointRow): Breakpoint {
  const regime = (level: number, slope: number): Regime => ({ level, slope });
  const base: Breakpoint = {
    series: seriesFromRow(r),
    time: num(r.t_ms),
    detectedAt: num(r.detected_at_ms),
    kind: r.kind as BreakpointKind,
    before: regime(r.before_level, r.before_slope),
    after: regime(r.after_level, r.after_slope),
    magnitude: r.magnitude,
    confidence: r.confidence,
  };
  const ex = r.exhaustion_at_ms === null ? undefined : num(r.exhaustion_at_ms);
  const lim = r.limit_value ?? undefined;
  return { ...base, ...(ex === undefined ? {} : { exhaustionAt: ex }), ...(lim === undefined ? {} : { limit: lim }) };
}

// ---------- changes ----------

export interface ChangeRow {
  source: string;
  id: string;
  service: string;
  team: string;
  type: string;
  raw_type: string;
  t: number;
  t_ms: number | string;
  summary: string;
  version: string;
  revert_of: string;
  keys: string[];
  /** Settings as parallel arrays (schema v2); from/to null when absent. */
  setting_keys: string[];
  setting_from: (string | null)[];
  setting_to: (string | null)[];
  /** Origins as parallel arrays (schema v2); '' for an absent kind or url. */
  origin_sources: string[];
  origin_ids: string[];
  origin_kinds: string[];
  origin_urls: string[];
}

export function changeRow(c: ChangeEvent): ChangeRow {
  const t = checkMs(c.time, `change ${c.source}/${c.id}`);
  return {
    source: c.source,
    id: c.id,
    service: c.service,
    team: c.team ?? '',
    type: c.type,
    raw_type: c.rawType,
    t: sec(t),
    t_ms: t,
    summary: c.summary ?? '',
    version: c.version ?? '',
    revert_of: c.revertOf ?? '',
    keys: c.keys === undefined ? [] : [...c.keys],
    ...settingColumns(c.settings ?? []),
    ...originColumns(c.origins ?? []),
  };
}

function settingColumns(s: readonly SettingChange[]): Pick<ChangeRow, 'setting_keys' | 'setting_from' | 'setting_to'> {
  return { setting_keys: s.map((x) => x.key), setting_from: s.map((x) => x.from ?? null), setting_to: s.map((x) => x.to ?? null) };
}

function originColumns(o: readonly ChangeOrigin[]): Pick<ChangeRow, 'origin_sources' | 'origin_ids' | 'origin_kinds' | 'origin_urls'> {
  return { origin_sources: o.map((x) => x.source), origin_ids: o.map((x) => x.id), origin_kinds: o.map((x) => x.kind ?? ''), origin_urls: o.map((x) => x.url ?? '') };
}

function settingsFromRow(r: ChangeRow): SettingChange[] {
  return r.setting_keys.map((key, i) => {
    const from = r.setting_from[i] ?? undefined;
    const to = r.setting_to[i] ?? undefined;
    return { key, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  });
}

function originsFromRow(r: ChangeRow): ChangeOrigin[] {
  return r.origin_sources.map((source, i) => {
    const kind = opt(r.origin_kinds[i]);
    const url = opt(r.origin_urls[i]);
    return { source, id: r.origin_ids[i] ?? '', ...(kind === undefined ? {} : { kind }), ...(url === undefined ? {} : { url }) };
  });
}

export function changeFromRow(r: ChangeRow): ChangeEvent {
  const c: { -readonly [K in keyof ChangeEvent]: ChangeEvent[K] } = {
    id: r.id,
    source: r.source,
    type: r.type as ChangeType,
    rawType: r.raw_type,
    service: r.service,
    time: num(r.t_ms),
  };
  const team = opt(r.team);
  if (team !== undefined) c.team = team;
  const summary = opt(r.summary);
  if (summary !== undefined) c.summary = summary;
  const version = opt(r.version);
  if (version !== undefined) c.version = version;
  const revertOf = opt(r.revert_of);
  if (revertOf !== undefined) c.revertOf = revertOf;
  // An empty keys array is indistinguishable from absent; absent reads back as absent.
  if (r.keys.length > 0) c.keys = r.keys;
  if (r.setting_keys.length > 0) c.settings = settingsFromRow(r);
  if (r.origin_sources.length > 0) c.origins = originsFromRow(r);
  return c;
}

// ---------- analyses ----------

export interface AnalysisRow {
  id: string;
  service: string;
  at: number;
  at_ms: number | string;
  from_ms: number | string;
  to_ms: number | string;
  created_at: number;
  created_at_ms: number | string;
  suspects: string;
  breakpoints: string;
  suspects_count: number;
  breakpoints_count: number;
}

export interface SuspectRow {
  analysis_id: string;
  service: string;
  at: number;
  at_ms: number;
  created_at_ms: number;
  rank: number;
  change_id: string;
  change_service: string;
  team: string;
  type: string;
  change_t: number;
  change_t_ms: number;
  score: number;
  evidence: string[];
}

export function analysisRows(a: StoredAnalysis): { analysis: AnalysisRow; suspects: SuspectRow[] } {
  const what = `analysis ${a.id}`;
  const at = checkMs(a.at, what);
  const created = checkMs(a.createdAt, what);
  const analysis: AnalysisRow = {
    id: a.id,
    service: a.service,
    at: sec(at),
    at_ms: at,
    from_ms: checkMs(a.from, what),
    to_ms: checkMs(a.to, what),
    created_at: sec(created),
    created_at_ms: created,
    suspects: JSON.stringify(a.suspects),
    breakpoints: JSON.stringify(a.breakpoints),
    suspects_count: a.suspects.length,
    breakpoints_count: a.breakpoints.length,
  };
  const suspects = a.suspects.map((s: Suspect, i): SuspectRow => {
    const ct = checkMs(s.time, `${what} suspect ${s.id}`);
    return {
      analysis_id: a.id,
      service: a.service,
      at: sec(at),
      at_ms: at,
      created_at_ms: created,
      rank: i + 1,
      change_id: s.id,
      change_service: s.service,
      team: s.team,
      type: s.type,
      change_t: sec(ct),
      change_t_ms: ct,
      score: finite(s.score, `${what} suspect ${s.id}`),
      evidence: [...s.evidence],
    };
  });
  return { analysis, suspects };
}

export function analysisFromRow(r: AnalysisRow): StoredAnalysis {
  return {
    id: r.id,
    service: r.service,
    at: num(r.at_ms),
    from: num(r.from_ms),
    to: num(r.to_ms),
    createdAt: num(r.created_at_ms),
    suspects: parseJson<Suspect[]>(r.suspects, `analysis ${r.id} suspects`),
    breakpoints: parseJson<Breakpoint[]>(r.breakpoints, `analysis ${r.id} breakpoints`),
  };
}
