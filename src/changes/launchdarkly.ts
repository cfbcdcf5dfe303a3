import type { ChangeEvent, SettingChange } from '../domain/types';
import { compact, malformed, obj, optObj, optText, text, timeOf, withSettings, type Obj } from './common';
import type { LaunchdarklySource } from './config';
import type { Normalised } from './source';

/**
 * LaunchDarkly webhooks: the body is an audit-log entry (`_id`, `date` in epoch ms, `kind`, `name`,
 * `accesses[].action/resource` such as `proj/default:env/production:flag/new-checkout`,
 * `currentVersion`/`previousVersion` (the flag), `member`, `titleVerb`, `comment`). Delivery order is
 * not guaranteed, so `date` is the change's time. Only flag changes scoped to an environment count:
 * renaming or re-tagging a flag changes nothing that runs. The service comes from a flag tag
 * (`service:<name>`, one change per tagged service) or the source's fixed service.
 */
export function normaliseLaunchDarkly(body: unknown, cfg: LaunchdarklySource, now: number): Normalised {
  const doc = obj(body, 'body');
  const kind = text(doc['kind'], 'kind');
  if (kind !== 'flag') return { ignored: `audit-log kind ${kind} is not a flag` };
  const id = text(doc['_id'], '_id');
  const accesses = Array.isArray(doc['accesses']) ? doc['accesses'] : [];
  const envs = new Set<string>();
  let flagKey: string | undefined;
  accesses.forEach((a, i) => {
    const resource = text(obj(a, `accesses[${i}]`)['resource'], `accesses[${i}].resource`);
    const env = /(?:^|:)env\/([^:;/]+)/.exec(resource)?.[1];
    const flag = /(?:^|:)flag\/([^:;/]+)/.exec(resource)?.[1];
    if (env !== undefined && flag !== undefined) {
      envs.add(env);
      flagKey ??= flag;
    }
  });
  const watched = [...envs].filter((e) => cfg.environments === undefined || cfg.environments.includes(e));
  if (flagKey === undefined || watched.length === 0) return { ignored: envs.size === 0 ? 'not an environment-scoped flag change' : `environment ${[...envs].join(', ')} is not watched` };
  const current = optObj(doc['currentVersion']) ?? {};
  const previous = optObj(doc['previousVersion']);
  const tags = Array.isArray(current['tags']) ? current['tags'].filter((t): t is string => typeof t === 'string') : [];
  const tagged = (prefix: string) => tags.filter((t) => t.startsWith(prefix) && t.length > prefix.length).map((t) => t.slice(prefix.length));
  const services = cfg.service !== undefined ? [cfg.service] : tagged(cfg.serviceTagPrefix);
  if (services.length === 0) throw malformed('currentVersion.tags', `no service: tag the flag ${cfg.serviceTagPrefix}<service> or configure a fixed service for this source`);
  const key = flagKey;
  const settings = watched.flatMap((env) => onOff(key, env, current, previous));
  const member = optObj(doc['member']);
  const who = optText(member?.['email']);
  const verb = optText(doc['titleVerb']) ?? optText(doc['shortDescription']) ?? 'changed the flag';
  const name = optText(doc['name']) ?? key;
  const comment = optText(doc['comment']);
  const summary = `${who === undefined ? '' : `${who} `}${verb} ${name} in ${watched.join(', ')}${comment === undefined ? '' : `: ${comment}`}`;
  const time = timeOf(doc['date'], 'date', now);
  const site = optObj(optObj(optObj(doc['_links'])?.['site']))?.['href'];
  const changes = services.map(
    (service): ChangeEvent =>
      withSettings(
        compact({
          id: services.length === 1 ? `ld-${id}` : `ld-${id}-${service}`,
          source: `launchdarkly/${key}`,
          type: 'flag' as const,
          rawType: 'launchdarkly.flag.change.flag',
          service,
          team: cfg.team ?? tagged(cfg.teamTagPrefix)[0],
          time,
          summary,
          version: optText(current['version']),
          keys: [key],
          settings: settings.length === 0 ? undefined : settings,
          origins: [compact({ source: 'launchdarkly', id, kind: 'launchdarkly.flag', url: optText(site) })],
        }),
        comment,
      ),
  );
  return { changes };
}

/** `on` flipped in `env` between the two flag versions, when both are in the payload. */
function onOff(key: string, env: string, current: Obj, previous: Obj | undefined): SettingChange[] {
  const was = optObj(optObj(previous?.['environments'])?.[env])?.['on'];
  const is = optObj(optObj(current['environments'])?.[env])?.['on'];
  if (typeof is !== 'boolean' || was === is) return [];
  return [compact({ key: `${key}@${env}`, from: typeof was === 'boolean' ? (was ? 'on' : 'off') : undefined, to: is ? 'on' : 'off' })];
}
