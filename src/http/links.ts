import { timelineSig } from './auth';

/**
 * Absolute link to GET /v1/timeline for (service, at) under http.publicUrl; signed with
 * http.token when one is set, so it opens in a browser without the bearer token.
 */
export function timelineUrl(publicUrl: string, token: string | undefined, service: string, at: number): string {
  const base = publicUrl.replace(/\/+$/, '');
  const q = new URLSearchParams({ service, at: new Date(at).toISOString() });
  if (token !== undefined) q.set('sig', timelineSig(token, service, at));
  return `${base}/v1/timeline?${q.toString()}`;
}
