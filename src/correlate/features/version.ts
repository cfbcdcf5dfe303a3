import { median } from '../../stats';
import { sameVersion } from '../../domain/version';
import type { ChangeEvent, Point } from '../../domain/types';
import type { Context } from '../context';
import { RESOURCE_CLASSES, metricClass } from '../signals';
import type { Signal } from '../signals';
import type { StitchedSeries } from '../stitch';

const MIN = 60_000;

export interface VersionEvidence {
  /** +1: only instances on the new version moved; −1: instances still on the old version moved as much; 0: unknown. */
  readonly value: number;
  /** Median relative change on new-version and on old-version instances over the same windows (0.3 = +30 %). */
  readonly onNew?: number;
  readonly onOld?: number;
  readonly metric?: string;
  readonly oldVersion?: string;
}

/**
 * Version differential (canary analysis): when series carry `service.version` and the deploy
 * names its version, compare each instance that switched to the new version (its level before
 * the switch vs after it settled, while it still ran that version) with the instances still on
 * an old version over the SAME windows. Old-version instances moving as much mean the deploy is not the cause; only new-version
 * instances moving mean it is. Unknown (0) when labels are missing or every instance switched
 * before a comparison window closed (nothing left to compare against).
 */
export function versionDifferential(ctx: Context, c: ChangeEvent): VersionEvidence {
  const none: VersionEvidence = { value: 0 };
  if ((c.type !== 'deploy' && c.type !== 'rollback') || c.version === undefined) return none;
  const w = Math.min(ctx.effectMs, Math.max(30 * MIN, 4 * ctx.stepMs));
  const settle = Math.max(10 * MIN, 2 * ctx.stepMs);
  const byMetric = new Map<string, StitchedSeries[]>();
  for (const s of ctx.series) {
    if (s.series.service !== c.service || s.versions.length === 0) continue;
    if (!RESOURCE_CLASSES.has(metricClass(s.series.metric))) continue;
    const key = `${s.series.metric}|${Object.entries(s.series.labels).filter(([k]) => k !== 'service.instance.id').sort().join(',')}`;
    byMetric.set(key, [...(byMetric.get(key) ?? []), s]);
  }
  let best: VersionEvidence = none;
  let bestSize = 0;
  for (const group of byMetric.values()) {
    const rNew: number[] = [];
    const rOld: number[] = [];
    let oldVersion: string | undefined;
    for (const s of group) {
      const sw = s.versions.find((v) => sameVersion(v.version, c.version) && v.from >= c.time - ctx.tolMs);
      if (sw === undefined) continue;
      // Only while it ran this version: a later release on it is another change's effect.
      const win = { b0: sw.from - w, b1: sw.from, a0: sw.from + settle, a1: Math.min(sw.from + settle + w, sw.to) };
      const rn = relChange(s.points, win);
      if (rn === undefined) continue;
      rNew.push(rn);
      for (const o of group) {
        if (o === s || !o.versions.some((v) => !sameVersion(v.version, c.version) && v.from <= win.b0 && v.to >= win.a1)) continue;
        const ro = relChange(o.points, win);
        if (ro === undefined) continue;
        rOld.push(ro);
        oldVersion ??= o.versions.find((v) => v.from <= win.b0 && v.to >= win.a1)?.version;
      }
    }
    const n = median(rNew);
    const o = median(rOld);
    if (n === undefined || o === undefined) continue;
    const size = Math.max(n, o);
    if (size < 0.05 || size <= bestSize) continue;
    bestSize = size;
    const value = o >= 0.5 * size ? -1 : n >= 0.05 && o <= 0.25 * n ? Math.min(1, n / 0.15) : 0;
    best = { value, onNew: n, onOld: o, metric: group[0]?.series.metric, oldVersion };
  }
  return best;
}

/** (median after − median before) / |median before|, or undefined with under 3 samples a side. */
function relChange(points: readonly Point[], win: { b0: number; b1: number; a0: number; a1: number }): number | undefined {
  const before = points.filter((p) => p.t >= win.b0 && p.t < win.b1).map((p) => p.v);
  const after = points.filter((p) => p.t >= win.a0 && p.t < win.a1).map((p) => p.v);
  if (before.length < 3 || after.length < 3) return undefined;
  const b = median(before) ?? 0;
  const a = median(after) ?? b;
  return Math.abs(b) < 1e-9 ? 0 : (a - b) / Math.abs(b);
}

/**
 * Per-instance order of a rolling deploy: instances switch one by one, so a move the release
 * caused starts on each instance after THAT instance switched. Moves of the service's instances
 * that began before their own switch (or on instances that never switched) exonerate it: +1 when
 * every moving instance moved after its switch, −1 when every one moved before, 0 when unknown.
 */
export function instanceOrder(ctx: Context, c: ChangeEvent): number {
  if (c.type !== 'deploy' || c.version === undefined) return 0;
  const verdicts: number[] = [];
  for (const s of ctx.byService.get(c.service) ?? []) {
    if (s.effect.shift <= 0 || s.weight < 0.3 || s.series.versions.length === 0) continue;
    if (s.time < c.time - 60 * MIN || s.time > ctx.onset + 30 * MIN) continue;
    const v = orderVerdict(s, c, ctx.tolMs);
    if (v !== undefined) verdicts.push(v);
  }
  return verdicts.length === 0 ? 0 : verdicts.reduce((a, b) => a + b, 0) / verdicts.length;
}

/**
 * −1 the instance moved before its own switch (or moved without switching, though it ran when C
 * landed), +1 within 30 min after it, else unknown: an instance a later release brought up says
 * nothing of C.
 */
function orderVerdict(s: Signal, c: ChangeEvent, tolMs: number): number | undefined {
  const sw = s.series.versions.find((v) => sameVersion(v.version, c.version) && v.from >= c.time - tolMs);
  if (sw === undefined) return s.time >= c.time && s.series.versions.some((v) => v.from <= c.time) ? -1 : undefined;
  const lag = s.time - sw.from;
  return lag < -tolMs ? -1 : lag <= 30 * MIN ? 1 : undefined;
}
