import type { ChangeEvent, ChangeOrigin, ChangeType } from '../domain/types';
import { withSettings } from './common';

/**
 * One change, many sources: a GitHub deployment and the Kubernetes rollout it caused, an Argo CD sync
 * and the same rollout, are one change. Merged when they are of the same service, of compatible kinds,
 * within `windowMs` of each other, from different sources, and name the same thing: the same version
 * (a commit sha matches its abbreviation and an image tag that carries it) for deploys, or overlapping
 * keys, set to the same values where both say, for config, flag and scale changes. Conservative on purpose: two real changes kept apart cost
 * a rank; two merged wrongly hide a cause.
 */

/** @default 10 min: a deployment's status and the rollout it caused land within minutes. */
export const MERGE_WINDOW_MS = 10 * 60_000;

const FAMILY: Readonly<Record<ChangeType, string>> = { deploy: 'release', rollback: 'release', config: 'config', flag: 'flag', scale: 'scale', infra: 'infra' };

function tokens(v: string): string[] {
  const s = v.trim().toLowerCase().replace(/^v(?=\d)/, '');
  return [s, ...s.split(/[-_+:@/]/).map((t) => t.replace(/^v(?=\d)/, ''))].filter((t) => t.length >= 3);
}

/** Whether two version strings name the same build: equal, a sha and its abbreviation, or a tag carrying either. */
export function sameVersion(a: string, b: string): boolean {
  const ta = tokens(a);
  const tb = tokens(b);
  return ta.some((x) => tb.some((y) => x === y || (/^[0-9a-f]{7,}$/.test(x) && /^[0-9a-f]{7,}$/.test(y) && (x.startsWith(y) || y.startsWith(x)))));
}

function sameThing(a: ChangeEvent, b: ChangeEvent): boolean {
  if (FAMILY[a.type] !== FAMILY[b.type]) return false;
  if (FAMILY[a.type] === 'release') return a.version !== undefined && b.version !== undefined && sameVersion(a.version, b.version);
  const keys = new Set(a.keys ?? []);
  if (!(b.keys ?? []).some((k) => keys.has(k))) return false;
  // Two reports of one change set the same values; the same key set to different values is two changes.
  return !(a.settings ?? []).some((x) => (b.settings ?? []).some((y) => y.key === x.key && x.to !== undefined && y.to !== undefined && x.to !== y.to));
}

export function originsOf(c: ChangeEvent): readonly ChangeOrigin[] {
  return c.origins ?? [{ source: c.source, id: c.id }];
}

function sourcesOf(c: ChangeEvent): Set<string> {
  return new Set([c.source, ...originsOf(c).map((o) => o.source)]);
}

/** `b` folded into `a` (the earlier report: its id, time and summary stay; lists are united). */
function fold(a: ChangeEvent, b: ChangeEvent): ChangeEvent {
  const origins = [...originsOf(a)];
  for (const o of originsOf(b)) if (!origins.some((x) => x.source === o.source && x.id === o.id)) origins.push(o);
  const keys = [...new Set([...(a.keys ?? []), ...(b.keys ?? [])])];
  const settings = [...(a.settings ?? [])];
  for (const s of b.settings ?? []) if (!settings.some((x) => x.key === s.key)) settings.push(s);
  return {
    ...a,
    ...(a.team === undefined && b.team !== undefined ? { team: b.team } : {}),
    ...(a.version === undefined && b.version !== undefined ? { version: b.version } : {}),
    // A rollback reported by either source is a rollback: the correlator reasons differently about them.
    ...(b.type === 'rollback' ? { type: 'rollback' as const, ...(b.revertOf === undefined ? {} : { revertOf: b.revertOf }) } : {}),
    ...(keys.length === 0 ? {} : { keys }),
    ...(settings.length === 0 ? {} : { settings }),
    origins,
  };
}

/**
 * The changes as the correlator should see them: settings named in summaries read into
 * `keys`/`settings`, and reports of one change by several sources merged into one with every origin.
 * Pure; order of the result is by time. Changes that merge nothing are returned as they were, apart
 * from what their summaries name.
 */
export function consolidateChanges(changes: readonly ChangeEvent[], windowMs = MERGE_WINDOW_MS): ChangeEvent[] {
  const sorted = changes.map((c) => withSettings(c, c.summary)).sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  const out: ChangeEvent[] = [];
  // Open groups per service; a group absorbs a later report within the window of its latest member.
  const open = new Map<string, { index: number; last: number }[]>();
  for (const c of sorted) {
    const groups = open.get(c.service) ?? [];
    const hit = groups.find((g) => {
      const m = out[g.index];
      if (m === undefined || c.time - g.last > windowMs) return false;
      const theirs = sourcesOf(m);
      return ![...sourcesOf(c)].some((s) => theirs.has(s)) && sameThing(m, c);
    });
    if (hit === undefined) {
      groups.push({ index: out.length, last: c.time });
      out.push(c);
    } else {
      out[hit.index] = fold(out[hit.index]!, c);
      hit.last = c.time;
    }
    open.set(
      c.service,
      groups.filter((g) => c.time - g.last <= windowMs),
    );
  }
  return out;
}
