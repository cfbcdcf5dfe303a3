/**
 * Tallies for the real-data benchmark: rank of the injected fault's change per incident, grouped
 * by system and fault type, beside the two naive baselines, plus a reliability table of the scores.
 */
import type { ChangeEvent } from '../../src/domain/types';
import type { Incident } from './convert';

export interface Outcome {
  readonly inc: Incident;
  /** 0-based rank of the cause among the suspects; -1 when not listed. */
  readonly rank: number;
  readonly top: number;
  readonly causeScore: number;
  /** Candidates ranked (changes up to the page within the window). */
  readonly candidates: number;
  /** Rank of the cause under "most recent change first". */
  readonly recentRank: number;
  readonly ms: number;
}

export interface Tally { n: number; top1: number; top3: number; rr: number; rnd1: number; rnd3: number; rndRr: number; rec1: number; rec3: number; recRr: number; ms: number }

export const tally = (): Tally => ({ n: 0, top1: 0, top3: 0, rr: 0, rnd1: 0, rnd3: 0, rndRr: 0, rec1: 0, rec3: 0, recRr: 0, ms: 0 });

export function add(t: Tally, o: Outcome): void {
  const n = Math.max(1, o.candidates);
  t.n++;
  t.ms += o.ms;
  if (o.rank === 0) t.top1++;
  if (o.rank >= 0 && o.rank < 3) t.top3++;
  if (o.rank >= 0) t.rr += 1 / (o.rank + 1);
  // Random order: expected values, not one draw.
  t.rnd1 += 1 / n;
  t.rnd3 += Math.min(3, n) / n;
  let h = 0;
  for (let k = 1; k <= n; k++) h += 1 / k;
  t.rndRr += h / n;
  if (o.recentRank === 0) t.rec1++;
  if (o.recentRank >= 0 && o.recentRank < 3) t.rec3++;
  if (o.recentRank >= 0) t.recRr += 1 / (o.recentRank + 1);
}

/** Rank of `id` among candidates ordered most recent first (ties by id, as the log lists them). */
export function recentRank(changes: readonly ChangeEvent[], from: number, at: number, id: string): number {
  return changes
    .filter((c) => c.time >= from && c.time <= at)
    .sort((a, b) => b.time - a.time || a.id.localeCompare(b.id))
    .findIndex((c) => c.id === id);
}

/** The outcome of a ranking (`ranked`: ids with scores, best first) of `candidates` changes. */
export function outcome(inc: Incident, ranked: readonly { readonly id: string; readonly score: number }[], changes: readonly ChangeEvent[], from: number, ms: number): Outcome {
  const rank = ranked.findIndex((s) => s.id === inc.causeId);
  const candidates = changes.filter((c) => c.time >= from && c.time <= inc.at).length;
  return {
    inc, rank, top: ranked[0]?.score ?? 0, causeScore: rank >= 0 ? (ranked[rank]?.score ?? 0) : 0, candidates,
    recentRank: recentRank(changes, from, inc.at, inc.causeId), ms,
  };
}

/** Candidates ranked by score, best first; ties to the later change (as `analyze` orders them). */
export function rankByScore(changes: readonly { readonly id: string; readonly time: number }[], scores: readonly number[]): { id: string; score: number }[] {
  return changes
    .map((c, i) => ({ id: c.id, time: c.time, score: scores[i] ?? 0 }))
    .sort((a, b) => b.score - a.score || b.time - a.time)
    .map(({ id, score }) => ({ id, score }));
}

const f3 = (x: number, n: number): string => (n === 0 ? '–' : (x / n).toFixed(3));

/** Markdown rows "| group | n | top-1 | top-3 | MRR | random … | most recent … | ms |" for the groups given. */
export function table(groups: readonly (readonly [string, readonly Outcome[]])[]): string[] {
  const lines = [
    '| group | n | top-1 | top-3 | MRR | random top-1 / top-3 / MRR | most recent change top-1 / top-3 / MRR | ms per analysis (mean) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, os] of groups) {
    const t = tally();
    os.forEach((o) => add(t, o));
    lines.push(`| ${name} | ${t.n} | ${f3(t.top1, t.n)} | ${f3(t.top3, t.n)} | ${f3(t.rr, t.n)} | ${f3(t.rnd1, t.n)} / ${f3(t.rnd3, t.n)} / ${f3(t.rndRr, t.n)} | ${f3(t.rec1, t.n)} / ${f3(t.rec3, t.n)} / ${f3(t.recRr, t.n)} | ${t.n === 0 ? '–' : Math.round(t.ms / t.n)} |`);
  }
  return lines;
}

const BINS = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001];

/** Reliability of the top score: binned, mean score against how often the top suspect was the cause. */
export function calibration(os: readonly Outcome[]): string[] {
  const lines = ['| top score | incidents | mean top score | top suspect was the cause |', '|---|---:|---:|---:|'];
  for (let k = 0; k < BINS.length - 1; k++) {
    const lo = BINS[k] ?? 0;
    const hi = BINS[k + 1] ?? 1;
    const inBin = os.filter((o) => o.top >= lo && o.top < hi);
    const sum = inBin.reduce((s, o) => s + o.top, 0);
    lines.push(`| [${lo}, ${Math.min(1, hi)}) | ${inBin.length} | ${f3(sum, inBin.length)} | ${f3(inBin.filter((o) => o.rank === 0).length, inBin.length)} |`);
  }
  return lines;
}
