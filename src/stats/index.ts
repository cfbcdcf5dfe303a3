/** Numeric helpers for the pure core: small, total functions (explicit empty / single / constant cases). */
export { median } from './median';
export { robustScale, MAD_TO_SIGMA } from './robustScale';
export { diffScale } from './diffScale';
export { theilSen, type Line } from './theilSen';
export { normalCdf } from './normalCdf';
export { mannWhitneyU } from './mannWhitney';
export { mannKendall } from './mannKendall';
