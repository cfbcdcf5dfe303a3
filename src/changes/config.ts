import { z } from 'zod';
import { CHANGE_TYPES } from '../domain/types';
import { parsePath } from './path';

/**
 * `changeSources` in the configuration: one entry per webhook sender, by source kind and a name of
 * your choice (`POST /v1/changes/<kind>/<name>`). Every entry must be able to authenticate its
 * sender: a source without a secret or token is a configuration error, never an open door.
 */

const name = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, _ or -');
const secret = z.string().min(8, 'must be at least 8 characters');
const token = z.string().min(16, 'must be at least 16 characters');

/** Shared-secret auth for senders that cannot sign the GitHub way: HMAC of the raw body, a bearer token, or both. */
const sharedAuth = {
  /** HMAC-SHA256 of the raw body, hex, in `signatureHeader` (`sha256=` prefix optional). */
  secret: secret.optional(),
  /** @default 'x-epicenter-signature' */
  signatureHeader: z.string().min(1).default('x-epicenter-signature').transform((h) => h.toLowerCase()),
  /** `Authorization: Bearer <token>`. */
  token: token.optional(),
};

const needsAuth = (s: { secret?: string | undefined; token?: string | undefined }) => s.secret !== undefined || s.token !== undefined;
const authMessage = { message: 'needs a secret (HMAC of the body) or a token (Authorization: Bearer)', path: ['secret'] };

const common = {
  /** Fixed service for every change from this sender (otherwise read from the payload). */
  service: z.string().min(1).optional(),
  /** Fixed team (otherwise read from the payload, or absent). */
  team: z.string().min(1).optional(),
};

export const githubSourceSchema = z.strictObject({
  /** The webhook's secret (GitHub sends `X-Hub-Signature-256`). */
  secret,
  ...common,
  /** Only deployments to these environments (all when absent). */
  environments: z.array(z.string().min(1)).optional(),
  /** Pushes to this repository are config changes: changed files become keys. */
  configRepo: z.boolean().default(false),
  /** Config repo: only these branches count. @default ['main', 'master'] */
  branches: z.array(z.string().min(1)).default(['main', 'master']),
  /** Config repo: the path segment (0-based) that names the service, e.g. 1 for `services/<svc>/app.yaml`. */
  servicePathSegment: z.number().int().min(0).optional(),
});

export const argocdSourceSchema = z.strictObject({ ...sharedAuth, ...common }).refine(needsAuth, authMessage);

export const launchdarklySourceSchema = z.strictObject({
  /** The webhook's signing secret (LaunchDarkly sends `X-LD-Signature`). */
  secret,
  ...common,
  /** Flag tags naming the service / team, e.g. a flag tagged `service:checkout-api`. */
  serviceTagPrefix: z.string().default('service:'),
  teamTagPrefix: z.string().default('team:'),
  /** Only changes in these LaunchDarkly environment keys (all when absent). */
  environments: z.array(z.string().min(1)).optional(),
});

export const pagerdutySourceSchema = z.strictObject({ ...sharedAuth, ...common }).refine(needsAuth, authMessage);

/** Field paths such as `$.deployment.service` or `commits[0].id`; `[*]` collects every element (keys). */
const path = z
  .string()
  .min(1)
  .superRefine((p, ctx) => {
    try {
      parsePath(p);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  });

export const genericSourceSchema = z
  .object({
    ...sharedAuth,
    ...common,
    /** Path to an array of events in the body; the body itself is one event when absent. */
    items: path.optional(),
    /** Recorded as the change's `source`. @default 'generic/<name>' */
    source: z.string().min(1).optional(),
    /** Change kind when `map.type` is absent or reads nothing: a fixed kind, or `infer` (from the summary). @default 'infer' */
    defaultType: z.enum([...CHANGE_TYPES, 'infer']).default('infer'),
    map: z.strictObject({
      id: path.optional(),
      time: path,
      service: path.optional(),
      team: path.optional(),
      summary: path.optional(),
      keys: path.optional(),
      version: path.optional(),
      type: path.optional(),
    }),
  })
  .refine(needsAuth, authMessage)
  .refine((g) => g.map.service !== undefined || g.service !== undefined, { message: 'needs map.service or a fixed service', path: ['map', 'service'] });

export const changeSourcesSchema = z
  .object({
    github: z.record(name, githubSourceSchema).default({}).describe('GitHub webhooks by name: { secret, service?, team?, environments?, configRepo, branches, servicePathSegment? } (deployment_status; push to a config repository).'),
    argocd: z.record(name, argocdSourceSchema).default({}).describe('Argo CD notification webhooks by name: { secret? (HMAC of the body), signatureHeader, token? (Bearer), service?, team? }.'),
    launchdarkly: z.record(name, launchdarklySourceSchema).default({}).describe('LaunchDarkly audit-log webhooks by name: { secret, service?, team?, serviceTagPrefix, teamTagPrefix, environments? }.'),
    pagerduty: z.record(name, pagerdutySourceSchema).default({}).describe('PagerDuty Change Events v2 webhooks by name: { secret? or token?, signatureHeader, service?, team? }.'),
    generic: z.record(name, genericSourceSchema).default({}).describe('Any JSON body by name, mapped with field paths: { secret? or token?, items?, source?, defaultType, map: { id?, time, service?, team?, summary?, keys?, version?, type? } }.'),
  })
  .strict();

export type ChangeSourcesConfig = z.infer<typeof changeSourcesSchema>;
export type GithubSource = z.infer<typeof githubSourceSchema>;
export type ArgocdSource = z.infer<typeof argocdSourceSchema>;
export type LaunchdarklySource = z.infer<typeof launchdarklySourceSchema>;
export type PagerdutySource = z.infer<typeof pagerdutySourceSchema>;
export type GenericSource = z.infer<typeof genericSourceSchema>;
export type SharedAuth = { secret?: string | undefined; signatureHeader: string; token?: string | undefined };

export const SOURCE_KINDS = ['github', 'argocd', 'launchdarkly', 'pagerduty', 'generic'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
