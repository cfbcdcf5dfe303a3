import { EpicenterError } from '../errors';

/**
 * Knobs of the robust trend-breakpoint detector. Every threshold is in robust units (multiples of
 * the series' own one-step residual scale σ) or in samples, so the defaults work unchanged for
 * 1 s … 1 h sampling and for any unit (fds, bytes, %, req/s).
 */
export interface DetectorOptions {
  /** Samples before the model is initialised; it then settles for as many more, so nothing alarms before 2·warmup samples. @default 16 */
  readonly warmup: number;
  /** Level smoothing of the local level+trend model, per sample. @default 0.1 */
  readonly alpha: number;
  /** Trend smoothing (fraction of alpha's update that goes to the slope), per sample. @default 0.05 */
  readonly beta: number;
  /** Smoothing of the robust scale σ, per sample (memory ≈ 1/scaleRate samples). @default 0.02 */
  readonly scaleRate: number;
  /** Huber clip for model updates, in σ: one outlier moves the model by at most alpha·huber·σ. @default 2.5 */
  readonly huber: number;
  /** CUSUM reference value k, in σ (half the smallest shift the trigger is tuned for). @default 0.5 */
  readonly cusumK: number;
  /** CUSUM alarm threshold h, in σ. The alarm only starts a confirmation; it never reports by itself. @default 5 */
  readonly cusumH: number;
  /** Per-sample clip of standardised residuals fed to the CUSUM, in σ (bounds one outlier's push). @default 4 */
  readonly cusumClip: number;
  /** Samples of the new regime needed to confirm a break (persistence: spikes shorter than about half of this never confirm). @default 8 */
  readonly minRun: number;
  /** Smallest change reported, in σ (level shift, or drift accumulated over the new regime for a slope change). @default 3 */
  readonly minMagnitude: number;
  /** Evidence needed to confirm: t-statistic of the change over the new-regime samples. @default 5 */
  readonly minEvidence: number;
  /** Horizon of the leak watch, samples: a quiet watch re-anchors on the current model this often. @default 256 */
  readonly driftHorizon: number;
  /** Ratio of new to old scale reported as variance_change (when the mean did not move). @default 3 */
  readonly varianceRatio: number;
  /** Scale floor relative to |level| (constant series: a real shift is still found, float noise is not). @default 1e-4 */
  readonly relativeFloor: number;
  /** Absolute scale floor, series units (for series sitting at 0). @default 1e-9 */
  readonly absoluteFloor: number;
  /** Learn and remove an hour-of-day profile (24 bins, UTC hours) once enough history exists. @default true */
  readonly seasonal: boolean;
  /** History needed before the daily profile is used, ms. @default 2 days */
  readonly seasonalAfterMs: number;
  /**
   * At the end of a short input (flush), add the cuts of a retrospective segmentation that the
   * streaming model missed (./retro.ts). The live pipeline never flushes, so it never sees them;
   * the correlator turns them off to rank on the same breakpoints the live pipeline stores. @default true
   */
  readonly retrospective: boolean;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = Object.freeze({
  warmup: 16,
  alpha: 0.1,
  beta: 0.01,
  scaleRate: 0.02,
  huber: 2.5,
  cusumK: 0.5,
  cusumH: 5,
  cusumClip: 4,
  minRun: 8,
  minMagnitude: 3,
  minEvidence: 5,
  driftHorizon: 256,
  varianceRatio: 3,
  relativeFloor: 1e-4,
  absoluteFloor: 1e-9,
  seasonal: true,
  seasonalAfterMs: 2 * 86_400_000,
  retrospective: true,
});

type NumericKey = { [K in keyof DetectorOptions]: DetectorOptions[K] extends number ? K : never }[keyof DetectorOptions];

/** [min, max] accepted for each numeric option; integers where the option counts samples. */
const RANGES: Readonly<Record<NumericKey, readonly [number, number, 'int' | 'real']>> = {
  warmup: [4, 10_000, 'int'],
  alpha: [1e-4, 1, 'real'],
  beta: [0, 1, 'real'],
  scaleRate: [1e-4, 1, 'real'],
  huber: [0.5, 100, 'real'],
  cusumK: [0, 10, 'real'],
  cusumH: [0.1, 1000, 'real'],
  cusumClip: [0.5, 1000, 'real'],
  minRun: [2, 24, 'int'],
  minMagnitude: [0, 1e6, 'real'],
  minEvidence: [0, 1e6, 'real'],
  driftHorizon: [16, 1_000_000, 'int'],
  varianceRatio: [1, 1e6, 'real'],
  relativeFloor: [0, 1, 'real'],
  absoluteFloor: [0, Number.MAX_VALUE, 'real'],
  seasonalAfterMs: [0, Number.MAX_SAFE_INTEGER, 'real'],
};

/** Merge with defaults and validate; throws EpicenterError BAD_CONFIG naming the offending key. */
export function resolveOptions(opts: Partial<DetectorOptions> = {}): DetectorOptions {
  const merged: DetectorOptions = { ...DEFAULT_DETECTOR_OPTIONS, ...stripUndefined(opts) };
  for (const [key, [min, max, kind]] of Object.entries(RANGES) as [NumericKey, readonly [number, number, string]][]) {
    const v = merged[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (kind === 'int' && !Number.isInteger(v))) {
      throw new EpicenterError('BAD_CONFIG', `detector option ${key} must be ${kind === 'int' ? 'an integer' : 'a number'} in [${min}, ${max}], got ${String(v)}`, {
        origin: { field: `detect.${key}` },
      });
    }
  }
  for (const key of ['seasonal', 'retrospective'] as const) {
    if (typeof merged[key] !== 'boolean') {
      throw new EpicenterError('BAD_CONFIG', `detector option ${key} must be a boolean`, { origin: { field: `detect.${key}` } });
    }
  }
  return Object.freeze(merged);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
