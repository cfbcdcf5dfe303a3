import type { BreakpointKind } from '../domain/types';
import { median, robustScale, theilSen } from '../stats';
import { DAY_MS, PhaseProfile } from './season';
import { calendarPeriod, PeriodFinder } from './period';
import { retrospect } from './retro';
import { Ring } from './ring';
import { type DetectorOptions } from './options';
import { judge, score, type Verdict } from './confirm';
import { DriftWatch, type DriftVerdict } from './drift';
import type { DetectedBreak, DetectorSnapshot, SeriesDetector } from './types';

const HOUR_MS = 3_600_000;
/** Coarsest sampling (with 10 % jitter) at which a daily wave is modelled: hourly. */
const DAILY_MAX_DT = 1.1 * HOUR_MS;
/** √(π/2): mean absolute deviation → σ for Gaussian noise. */
const ABS_TO_SIGMA = 1.2533141373155001;
/** Samples kept for locating a change. 32 slots × 16 bytes = 512 bytes, the largest part of the state. */
export const RING_SIZE = 32;
const NONE: DetectedBreak[] = Object.freeze([]) as unknown as DetectedBreak[];
/** Inputs up to this many samples get a retrospective segmentation when they end (flush). */
const SHORT_MAX = 384;
/** Sequence numbers of the first breaks reported, kept so the retrospective does not repeat them. */
const BREAKS_KEPT = 4;

/**
 * Robust streaming trend-breakpoint detector for one series.
 *
 * Model: local level + trend (Holt, per-sample gains, slope per ms from real timestamps) plus an
 * hour-of-day profile once ≥ seasonalAfterMs of history exists; updates use Huber-clipped residuals
 * so an outlier moves the model by at most alpha·huber·σ. σ = EWMA of clipped |residual| (×√(π/2)),
 * floored by relativeFloor·|level| and absoluteFloor.
 *
 * Trigger: two-sided CUSUM on clipped standardised residuals. When a side leaves zero, the model is
 * remembered (the anchor: the old regime, by the CUSUM's maximum-likelihood change time); an alarm
 * starts a confirmation, which never reports by itself. Confirmation (./confirm.ts) re-fits the
 * buffered residuals against the anchor with a max-likelihood split and reports only a change that
 * is large (minMagnitude σ), well supported (minEvidence) and persistent (minRun samples, most of
 * them on the new side): outliers and short spikes never confirm. After a confirmed break the
 * model is re-initialised on the new regime.
 */
export class RobustDetector implements SeriesDetector {
  private readonly ring = new Ring(RING_SIZE);
  private readonly season = new PhaseProfile();
  private readonly cycle = new PeriodFinder();
  private readonly drift = new DriftWatch();
  private n = 0;
  private t0 = NaN;
  private lastT = -Infinity;
  /** Typical sampling interval, ms (running median). */
  private dt = 0;
  private ready = false;
  private seasonOn = false;
  /** Samples since the model was (re)initialised: early EWMA gains are 1/k. */
  private k = 0;
  private level = 0;
  private tl = 0;
  /** Units per ms. */
  private slope = 0;
  private scale = 0;
  private sp = 0;
  private sn = 0;
  // Lag-1 autocorrelation of clipped standardised residuals: EWMAs of z·z₋₁ and z², and z₋₁.
  private zPrev = 0;
  private zz1 = 0;
  private zz0 = 0;
  /** Typical wander of the fast model's slope (EWMA of |slope − its mean|, and the mean), units per ms. */
  private slopeDev = 0;
  private slopeMean = 0;
  // Anchors: the model when each CUSUM side last left zero.
  private upL = 0;
  private upB = 0;
  private upT = 0;
  private upSeq = 0;
  private dnL = 0;
  private dnB = 0;
  private dnT = 0;
  private dnSeq = 0;
  /** 0 tracking, +1/−1 confirming an upward/downward alarm. */
  private pending = 0;
  private alarmSeq = 0;
  /** First sequence number of the current regime (splits never reach before it). */
  private regimeSeq = 0;
  private readonly breakSeqs = new Int32Array(BREAKS_KEPT);
  private breaks = 0;

  constructor(private readonly o: DetectorOptions) {}

