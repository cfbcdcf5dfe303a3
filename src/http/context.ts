import type { Clock } from '../ports';
import type { AlertDedupe } from '../slack/dedupe';
import type { PostedAlert } from '../slack/enrich';
import type { SlackClient } from '../slack/webhook';
import type { HttpDeps } from './deps';

/** What every route gets: the deps plus the per-server state built once in createHttpServer. */
export interface RouteContext {
  readonly deps: HttpDeps;
  readonly clock: Clock;
  /** Posts alert messages; absent when no incoming webhook is configured. */
  readonly slack?: SlackClient;
  /** Posts to a slash command's response_url (deps.slack, else a plain webhook client). */
  readonly responder: SlackClient;
  /** Which alert messages were posted (per server instance, bounded). */
  readonly dedupe: AlertDedupe<PostedAlert>;
  /** Whether a service exists (topology, or data in [from, to)). */
  readonly known: (service: string, from: number, to: number) => Promise<boolean>;
  /** Absolute (signed when http.token is set) link to the timeline of a service at a time. */
  readonly link: (service: string, at: number) => string;
}
