import { score } from './confirm';
import type { Ring } from './ring';
import { MIN_PIECE, PENALTY, segmentLines, type Cut } from './segment';
import type { DetectedBreak } from './types';

const HOUR_MS = 3_600_000;

/** What the detector knows at the end of a short input. */
export interface RetroContext {
  /** Samples seen, first and last time. */
  readonly n: number;
  readonly t0: number;
  readonly lastT: number;
  /** The last samples with their exact times. */
  readonly ring: Ring;
  /** Sample indices of the breaks streaming reported, and those confirmed by this flush. */
  readonly seqs: readonly number[];
  readonly streamed: readonly DetectedBreak[];
}

/**
 * End of a short input: segment its whole history (block means: every sample up to 48, pairs up
 * to 96, …) into straight-line pieces (./segment.ts) and report the cuts streaming did not (it
 * needs 2·warmup samples before it can alarm, so a 15-sample series gets its verdict here).
 * Times come from the ring when it still holds the sample, else from the mean interval.
 */
export function retrospect(h: { values: Float64Array; block: number }, c: RetroContext): DetectedBreak[] {
  const { cuts, sigma } = segmentLines(h.values, h.values.length);
  const step = c.n > 1 ? (c.lastT - c.t0) / (c.n - 1) : 1;
  const known = [...c.seqs, ...c.streamed.map((b) => Math.round((b.time - c.t0) / step))];
  const out: DetectedBreak[] = [];
  // Strongest first: between block means, a shortest piece squeezed between two cuts is the
  // in-between mean of the block that straddles a step, not a change of its own.
  const squeezed = (x: Cut): boolean => h.block > 1 && cuts.some((d) => d !== x && Math.abs(d.at - x.at) <= MIN_PIECE && d.strength > x.strength);
  for (const cut of [...cuts].sort((a, b) => b.strength - a.strength)) {
    if (squeezed(cut)) continue;
    const seq = Math.round(refine(cut, h.values, h.block));
    if (known.some((k) => Math.abs(k - seq) <= Math.max(5, 2 * h.block))) continue;
    known.push(seq);
    const time = seq >= c.ring.oldest ? c.ring.timeAt(seq) : c.t0 + seq * step;
    const perHour = HOUR_MS / (h.block * step);
    const jump = cut.after.level - cut.before.level;
    const dSlope = cut.after.slope - cut.before.slope;
    const tail = Math.min(h.values.length - cut.at, 10);
    const slopeKind = Math.abs(dSlope) * tail > Math.abs(jump);
    const sampleSigma = sigma * Math.sqrt(h.block);
    out.push({
      time,
      detectedAt: c.lastT,
      kind: slopeKind ? 'slope_change' : jump > 0 ? 'level_up' : 'level_down',
      before: { level: cut.before.level, slope: cut.before.slope * perHour },
      after: { level: cut.after.level, slope: cut.after.slope * perHour },
      magnitude: (slopeKind ? Math.abs(dSlope) * tail : Math.abs(jump)) / Math.max(sampleSigma, 1e-300),
      confidence: score(Math.sqrt(2 * cut.strength * PENALTY * Math.log(h.values.length)), h.values.length, cut.strength),
    });
  }
  return out.sort((a, b) => a.time - b.time);
}

/**
 * Sample index of a level cut between block means: the block that straddles a step holds a mean
 * between the two levels, in proportion to how much of it came after the step.
 */
function refine(c: Cut, values: Float64Array, block: number): number {
  const at = c.at * block;
  const jump = c.after.level - c.before.level;
  if (block === 1 || c.before.slope !== 0 || c.after.slope !== 0 || jump === 0) return at;
  const frac = (x: number): number => Math.max(0, Math.min(1, (x - c.before.level) / jump));
  // part of the block before the cut that is already new, part of the block after it still old
  return at - frac(values[c.at - 1]!) * block + (1 - frac(values[c.at]!)) * block;
}
