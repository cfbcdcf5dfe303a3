import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Point } from '../../src/domain/types';
import { decodeCsvSeries } from '../../src/formats';

export const NAB_DIR = '/work/shared/data/nab';
const GROUPS = ['realAWSCloudwatch', 'realKnownCause'];

export interface NabSeries {
  /** `group/file.csv`, the key of labels/combined_windows.json. */
  readonly key: string;
  readonly points: Point[];
  /** Labelled anomaly windows as [first, last] sample indices. */
  readonly windows: [number, number][];
}

/** NAB times are zone-less; like our CSV decoder, read them as UTC. */
function nabTime(s: string): number {
  return Date.parse(`${s.replace(' ', 'T').replace(/\.\d+$/, '')}Z`);
}

/** The real NAB subset with its windows mapped to sample indices (decoded by src/formats). */
export function loadNab(dir = NAB_DIR): NabSeries[] {
  const labels = JSON.parse(readFileSync(join(dir, 'labels', 'combined_windows.json'), 'utf8')) as Record<string, [string, string][]>;
  const out: NabSeries[] = [];
  for (const g of GROUPS) {
    for (const f of readdirSync(join(dir, 'data', g)).filter((x) => x.endsWith('.csv')).sort()) {
      const key = `${g}/${f}`;
      const decoded = decodeCsvSeries(readFileSync(join(dir, 'data', g, f), 'utf8'), { file: key });
      const points = decoded.values.map((s) => ({ t: s.t, v: s.v }));
      const windows = (labels[key] ?? []).map(([a, b]): [number, number] => {
        const ta = nabTime(a);
        const tb = nabTime(b);
        let i0 = points.findIndex((p) => p.t >= ta);
        if (i0 < 0) i0 = points.length - 1;
        let i1 = i0;
        while (i1 + 1 < points.length && points[i1 + 1]!.t <= tb) i1++;
        return [i0, i1];
      });
      out.push({ key, points, windows });
    }
  }
  return out;
}