  update(t: number, v: number): DetectedBreak[] {
    if (!Number.isFinite(t) || !Number.isFinite(v) || t <= this.lastT) return NONE;
    if (this.n > 0) {
      const d = t - this.lastT;
      this.dt = this.dt === 0 ? d : d > this.dt ? this.dt * 1.02 : this.dt * 0.98;
    } else this.t0 = t;
    this.lastT = t;
    this.n++;
    this.ring.push(t, v);
    if (this.cycle.update(v) && this.o.seasonal) this.newPeriod(t);
    if (!this.ready) {
      if (this.n >= this.o.warmup) this.init();
      return NONE;
    }
    const o = this.o;
    if (this.seasonal() && t - this.season.start >= (this.season.period === DAY_MS ? o.seasonalAfterMs : 2 * this.season.period)) this.checkSeason(t);
    const s = this.seasonOn ? this.season.offset(t) : 0;
    const r = v - (this.level + this.slope * (t - this.tl) + s);
    const sig = this.sigma();
    if (this.pending !== 0) {
      this.track(t, v, r, sig, false);
      return this.confirm(false);
    }
    if (this.n < 2 * o.warmup) {
      // second half of the warm-up: the model settles (EWMA gains 1/k), nothing alarms yet
      this.track(t, v, r, sig, true);
      return NONE;
    }
    const z = Math.max(-o.cusumClip, Math.min(o.cusumClip, r / sig));
    if (this.sp === 0 && z > o.cusumK) this.anchor(1);
    if (this.sn === 0 && -z > o.cusumK) this.anchor(-1);
    this.sp = Math.max(0, this.sp + z - o.cusumK);
    this.sn = Math.max(0, this.sn - z - o.cusumK);
    if (this.sp > o.cusumH || this.sn > o.cusumH) {
      this.pending = this.sp > o.cusumH ? 1 : -1;
      this.alarmSeq = this.ring.next - 1;
    }
    this.track(t, v, r, sig, this.pending === 0);
    if (this.pending !== 0) return this.confirm(false);
    const dv = this.drift.update(t, v, { season: s, sigma: sig, dt: this.dt, inflation: this.inflation(), seasonal: this.seasonal() }, o);
    if (dv !== undefined) return [this.restartDrift(dv)];
    // An anchor without a known slope is replaced after 8 runs, a known one every driftHorizon samples.
    const horizon = Number.isFinite(this.drift.slopeVar) ? o.driftHorizon : 8 * o.minRun;
    // (not while an alarm builds up, unless it has stayed unconfirmed for another horizon)
    if (this.drift.n >= 2 * horizon || (this.drift.n >= horizon && this.drift.quiet(o.cusumH))) this.drift.rearm(t, this.dt, sig, this.inflation(), this.levelRange());
    return NONE;
  }

  flush(): DetectedBreak[] {
    const out = this.pending === 0 ? NONE : this.confirm(true);
    const extra = this.o.retrospective && this.n <= SHORT_MAX ? this.retrospect(out) : NONE;
    return extra.length === 0 ? out : [...out, ...extra];
  }

  /** End of a short input: the retrospective segmentation (./retro.ts) adds what streaming missed. */
  private retrospect(streamed: readonly DetectedBreak[]): DetectedBreak[] {
    const h = this.cycle.history(this.n);
    if (h === undefined) return NONE;
    const seqs = Array.from(this.breakSeqs.subarray(0, Math.min(this.breaks, BREAKS_KEPT)));
    return retrospect(h, { n: this.n, t0: this.t0, lastT: this.lastT, ring: this.ring, seqs, streamed });
  }

  snapshot(): DetectorSnapshot {
    return {
      n: this.n,
      level: this.level + this.slope * (this.lastT - this.tl),
      slope: this.slope * HOUR_MS,
      scale: this.ready ? this.sigma() : 0,
      lastT: this.lastT,
      intervalMs: this.dt,
      pending: this.pending,
      seasonal: this.seasonOn,
      bytes: this.stateBytes(),
    };
  }

  /**
   * Payload bytes of the per-series state, counted structurally: 8 per number or flag, the typed
   * arrays' bytes, nested parts (ring, profile, leak watch) recursively; the shared, frozen
   * options count as one reference.
   */
  stateBytes(): number {
    return structuralBytes(this);
  }

