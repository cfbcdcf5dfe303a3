import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EpicenterError } from '../errors';
import type { ChartAssets } from './html';

let cached: ChartAssets | undefined;

/**
 * Read the Chart.js 4 and chartjs-plugin-annotation UMD builds from node_modules (once; cached),
 * for inlining into the HTML timeline. Their package `exports` hide `dist/`, so the files are
 * found next to each package's resolvable main entry.
 */
export function loadChartAssets(): ChartAssets {
  if (cached !== undefined) return cached;
  const read = (pkg: string, file: string): string => {
    let path = '';
    try {
      path = join(dirname(require.resolve(pkg)), file);
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new EpicenterError('INTERNAL', `timeline: cannot read ${pkg} asset ${path === '' ? file : path}: ${(e as Error).message}`, { cause: e });
    }
  };
  cached = {
    chartJs: read('chart.js', 'chart.umd.min.js'),
    annotationPlugin: read('chartjs-plugin-annotation', 'chartjs-plugin-annotation.min.js'),
  };
  return cached;
}
