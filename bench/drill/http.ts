/** The drill's HTTP calls: epicenter's change API, Alertmanager's alert API, readiness probes. */

const TIMEOUT_MS = 10_000;

/** POST /v1/changes on epicenter (what a config service or CI job does); every event must be accepted. */
export async function postChanges(api: string, token: string, events: readonly Record<string, unknown>[]): Promise<void> {
  const r = await fetch(`${api}/v1/changes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(events), signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await r.text();
  if (r.status !== 200) throw new Error(`epicenter refused the change events (${r.status}): ${body}`);
}

/**
 * An alert as Prometheus sends it to Alertmanager (POST /api/v2/alerts): startsAt is when the rule
 * began firing, endsAt a little ahead (Prometheus re-sends while the alert holds).
 */
export async function postAlert(alertmanager: string, labels: Record<string, string>, summary: string, startsAt: number): Promise<void> {
  const alert = { labels, annotations: { summary }, startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 600_000).toISOString(), generatorURL: 'http://127.0.0.1/drill' };
  const r = await fetch(`${alertmanager}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([alert]), signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (r.status !== 200) throw new Error(`Alertmanager refused the alert (${r.status}): ${await r.text()}`);
}

/** Poll `url` until it answers 2xx; `gone` names a reason to stop early (the process exited). */
export async function waitHttpOk(url: string, timeoutMs: number, signal?: AbortSignal, gone?: () => string | undefined): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const reason = gone?.();
    if (reason !== undefined) throw new Error(reason);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > end) throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