  /**
   * A profile is learned when a period was found in the data, or (the daily default) when the
   * series is sampled at least hourly: a coarser series (daily, monthly data) cannot show a daily
   * wave, and the daily-wave guard would only hide its changes.
   */
  private seasonal(): boolean {
    return this.o.seasonal && (this.cycle.samples > 0 || this.dt <= DAILY_MAX_DT);
  }

  /**
   * The period finder found a period (or lost it): the profile starts over on it (a period within
   * 5 % of a day keeps the daily profile and what it learned). The model is put back in raw units.
   */
  private newPeriod(t: number): void {
    const p = this.cycle.samples > 0 ? calendarPeriod(this.cycle.samples * this.dt) : DAY_MS;
    const sameDay = this.season.period === DAY_MS && Math.abs(p - DAY_MS) < 0.05 * DAY_MS;
    if (sameDay || p === this.season.period) return;
    if (this.seasonOn) {
      this.level += this.season.offset(t);
      this.seasonOn = false;
      this.sp = 0;
      this.sn = 0;
    }
    this.season.reset(Math.abs(p - DAY_MS) < 0.05 * DAY_MS ? DAY_MS : p);
  }

  /**
   * Period of a wave the profile does not explain yet: the found one; with none found, the
   * shortest the finder could have missed so far (it sees periods up to 1/2.5 of the history), at
   * most a day.
   */
  private wavePeriod(): number {
    if (this.cycle.samples > 0 || this.seasonOn) return this.season.period;
    return Math.min(this.season.period, Math.max(1, (this.n * this.dt) / 1.5));
  }

  private inflation(): number {
    const rho = this.rho();
    return (1 + rho) / (1 - rho);
  }

  /** Range of the deseasonalised level over about a day (the current level when nothing is known). */
  private levelRange(): [number, number] {
    const [lo, hi] = this.season.range();
    return Number.isNaN(lo) ? [this.level, this.level] : [Math.min(lo, this.level), Math.max(hi, this.level)];
  }

  private waveAmplitude(): number {
    if (!this.seasonal()) return 0;
    // A found period whose profile is still being learned: the cycle's own amplitude (the
    // envelope of the level is blind to sharp edges, which the model restarts on)
    const a = Math.max(this.season.unexplainedAmplitude(), this.cycle.samples > 0 && !this.seasonOn ? this.cycle.amplitude + this.sigma() : 0);
    // Once the profile is used, or when guarding against a wave too long to have been found yet,
    // only what exceeds the ±σ the smoothed level of plain noise sweeps by itself counts (short
    // series keep their changes).
    // (A finely sampled series, ≥ 144 samples a period, keeps the whole envelope: its smoothed
    // level follows a wave closely, and its first cycles are long.)
    const fine = this.season.period / this.dt >= 144;
    return this.seasonOn || !fine || this.wavePeriod() < this.season.period ? Math.max(0, a - this.sigma()) : a;
  }

  /** Lag-1 autocorrelation of the residuals, clamped to [0, 0.8] (negative ρ is not rewarded). */
  private rho(): number {
    return this.zz0 > 0 ? Math.max(0, Math.min(0.8, this.zz1 / this.zz0)) : 0;
  }

  private sigma(): number {
    return this.sigmaFor(this.scale, this.level);
  }

  private sigmaFor(scale: number, level: number): number {
    return Math.max(scale, this.o.relativeFloor * Math.abs(level), this.o.absoluteFloor);
  }

  /** Model update with one sample (Huber-clipped); scale and profile learn only while tracking. */
  private track(t: number, v: number, r: number, sig: number, learn: boolean): void {
    const o = this.o;
    const c = o.huber * sig;
    const rc = Math.max(-c, Math.min(c, r));
    this.level += this.slope * (t - this.tl) + o.alpha * rc;
    this.tl = t;
    if (this.dt > 0) this.slope += (o.alpha * o.beta * rc) / this.dt;
    if (!learn) return;
    this.k++;
    const g = Math.max(o.scaleRate, 1 / this.k);
    this.scale += g * (Math.min(Math.abs(r), c) * ABS_TO_SIGMA - this.scale);
    const z = rc / sig;
    this.zz1 += g * (z * this.zPrev - this.zz1);
    this.zz0 += g * (z * z - this.zz0);
    this.zPrev = z;
    this.slopeMean += g * (this.slope - this.slopeMean);
    this.slopeDev += g * (Math.abs(this.slope - this.slopeMean) - this.slopeDev);
    if (this.seasonal()) this.season.learn(t, v, c, this.dt, this.level, this.seasonOn);
  }

