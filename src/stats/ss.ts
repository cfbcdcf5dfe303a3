/**
 * simple-statistics ships a CommonJS build but ESM-only type declarations, which a Node16/CommonJS
 * project cannot `import`. This one shim loads the CJS build, typed from the ESM declarations.
 */
import type * as SS from 'simple-statistics' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ss = require('simple-statistics') as typeof SS;

export const ssMedian: typeof SS.median = ss.median;
export const errorFunction: typeof SS.errorFunction = ss.errorFunction;
export const wilcoxonRankSum: typeof SS.wilcoxonRankSum = ss.wilcoxonRankSum;
