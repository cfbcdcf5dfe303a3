import { parse } from 'csv-parse/sync';
import { makeSeries } from '../domain/series';
import type { Sample } from '../domain/types';
import type { Decoded, EpicenterError } from '../errors';
import { timeProblem, valueProblem } from './checks';
import { inLineOrder } from './json';
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
  const metric = opts.metric?.trim() || baseName(origin.file) || 'value';
  const series = makeSeries(metric, { 'service.name': service }, service);
  const records = readRecords(text, origin, errors);
  let tCol = 0;
  let vCol = 1;
  for (let i = 0; i < records.length; i++) {
    const { record, line } = records[i]!;
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
  // Unreadable lines were found before the records were checked: report in file order.
  return { values, errors: inLineOrder(errors) };
}

/**
 * CSV records with their absolute line numbers. csv-parse cannot resume after a malformed
 * record (a stray or unclosed quote garbles the rest), so on an error we report the first line
 * after the last good record and parse again from the line after it.
 */
function readRecords(text: string, origin: Origin, errors: EpicenterError[]): { record: string[]; line: number }[] {
  const out: { record: string[]; line: number }[] = [];
  let lines: string[] | undefined;
  let from = 0; // 0-based index of the first line of the chunk being parsed
  for (;;) {
    let lastGood = 0; // 1-based line, within the chunk, of the last record read
    const chunk = from === 0 ? text : (lines ??= text.split('\n')).slice(from).join('\n');
    try {
      parse(chunk, {
        bom: true,
        trim: true,
        relax_column_count: true,
        skip_empty_lines: true,
        on_record: (record: string[], ctx) => {
          out.push({ record, line: lineOf(origin, from + ctx.lines - 1) });
          lastGood = ctx.lines;
          return null; // collected here; csv-parse need not keep them
        },
      });
      return out;
    } catch (e) {
      lines ??= text.split('\n');
      let badIdx = from + lastGood;
      while (badIdx < lines.length - 1 && (lines[badIdx] ?? '').trim() === '') badIdx++;
      errors.push(bad(origin, lineOf(origin, badIdx), undefined, `unreadable CSV: ${e instanceof Error ? e.message.replace(/ at line \d+.*$/, '') : String(e)}`));
      from = badIdx + 1;
      if (from >= lines.length) return out;
    }
  }
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
