import type { ChangeEvent } from '../domain/types';
import { instanceLabel } from '../domain/series';
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

/**
 * Versions told by arrival, for a service none of whose series names a version (many SDKs set no
 * `service.version`, and without the k8sattributes processor there is no image tag either). A
 * release comes up on new pods: the instances first seen within minutes after a deploy or rollback
 * of the service (before its next one) run that release, as its version or, when the event names
 * none, as `<id> (new pods)`; the instances there from the start of the data run another
 * (`ARRIVED_BEFORE`); others are not guessed at. Only when some instance was there before the
 * release, and only for series naming their instance.
 */
export function versionsFromArrival(series: readonly StitchedSeries[], changes: readonly ChangeEvent[], tolMs: number): StitchedSeries[] {
  const byService = new Map<string, StitchedSeries[]>();
  for (const s of series) {
    const g = byService.get(s.series.service);
    if (g === undefined) byService.set(s.series.service, [s]);
    else g.push(s);
  }
  const arrived = new Map<StitchedSeries, string>();
  for (const [svc, group] of byService) {
    const own = new Map<StitchedSeries, string>();
    if (group.some((s) => s.versions.length > 0)) continue;
    const releases = changes.filter((c) => c.service === svc && (c.type === 'deploy' || c.type === 'rollback')).sort((a, b) => a.time - b.time);
    if (releases.length === 0) continue;
    const firstSeen = new Map<string, number>();
    for (const s of group) {
      const id = instanceLabel(s.series.labels);
      const t = s.points[0]?.t;
      if (id !== undefined && t !== undefined) firstSeen.set(id, Math.min(firstSeen.get(id) ?? Infinity, t));
    }
    const start = Math.min(...firstSeen.values());
    const release = (t: number): ChangeEvent | undefined =>
      t <= start ? undefined : releases.find((c, k) => t >= c.time - tolMs && t < Math.min(releases[k + 1]?.time ?? Infinity, c.time + RELEASE_MS) && start < c.time - tolMs);
    for (const s of group) {
      const id = instanceLabel(s.series.labels);
      const t = id === undefined ? undefined : firstSeen.get(id);
      if (t === undefined) continue;
      const c = release(t);
      // A pod that came up between releases (a restart, an autoscaler), or with one of two releases
      // within the clock tolerance of each other: what it runs is a guess.
      if (c === undefined ? t > start : releases.some((o) => o !== c && Math.abs(o.time - c.time) < tolMs)) continue;
      own.set(s, c === undefined ? ARRIVED_BEFORE : c.version ?? `${c.id} (new pods)`);
    }
    // Nothing arrived with a release: no instance to tell one version from another.
    if ([...own.values()].some((v) => v !== ARRIVED_BEFORE)) for (const [s, v] of own) arrived.set(s, v);
  }
  if (arrived.size === 0) return [...series];
  return series.map((s) => {
    const v = arrived.get(s);
    const first = s.points[0]?.t;
    const last = s.points.at(-1)?.t;
    return v === undefined || first === undefined || last === undefined ? s : { ...s, versions: [{ from: first, to: last + 1, version: v }] };
  });
}

/** The version of the instances that were there before a release, for `versionsFromArrival`. */
export const ARRIVED_BEFORE = '(running before the release)';
