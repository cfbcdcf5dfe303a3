import type { ChangeEvent } from '../../domain/types';
import type { Context } from '../context';
import { RESOURCE_CLASSES, type Signal } from '../signals';
import { versionAt } from '../stitch';

const HOUR = 3600_000;

export interface VersionEvidence {
  /** +1: only instances on the new version broke; −1: instances still on the old version broke too; 0: unknown. */
  readonly value: number;
  readonly onNew: number;
  readonly onOld: number;
  readonly signal?: Signal;
}

/**
 * Version differential (canary analysis): when series carry `service.version` and the deploy
 * names its version, compare the changed service's instances on the new version with those still
 * on an old one during the rollout. The same breakpoint on old-version instances means the deploy
 * is not the cause; breakpoints only on new-version instances mean it is. Unknown (0) when labels
 * are missing or every instance switched at once (nothing to compare against).
 */
export function versionDifferential(ctx: Context, c: ChangeEvent): VersionEvidence {
  const none: VersionEvidence = { value: 0, onNew: 0, onOld: 0 };
  if ((c.type !== 'deploy' && c.type !== 'rollback') || c.version === undefined) return none;
  const versioned = ctx.series.filter((s) => s.series.service === c.service && s.versions.length > 0);
  if (!versioned.some((s) => s.versions.some((v) => v.version === c.version))) return none;
  let onNew = 0;
  let onOld = 0;
  let signal: Signal | undefined;
  for (const s of ctx.byService.get(c.service) ?? []) {
    if (s.series.versions.length === 0 || s.time < c.time - ctx.tolMs || s.time > c.time + 3 * HOUR) continue;
    if (!RESOURCE_CLASSES.has(s.cls) || s.effect.shift <= 0 || s.weight < 0.3) continue;
    // The version in force just after the break: a restart onto the new version is itself on the new version.
    const v = versionAt(s.series, s.time + ctx.stepMs) ?? versionAt(s.series, s.time);
    if (v === undefined) continue;
    if (v === c.version) {
      onNew += s.weight;
      signal ??= s;
    } else if (oldStillRunning(ctx, c, s.time)) {
      onOld += s.weight;
      signal = s;
    }
  }
  if (onNew + onOld === 0) return none;
  return { value: (onNew - onOld) / (onNew + onOld), onNew, onOld, signal };
}

/** Some instance of the service still ran another version at `t`, after the deploy started. */
function oldStillRunning(ctx: Context, c: ChangeEvent, t: number): boolean {
  return t >= c.time && ctx.series.some((s) => s.series.service === c.service && s.versions.some((v) => v.version !== c.version && v.from <= t && v.to > t));
}
