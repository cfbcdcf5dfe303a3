import type { ChangeEvent, SettingChange } from '../domain/types';
import { compact } from './common';
import { changedAt, containers, digest, key, podTemplate, ref, referenced, serviceOf, teamOf, templateLabels, versionOf, WORKLOADS, type K8sObject, type K8sOptions, type WatchEvent } from './k8s-objects';
import { settingsFromDiff } from './settings';

/**
 * Kubernetes objects before/after → change events, as a small state machine fed watch events (the
 * adapter in src/k8s feeds it from the API server; tests feed recorded streams). Reported:
 * - Deployment/StatefulSet/DaemonSet pod-template changes: a deploy (version from
 *   `app.kubernetes.io/version`, else the image tag; env values that changed become settings), or a
 *   rollback when the template returns to an earlier one (revertOf: the change it undoes);
 * - `spec.replicas` changes (by a person or by an HPA: HPA scaling shows here, once) and HPA spec
 *   changes (min/max/targets): scale;
 * - ConfigMap and Secret data changes, which trigger no rollout and appear in no rollout history: the
 *   keys that changed, for every workload that reads the object. Secret values are never kept:
 *   they are reduced to digests on arrival and only key names leave.
 * The initial list (objects that existed before watching) is remembered, not reported.
 */

const IGNORED_SECRET_TYPES = new Set(['kubernetes.io/service-account-token', 'helm.sh/release.v1', 'bootstrap.kubernetes.io/token']);
/** Longest ConfigMap value reported as a setting value; longer ones are read as files (YAML/properties). */
const MAX_INLINE_VALUE = 120;

export class K8sChangeTracker {
  private readonly last = new Map<string, K8sObject>();
  /** Pod-template digests per workload, oldest first, with the change that introduced each. */
  private readonly history = new Map<string, { hash: string; id?: string }[]>();

  constructor(private readonly opts: K8sOptions) {}

  /** One watch event → the changes it reveals. `initial`: part of the first list, before watching. */
  observe(ev: WatchEvent, now: number, initial = false): ChangeEvent[] {
    if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') return [];
    const k = key(ev.object);
    if (ev.type === 'DELETED') {
      this.last.delete(k);
      return [];
    }
    const cur = reduce(ev.object);
    const prev = this.last.get(k);
    this.last.set(k, cur);
    const kind = cur.kind ?? '';
    if ((WORKLOADS as readonly string[]).includes(kind)) return this.workload(prev, cur, now, initial);
    if (initial || prev === undefined) return [];
    if (kind === 'HorizontalPodAutoscaler') return this.hpa(prev, cur, now);
    if (kind === 'ConfigMap' || (kind === 'Secret' && !IGNORED_SECRET_TYPES.has(cur.type ?? ''))) return this.data(prev, cur, now);
    return [];
  }

  private base(o: K8sObject, id: string, type: ChangeEvent['type'], now: number) {
    const source = `k8s/${this.opts.cluster}`;
    return { id, source, type, rawType: `k8s.${o.kind ?? 'object'}.change.${type}`, time: changedAt(o, now), origins: [{ source, id, kind: `k8s.${o.kind ?? 'object'}` }] };
  }

  private workload(prev: K8sObject | undefined, cur: K8sObject, now: number, initial: boolean): ChangeEvent[] {
    const k = key(cur);
    const template = podTemplate(cur);
    const hash = digest(template);
    const seen = this.history.get(k) ?? [];
    this.history.set(k, seen);
    const service = serviceOf(cur, this.opts, templateLabels(template));
    const team = teamOf(cur, this.opts, templateLabels(template));
    const out: ChangeEvent[] = [];
    const current = seen[seen.length - 1];
    if (initial || current?.hash === hash) {
      if (current?.hash !== hash) seen.push({ hash });
    } else {
      const earlier = seen.slice(0, -1).some((h) => h.hash === hash);
      const type = earlier ? 'rollback' : 'deploy';
      const id = `k8s-${cur.metadata?.namespace ?? '_'}-${cur.metadata?.name ?? '?'}-${hash}`;
      const settings = prev === undefined ? [] : envSettings(podTemplate(prev), template);
      const images = containers(template).map((c) => c.image).filter((i) => i !== undefined);
      const before = prev === undefined ? undefined : containers(podTemplate(prev)).map((c) => c.image).join(', ');
      out.push(
        compact({
          ...this.base(cur, id, type, now),
          service,
          team,
          summary: `${type === 'rollback' ? 'rollback' : prev === undefined ? 'new' : 'rollout of'} ${cur.kind} ${ref(cur)}: ${before === undefined || before === images.join(', ') ? images.join(', ') : `${before} → ${images.join(', ')}`}`,
          version: versionOf(cur),
          revertOf: earlier ? current?.id : undefined,
          keys: settings.length === 0 ? undefined : settings.map((s) => s.key),
          settings: settings.length === 0 ? undefined : settings,
        }),
      );
      seen.push({ hash, id });
      if (seen.length > 20) seen.shift();
    }
    const from = prev?.spec?.['replicas'];
    const to = cur.spec?.['replicas'];
    if (!initial && prev !== undefined && typeof to === 'number' && typeof from === 'number' && from !== to) {
      const id = `k8s-scale-${cur.metadata?.namespace ?? '_'}-${cur.metadata?.name ?? '?'}-${cur.metadata?.resourceVersion ?? digest([from, to])}`;
      out.push(compact({ ...this.base(cur, id, 'scale', now), service, team, summary: `scale ${cur.kind} ${ref(cur)}: replicas ${from} → ${to}`, keys: ['replicas'], settings: [{ key: 'replicas', from: String(from), to: String(to) }] }));
    }
    return out;
  }

