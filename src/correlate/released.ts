import type { ChangeEvent } from '../domain/types';
import { sameVersion } from '../domain/version';
import type { StitchedSeries } from './stitch';

const MIN = 60_000;
/** How long after a deploy its first new-version instance may come up. @default 15 min */
export const RELEASE_MS = 15 * MIN;

/**
 * The version a deploy released, as its instances tell it: the event's own when some instance of
 * the service reports it; else the version first seen on the service's instances within minutes
 * after the deploy (before its next change) and never before it. A deploy event may name no
 * version, or name it as the pipeline knows it (a commit) while the pods report another (a semver):
 * the canary and old-pods comparisons need the pods' own. Other changes, and deploys after which
 * no new version came up, keep what they say.
 */
export function releasedVersion(series: readonly StitchedSeries[], changes: readonly ChangeEvent[], c: ChangeEvent, tolMs: number): string | undefined {
  if (c.type !== 'deploy') return c.version;
  const spans = series.filter((s) => s.series.service === c.service).flatMap((s) => s.versions);
  if (c.version !== undefined && spans.some((v) => sameVersion(v.version, c.version))) return c.version;
  const next = changes.find((x) => x.service === c.service && x.time > c.time && x.id !== c.id)?.time ?? Infinity;
  const until = Math.min(next, c.time + RELEASE_MS);
  const before = new Set(spans.filter((v) => v.from < c.time - tolMs).map((v) => v.version));
  let first: { version: string; from: number } | undefined;
  for (const v of spans) {
    if (v.from < c.time - tolMs || v.from >= until || before.has(v.version)) continue;
    if (first === undefined || v.from < first.from) first = v;
  }
  return first?.version ?? c.version;
}

/** `changes` with each deploy's version as its instances tell it (see `releasedVersion`). */
export function withReleasedVersions(series: readonly StitchedSeries[], changes: readonly ChangeEvent[], tolMs: number): ChangeEvent[] {
  return changes.map((c) => {
    const v = releasedVersion(series, changes, c, tolMs);
    return v === c.version || v === undefined ? c : { ...c, version: v };
  });
}
