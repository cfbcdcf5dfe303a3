import { createHash } from 'node:crypto';

/**
 * The few members of Kubernetes objects the change tracker reads, and helpers over them. Objects
 * arrive as the API server sends them (watch events: `{type, object}`); nothing here talks to it.
 */

export interface K8sMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly managedFields?: readonly { readonly manager?: string; readonly operation?: string; readonly time?: string }[];
}

export interface K8sObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: K8sMeta;
  readonly spec?: Readonly<Record<string, unknown>>;
  readonly data?: Readonly<Record<string, string>>;
  readonly binaryData?: Readonly<Record<string, string>>;
  readonly type?: string;
}

export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: K8sObject;
}

export interface K8sOptions {
  /** Names the source (`k8s/<cluster>`). */
  readonly cluster: string;
  /** Labels tried in order for the service. @default app.kubernetes.io/name, app, k8s-app */
  readonly serviceLabels: readonly string[];
  /** Labels, then annotations, tried in order for the team. */
  readonly teamLabels: readonly string[];
  readonly teamAnnotations: readonly string[];
}

export const DEFAULT_K8S_OPTIONS: Omit<K8sOptions, 'cluster'> = {
  serviceLabels: ['app.kubernetes.io/name', 'app', 'k8s-app'],
  teamLabels: ['team', 'app.kubernetes.io/team', 'owner'],
  teamAnnotations: ['epicenter.io/team', 'team'],
};

export const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

export function ref(o: K8sObject): string {
  return `${o.metadata?.namespace ?? '_'}/${o.metadata?.name ?? '?'}`;
}

export function key(o: K8sObject): string {
  return `${o.kind ?? '?'}:${o.metadata?.uid ?? ref(o)}`;
}

/** A stable digest of any JSON value (object keys sorted), short. */
export function digest(v: unknown): string {
  return createHash('sha256').update(stable(v)).digest('hex').slice(0, 12);
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function firstOf(map: Readonly<Record<string, string>> | undefined, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = map?.[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

export function serviceOf(o: K8sObject, opts: K8sOptions, podLabels?: Readonly<Record<string, string>>): string {
  return firstOf(o.metadata?.labels, opts.serviceLabels) ?? firstOf(podLabels, opts.serviceLabels) ?? o.metadata?.name ?? 'unknown';
}

export function teamOf(o: K8sObject, opts: K8sOptions, podLabels?: Readonly<Record<string, string>>): string | undefined {
  return firstOf(o.metadata?.labels, opts.teamLabels) ?? firstOf(o.metadata?.annotations, opts.teamAnnotations) ?? firstOf(podLabels, opts.teamLabels);
}

/**
 * When the object last changed: the newest `managedFields` time (the API server stamps every
 * write), not after `now`; `now` (when we saw it) when there is none.
 */
export function changedAt(o: K8sObject, now: number): number {
  let t: number | undefined;
  for (const f of o.metadata?.managedFields ?? []) {
    const ms = f.time === undefined ? NaN : Date.parse(f.time);
    if (Number.isFinite(ms) && ms <= now && (t === undefined || ms > t)) t = ms;
  }
  return t ?? now;
}

type Obj = Readonly<Record<string, unknown>>;

export function podTemplate(o: K8sObject): Obj | undefined {
  const t = o.spec?.['template'];
  return t !== null && typeof t === 'object' ? (t as Obj) : undefined;
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly env?: readonly { readonly name: string; readonly value?: string; readonly valueFrom?: { readonly configMapKeyRef?: { readonly name?: string }; readonly secretKeyRef?: { readonly name?: string } } }[];
  readonly envFrom?: readonly { readonly configMapRef?: { readonly name?: string }; readonly secretRef?: { readonly name?: string } }[];
}

export function containers(template: Obj | undefined): Container[] {
  const spec = template?.['spec'] as { containers?: Container[]; initContainers?: Container[] } | undefined;
  return [...(spec?.containers ?? [])];
}

export function templateLabels(template: Obj | undefined): Readonly<Record<string, string>> | undefined {
  return (template?.['metadata'] as K8sMeta | undefined)?.labels;
}

/** Version of a pod template: `app.kubernetes.io/version`, else the first container's image tag. */
export function versionOf(o: K8sObject): string | undefined {
  const t = podTemplate(o);
  const label = templateLabels(t)?.['app.kubernetes.io/version'] ?? o.metadata?.labels?.['app.kubernetes.io/version'];
  if (label !== undefined) return label;
  const image = containers(t)[0]?.image;
  return image === undefined ? undefined : /:([^:/@]+)(?:@.*)?$/.exec(image)?.[1];
}

/** ConfigMaps and Secrets a pod template reads (volumes, envFrom, valueFrom), by kind. */
export function referenced(template: Obj | undefined): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const spec = template?.['spec'] as { volumes?: { configMap?: { name?: string }; secret?: { secretName?: string }; projected?: { sources?: { configMap?: { name?: string }; secret?: { name?: string } }[] } }[] } | undefined;
  for (const v of spec?.volumes ?? []) {
    if (v.configMap?.name !== undefined) configMaps.add(v.configMap.name);
    if (v.secret?.secretName !== undefined) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name !== undefined) configMaps.add(s.configMap.name);
      if (s.secret?.name !== undefined) secrets.add(s.secret.name);
    }
  }
  for (const c of containers(template)) {
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef?.name !== undefined) configMaps.add(e.configMapRef.name);
      if (e.secretRef?.name !== undefined) secrets.add(e.secretRef.name);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name !== undefined) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name !== undefined) secrets.add(e.valueFrom.secretKeyRef.name);
    }
  }
  return { configMaps, secrets };
}