  /**
   * Remember the old regime where a CUSUM side leaves zero. Its slope is the leak watch's
   * long-run slope when that is known (the fast model's slope bends early into a ramp).
   */
  private anchor(dir: 1 | -1): void {
    const seq = this.ring.next - 1;
    const slope = Number.isFinite(this.drift.slopeVar) ? this.drift.slope : this.slope;
    if (dir === 1) [this.upL, this.upB, this.upT, this.upSeq] = [this.level, slope, this.tl, seq];
    else [this.dnL, this.dnB, this.dnT, this.dnSeq] = [this.level, slope, this.tl, seq];
  }

  /** Robust line over the warm-up samples: Theil–Sen level/slope, MAD scale, median interval. */
  private init(): void {
    const ts: number[] = [];
    const vs: number[] = [];
    for (let q = this.ring.oldest; q < this.ring.next; q++) {
      ts.push(this.ring.timeAt(q) - this.lastT);
      vs.push(this.ring.valueAt(q));
    }
    const gaps = ts.slice(1).map((x, i) => x - ts[i]!);
    this.dt = median(gaps) ?? 1;
    let line = theilSen(ts, vs) ?? { slope: 0, intercept: median(vs) ?? 0 };
    const resid = vs.map((v, i) => v - line.intercept - line.slope * ts[i]!);
    this.scale = robustScale(resid) ?? 0;
    // A slope from a few samples is mostly noise: keep it only when it is clearly there (t ≥ 3).
    const tMean = ts.reduce((a, b) => a + b, 0) / ts.length;
    const spread = Math.sqrt(ts.reduce((a, b) => a + (b - tMean) ** 2, 0));
    if (Math.abs(line.slope) * spread < 3 * this.sigmaFor(this.scale, line.intercept)) line = { slope: 0, intercept: median(vs) ?? 0 };
    this.level = line.intercept;
    this.slope = line.slope;
    this.tl = this.lastT;
    this.k = ts.length;
    this.ready = true;
    this.drift.arm(this.level, this.slope, this.lastT, Infinity);
    this.regimeSeq = this.ring.oldest;
    // the profile's envelope follows the fitted line, not the samples: an outlier among the first
    // ones must not pass for a wave's amplitude
    const clip = this.o.huber * this.sigma();
    if (this.seasonal()) for (let i = 0; i < ts.length; i++) this.season.learn(ts[i]! + this.lastT, vs[i]!, clip, this.dt, this.level + this.slope * ts[i]!);
  }

  /**
   * Use the daily profile while it explains the level (it leaves < 50% of the variance around the
   * baseline; dropped again above 80%). Switching moves the level so the prediction does not jump.
   */
  private checkSeason(t: number): void {
    const share = this.season.unexplainedShare();
    const on = this.seasonOn ? share < 0.8 : share < 0.5;
    if (on === this.seasonOn) return;
    this.level += (on ? -1 : 1) * this.season.offset(t);
    this.seasonOn = on;
    this.sp = 0;
    this.sn = 0;
    // the leak watch's anchor level changes meaning too (its slope does not)
    this.drift.arm(this.level, Number.isFinite(this.drift.slopeVar) ? this.drift.slope : this.slope, t, this.drift.slopeVar, this.levelRange());
  }

  /** Run the confirmation; on a verdict, emit it and start the new regime. */
  private confirm(final: boolean): DetectedBreak[] {
    const up = this.pending === 1;
    const model = up ? { L: this.upL, B: this.upB, T: this.upT, seq: this.upSeq } : { L: this.dnL, B: this.dnB, T: this.dnT, seq: this.dnSeq };
    const ctx = {
      ring: this.ring,
      from: Math.max(this.regimeSeq, this.ring.oldest),
      cusumSeq: model.seq,
      alarmSeq: this.alarmSeq,
      dt: this.dt,
      sigma: this.sigma(),
      predict: (t: number) => model.L + model.B * (t - model.T) + (this.seasonOn ? this.season.offset(t) : 0),
      inflation: this.inflation(),
      waveAmplitude: this.waveAmplitude(),
      wavePeriod: this.wavePeriod(),
      slopeScale: ABS_TO_SIGMA * this.slopeDev * this.dt,
      regimeAge: this.ring.next - this.regimeSeq,
    };
    const verdict = judge(ctx, this.o, final);
    if (verdict === 'wait' || verdict === 'over') {
      // keep waiting while the buffer still holds the start of the excursion (a ramp needs time)
      if (!final && verdict === 'wait' && this.ring.next - 1 - this.alarmSeq < RING_SIZE - this.o.minRun) return NONE;
      this.cancel();
      return NONE;
    }
    return [this.restart(verdict, model)];
  }