  private hpa(prev: K8sObject, cur: K8sObject, now: number): ChangeEvent[] {
    const fields = ['minReplicas', 'maxReplicas', 'metrics', 'behavior'];
    const settings: SettingChange[] = [];
    for (const f of fields) {
      const a = prev.spec?.[f];
      const b = cur.spec?.[f];
      if (digest(a) === digest(b)) continue;
      settings.push(typeof a === 'number' || typeof b === 'number' ? compact({ key: f, from: a === undefined ? undefined : String(a as number), to: b === undefined ? undefined : String(b as number) }) : { key: f });
    }
    if (settings.length === 0) return [];
    const target = (cur.spec?.['scaleTargetRef'] as { kind?: string; name?: string } | undefined) ?? {};
    const workload = [...this.last.values()].find((o) => o.kind === target.kind && o.metadata?.name === target.name && o.metadata?.namespace === cur.metadata?.namespace);
    const service = workload === undefined ? (target.name ?? serviceOf(cur, this.opts)) : serviceOf(workload, this.opts, templateLabels(podTemplate(workload)));
    const id = `k8s-hpa-${cur.metadata?.namespace ?? '_'}-${cur.metadata?.name ?? '?'}-${cur.metadata?.resourceVersion ?? digest(cur.spec)}`;
    const shown = settings.map((s) => (s.from === undefined && s.to === undefined ? s.key : `${s.key} ${s.from ?? '∅'} → ${s.to ?? '∅'}`));
    return [compact({ ...this.base(cur, id, 'scale', now), service, team: teamOf(cur, this.opts) ?? (workload === undefined ? undefined : teamOf(workload, this.opts)), summary: `HPA ${ref(cur)}: ${shown.join(', ')}`, keys: settings.map((s) => s.key), settings })];
  }

  private data(prev: K8sObject, cur: K8sObject, now: number): ChangeEvent[] {
    const secret = cur.kind === 'Secret';
    const a = { ...prev.data, ...prev.binaryData };
    const b = { ...cur.data, ...cur.binaryData };
    const changed = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
    if (changed.length === 0) return [];
    const settings: SettingChange[] = [];
    const keys: string[] = [];
    for (const k of changed) {
      const read = secret ? [] : valueSettings(k, a[k], b[k]);
      settings.push(...read);
      keys.push(...(read.length === 0 ? [k] : read.map((s) => s.key)));
    }
    const name = cur.metadata?.name ?? '';
    const readers = [...this.last.values()].filter((o) => (WORKLOADS as readonly string[]).includes(o.kind ?? '') && o.metadata?.namespace === cur.metadata?.namespace && (secret ? referenced(podTemplate(o)).secrets : referenced(podTemplate(o)).configMaps).has(name));
    const services = new Map<string, string | undefined>();
    for (const w of readers) services.set(serviceOf(w, this.opts, templateLabels(podTemplate(w))), teamOf(w, this.opts, templateLabels(podTemplate(w))));
    if (services.size === 0) services.set(serviceOf(cur, this.opts), undefined);
    const detail = settings.filter((s) => s.to !== undefined && s.from !== undefined).slice(0, 3).map((s) => `set ${s.key} ${s.from ?? ''} → ${s.to ?? ''}`);
    return [...services].map(([service, team]) => {
      const id = `k8s-${secret ? 'secret' : 'cm'}-${cur.metadata?.namespace ?? '_'}-${name}-${cur.metadata?.resourceVersion ?? digest(changed)}${services.size > 1 ? `-${service}` : ''}`;
      return compact({
        ...this.base(cur, id, 'config', now),
        service,
        team: teamOf(cur, this.opts) ?? team,
        summary: `${service}: ${cur.kind} ${ref(cur)} changed ${changed.join(', ')}${detail.length === 0 ? '' : `; ${detail.join('; ')}`}`,
        keys,
        settings: settings.length === 0 ? undefined : settings,
      });
    });
  }
}

/** Secret values never stay in memory: each becomes a digest, enough to see that it changed. */
function reduce(o: K8sObject): K8sObject {
  if (o.kind !== 'Secret') return o;
  const hashed = (m: Readonly<Record<string, string>> | undefined) => (m === undefined ? undefined : Object.fromEntries(Object.entries(m).map(([k, v]) => [k, digest(v)])));
  return compact({ apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata, type: o.type, data: hashed(o.data), binaryData: hashed(o.binaryData) });
}

/** A ConfigMap value: short ones are settings as they are; files are read as YAML/properties, leaf by leaf. */
function valueSettings(k: string, from: string | undefined, to: string | undefined): SettingChange[] {
  const inline = (v: string | undefined) => v === undefined || (!v.includes('\n') && v.length <= MAX_INLINE_VALUE);
  if (inline(from) && inline(to)) return [compact({ key: k, from, to })];
  const lines = (v: string | undefined, mark: string) => (v ?? '').split('\n').map((l) => mark + l);
  return settingsFromDiff([...lines(from, '-'), ...lines(to, '+')].join('\n'));
}

/** Literal env values that changed between two pod templates (valueFrom references are not values). */
function envSettings(before: Readonly<Record<string, unknown>> | undefined, after: Readonly<Record<string, unknown>> | undefined): SettingChange[] {
  const env = (t: typeof before) => new Map(containers(t).flatMap((c) => (c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value ?? ''] as const)));
  const a = env(before);
  const b = env(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).map((k) => compact({ key: k, from: a.get(k), to: b.get(k) }));
}
