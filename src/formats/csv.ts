import { parse } from 'csv-parse/sync';
import { makeSeries } from '../domain/series';
import type { Sample } from '../domain/types';
import type { Decoded, EpicenterError } from '../errors';
import { timeProblem, valueProblem } from './checks';
import { bad, lineOf, type Origin } from './origin';
import { epochAutoToMs, parseIsoTime } from './time';

/** Options of decodeCsvSeries. */
export interface CsvOptions {
  /** Metric name. Default: the file's base name without extension (`value` when there is no file). */
  metric?: string;
  /** Owning service. Default `unknown`. */
  service?: string;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TIME_HEADERS = ['timestamp', 'time', 'ts', 'date', 'datetime'];

/**
 * A single series as CSV `timestamp,value`: header optional (when present, the `timestamp`/`time`
 * and `value` columns are used wherever they are; otherwise the first two columns); timestamps
 * ISO 8601 (zone-less means UTC) or epoch seconds (ms when > 1e11); an empty value is a missing
 * sample, skipped silently. The series carries label `service.name` so equal metric names of
 * different services stay distinct.
 */
export function decodeCsvSeries(text: string, origin: Origin, opts: CsvOptions = {}): Decoded<Sample> {
  const values: Sample[] = [];
  const errors: EpicenterError[] = [];
  const service = opts.service ?? 'unknown';
  const metric = opts.metric ?? baseName(origin.file) ?? 'value';
  const series = makeSeries(metric, { 'service.name': service }, service);
  const records = parse(text, {
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    trim: true,
    bom: true,
    on_skip: (err) => {
      if (err === undefined) return undefined;
      const lines = typeof err['lines'] === 'number' ? err['lines'] : 1;
      errors.push(bad(origin, lineOf(origin, lines - 1), undefined, `unreadable CSV: ${err.message}`));
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  let tCol = 0;
  let vCol = 1;
  for (let i = 0; i < records.length; i++) {
    const { record, info } = records[i]!;
    const line = lineOf(origin, info.lines - 1);
    const rawT = record[tCol] ?? '';
    const rawV = record[vCol];
    if (i === 0 && parseTime(rawT) === undefined && !NUMBER_RE.test(rawV ?? '')) {
      // A header row: find the columns by name, keep the first two otherwise.
      const names = record.map((c) => c.toLowerCase());
      const ti = names.findIndex((n) => TIME_HEADERS.includes(n));
      const vi = names.indexOf('value');
      if (ti >= 0) tCol = ti;
      if (vi >= 0) vCol = vi;
      else if (ti >= 0 && record.length === 2) vCol = 1 - ti;
      continue;
    }
    if (rawV === undefined) {
      errors.push(bad(origin, line, 'value', `expected ${Math.max(tCol, vCol) + 1} columns (timestamp,value), got ${record.length}`));
      continue;
    }
    const t = parseTime(rawT);
    if (t === undefined) {
      errors.push(bad(origin, line, 'timestamp', `not an ISO 8601 time or epoch seconds: ${JSON.stringify(rawT)}`));
      continue;
    }
    const tp = timeProblem(t, origin.now);
    if (tp !== undefined) {
      errors.push(bad(origin, line, 'timestamp', tp));
      continue;
    }
    if (rawV === '') continue; // a missing sample
    const v = NUMBER_RE.test(rawV) ? Number(rawV) : Number.NaN;
    const vp = Number.isNaN(v) ? `not a number: ${JSON.stringify(rawV)}` : valueProblem(v);
    if (vp !== undefined) {
      errors.push(bad(origin, line, 'value', vp));
      continue;
    }
    values.push({ series, t, v });
  }
  return { values, errors };
}

/** ISO 8601 or epoch seconds/ms → epoch ms, or undefined. */
function parseTime(s: string): number | undefined {
  if (NUMBER_RE.test(s)) return Math.floor(epochAutoToMs(Number(s)));
  return parseIsoTime(s);
}

/** `dir/nyc_taxi.csv` → `nyc_taxi` (either separator; no node:path in the pure core). */
function baseName(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const last = file.split(/[\\/]/).pop() ?? '';
  const dot = last.lastIndexOf('.');
  const name = dot > 0 ? last.slice(0, dot) : last;
  return name === '' ? undefined : name;
}
