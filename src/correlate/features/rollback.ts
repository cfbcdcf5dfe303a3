import { median } from '../../stats';
import type { ChangeEvent, Point } from '../../domain/types';
import type { Context } from '../context';
import type { Signal } from '../signals';
import { FAST_MS, lagKernel } from './common';

const MIN = 60_000;

export interface RollbackEvidence {
  /** +1: the trend reverted after the rollback (incriminates); −1: it went on (exonerates); 0: no rollback or too little data. */
  readonly value: number;
  readonly rollback?: ChangeEvent;
  readonly signal?: Signal;
  /** Level before the change, just before the rollback, and after it settled (series units). */
  readonly levels?: { readonly pre: number; readonly mid: number; readonly post: number };
}

/**
 * Did rolling the change back undo the trouble? Looks at the victim's (and the changed service's)
 * series that broke after the change and before its rollback (data.revertOf), and compares the
 * level after the rollback has settled with the level before the change and just before the
 * rollback (a rollback restarts processes, so a stopped leak falls back too). A rollback after which the trend
 * did NOT revert is strong evidence against the change, whatever the timing says.
 */
export function rollbackEvidence(ctx: Context, c: ChangeEvent): RollbackEvidence {
  const r = ctx.changes.find((x) => x.revertOf === c.id && x.time > c.time);
  if (r === undefined) return { value: 0 };
  const settle = Math.max(10 * MIN, 3 * ctx.stepMs);
  // The victim's moves count as much as they are the trouble that paged: a rollback that undoes a
  // release's harmless memory shift while the fds stay at their limit has not undone the trouble.
  const relevance = new Map<Signal, number>(ctx.trouble.map(({ s, w }) => [s, w]));
  const own = c.service === ctx.victim ? [] : (ctx.byService.get(c.service) ?? []).map((s) => ({ s, w: s.weight }));
  const affected = [...(ctx.byService.get(ctx.victim) ?? []).map((s) => ({ s, w: relevance.get(s) ?? 0 })), ...own]
    .filter(({ s }) => s.time >= c.time - ctx.tolMs && s.time < r.time && s.effect.shift > 0)
    .map(({ s, w }) => ({ s, w: w * lagKernel(s.time - c.time, ctx.tolMs, 2 * FAST_MS) }))
    .filter((x) => x.w > 0.2)
    .sort((a, b) => b.w - a.w)
    .slice(0, 5);
  let sum = 0;
  let weight = 0;
  let top: RollbackEvidence = { value: 0, rollback: r };
  for (const { s, w } of affected) {
    const verdict = reverted(s.series.points, s.effect.before, r.time, settle, ctx.effectMs, ctx.at);
    if (verdict === undefined) continue;
    sum += w * verdict.value;
    weight += w;
    if (top.signal === undefined) top = { value: 0, rollback: r, signal: s, levels: verdict.levels };
  }
  return weight === 0 ? { value: 0, rollback: r } : { ...top, value: sum / weight };
}

function window(points: readonly Point[], from: number, to: number): Point[] {
  return points.filter((p) => p.t >= from && p.t < to);
}

/** +1 reverted, −1 not, fractional in between; undefined without enough data around the rollback. */
function reverted(points: readonly Point[], pre: number, rt: number, settle: number, w: number, page: number): { value: number; levels: { pre: number; mid: number; post: number } } | undefined {
  const midPts = window(points, rt - w, rt);
  const postPts = window(points, rt + settle, rt + settle + w);
  if (midPts.length < 3 || postPts.length < 3) return undefined;
  const mid = median(midPts.map((p) => p.v)) ?? pre;
  const post = median(postPts.map((p) => p.v)) ?? mid;
  const moved = mid - pre;
  if (Math.abs(moved) < 1e-9) return undefined;
  const ratio = (post - pre) / moved;
  let value = ratio <= 0.4 ? 1 : ratio >= 0.75 ? -1 : 1 - (2 * (ratio - 0.4)) / 0.35;
  // Rolled back well before the page, yet the series is back up when it pages: whatever paged
  // is not this change.
  const atPage = median(window(points, page - w / 2, page + 1).map((p) => p.v));
  if (value > 0 && page - rt > 2 * w && atPage !== undefined && (atPage - pre) / moved >= 0.75) value = -1;
  return { value, levels: { pre, mid, post } };
}
