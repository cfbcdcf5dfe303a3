/** Alertmanager webhook payloads for tests, shaped like what Alertmanager 0.25 sends. */

/** A notification as Alertmanager 0.25 sends it (shape from its webhook docs). */
export function amPayload(over: Record<string, unknown> = {}, alerts: unknown[] = [amAlert()]): Record<string, unknown> {
  return {
    receiver: 'epicenter',
    status: 'firing',
    alerts,
    groupLabels: { alertname: 'JobsCrashing' },
    commonLabels: { alertname: 'JobsCrashing', service: 'jobs', severity: 'critical' },
    commonAnnotations: { summary: 'jobs pods crash: EMFILE' },
    externalURL: 'http://am:9093',
    version: '4',
    groupKey: '{}:{alertname="JobsCrashing"}',
    truncatedAlerts: 0,
    ...over,
  };
}

export function amAlert(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 'firing',
    labels: { alertname: 'JobsCrashing', service: 'jobs', severity: 'critical' },
    annotations: { summary: 'jobs pods crash: EMFILE' },
    startsAt: '2024-05-01T12:00:00.123456789Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus/graph',
    fingerprint: 'c0ffee',
    ...over,
  };
}