  private noteBreak(seq: number): void {
    if (this.breaks < BREAKS_KEPT) this.breakSeqs[this.breaks] = seq;
    this.breaks++;
  }

  private cancel(): void {
    this.pending = 0;
    this.sp = 0;
    this.sn = 0;
  }

  /** A slow slope change confirmed by the leak watch: report it and start the new regime. */
  private restartDrift(d: DriftVerdict): DetectedBreak {
    const now = this.lastT;
    const newSlope = d.oldSlope + d.slopeChange;
    this.level = d.level + d.oldSlope * (now - d.onset) + d.endShift;
    this.slope = newSlope;
    this.tl = now;
    let seq = this.ring.oldest;
    while (seq < this.ring.next - 1 && this.ring.timeAt(seq) < d.onset) seq++;
    // the reported time is a sample's when the onset is still buffered
    const time = seq > this.ring.oldest ? this.ring.timeAt(seq) : d.onset;
    this.regimeSeq = seq;
    this.noteBreak(seq);
    this.cancel();
    this.drift.arm(this.level, this.slope, now, Infinity);
    return {
      time,
      detectedAt: now,
      kind: 'slope_change',
      before: { level: d.level, slope: d.oldSlope * HOUR_MS },
      after: { level: d.level, slope: newSlope * HOUR_MS },
      magnitude: d.magnitude,
      confidence: score(d.evidence, 1, d.magnitude / this.o.minMagnitude),
    };
  }

  private restart(v: Verdict, old: { L: number; B: number; T: number }): DetectedBreak {
    const tj = this.ring.timeAt(v.seq);
    const beforeLevel = old.L + old.B * (tj - old.T) + v.m;
    const newSlope = old.B + v.slopePerMs;
    this.level = old.L + old.B * (this.lastT - old.T) + v.m + v.endShift;
    this.slope = newSlope;
    this.tl = this.lastT;
    this.scale = Math.max(this.scale, v.afterScale);
    this.k = Math.max(this.o.minRun, this.ring.next - v.seq);
    // While a found period is still being learned, its own edges confirm as steps; moving the
    // baseline with them would leave the profile nothing to learn.
    if (this.seasonOn || this.cycle.samples === 0) this.season.shift(v.jump);
    this.regimeSeq = v.seq;
    this.noteBreak(v.seq);
    this.cancel();
    // A level shift keeps the trend: the watch keeps its long-run slope (and trust). A new slope
    // from a short window is not trusted until a horizon has confirmed it.
    const range: [number, number] = [this.level, this.level]; // a new regime: the old range says nothing
    if (v.slopePerMs === 0) this.drift.arm(this.level, Number.isFinite(this.drift.slopeVar) ? this.drift.slope : this.slope, this.lastT, this.drift.slopeVar, range);
    else this.drift.arm(this.level, this.slope, this.lastT, Infinity, range);
    const kind: BreakpointKind = v.kind;
    return {
      time: tj,
      detectedAt: this.lastT,
      kind,
      before: { level: beforeLevel, slope: old.B * HOUR_MS },
      after: { level: beforeLevel + v.jump, slope: newSlope * HOUR_MS },
      magnitude: v.magnitude,
      confidence: v.confidence,
    };
  }
}

function structuralBytes(o: object): number {
  let bytes = 0;
  for (const v of Object.values(o)) {
    if (typeof v === 'number' || typeof v === 'boolean') bytes += 8;
    else if (ArrayBuffer.isView(v)) bytes += v.byteLength;
    else if (typeof v === 'object' && v !== null) bytes += Object.isFrozen(v) ? 8 : structuralBytes(v as object);
  }
  return bytes;
}
