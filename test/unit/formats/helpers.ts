import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sample } from '../../../src/domain/types';

/** Text of a fixture under test/fixtures/formats. */
export function fixture(name: string): string {
  return readFileSync(join(__dirname, '..', '..', 'fixtures', 'formats', name), 'utf8');
}

/** 2024-05-01T12:00:00Z */
export const T0 = 1_714_564_800_000;
export const ns = (ms: number): string => `${ms}000000`;

export const str = (key: string, v: string) => ({ key, value: { stringValue: v } });

/** An ExportMetricsServiceRequest with one resource and one scope holding `metrics`. */
export function request(metrics: unknown[], resourceAttrs: unknown[] = [str('service.name', 'svc')]): object {
  return { resourceMetrics: [{ resource: { attributes: resourceAttrs }, scopeMetrics: [{ scope: { name: 't' }, metrics }] }] };
}

/** The samples of one metric as [t, v] pairs, in order. */
export function pointsOf(samples: readonly Sample[], metric: string, label?: [string, string]): [number, number][] {
  return samples
    .filter((s) => s.series.metric === metric && (label === undefined || s.series.labels[label[0]] === label[1]))
    .map((s) => [s.t, s.v]);
}
