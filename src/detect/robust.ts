import type { BreakpointKind } from '../domain/types';
import { median, robustScale, theilSen } from '../stats';
import { DAY_MS } from './season';
import { calendarPeriod } from './period';
import { retrospect } from './retro';
import { RING_SIZE } from './ring';
import { EpicenterError } from '../errors';
import { Chunk, slotDefaults, slotOf } from './slab';
import { LAYOUT, OWN_SLOT, Parts, SLAB, SLOT_BYTES } from './state';
import { type DetectorOptions } from './options';
import { judge, score, type Verdict } from './confirm';
import type { DriftContext, DriftVerdict } from './drift';
import type { DetectedBreak, DetectorSnapshot, SeriesDetector } from './types';

const HOUR_MS = 3_600_000;
/** Coarsest sampling (with 10 % jitter) at which a daily wave is modelled: hourly. */
const DAILY_MAX_DT = 1.1 * HOUR_MS;
/** √(π/2): mean absolute deviation → σ for Gaussian noise. */
const ABS_TO_SIGMA = 1.2533141373155001;
export { RING_SIZE };
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
  // The state lives in a slot of the shared slab (./state.ts): `p` holds the chunk's views, its
  // indices at this slot's own fields (float64 from b, uint32 from e, uint8 from d) and the ring,
  // profile, period finder and leak watch (pointed at this slot on every call). The object keeps
  // only that, the options and the slot's id: it is most of what a series costs on the heap.
  private p: Parts;
  /** The slot's id in its slab; -1 once released (and for a cursor not aimed yet). */
  private id: number;
  private get t0(): number { return this.p.f[this.p.b + F.t0]!; }
  private set t0(x: number) { this.p.f[this.p.b + F.t0] = x; }
  private get lastT(): number { return this.p.f[this.p.b + F.lastT]!; }
  private set lastT(x: number) { this.p.f[this.p.b + F.lastT] = x; }
  /** Typical sampling interval, ms (running median). */
  private get dt(): number { return this.p.f[this.p.b + F.dt]!; }
  private set dt(x: number) { this.p.f[this.p.b + F.dt] = x; }
  private get level(): number { return this.p.f[this.p.b + F.level]!; }
  private set level(x: number) { this.p.f[this.p.b + F.level] = x; }
  /** Units per ms. */
  private get slope(): number { return this.p.f[this.p.b + F.slope]!; }
  private set slope(x: number) { this.p.f[this.p.b + F.slope] = x; }
  private get scale(): number { return this.p.f[this.p.b + F.scale]!; }
  private set scale(x: number) { this.p.f[this.p.b + F.scale] = x; }
  private get sp(): number { return this.p.f[this.p.b + F.sp]!; }
  private set sp(x: number) { this.p.f[this.p.b + F.sp] = x; }
  private get sn(): number { return this.p.f[this.p.b + F.sn]!; }
  private set sn(x: number) { this.p.f[this.p.b + F.sn] = x; }
  // Lag-1 autocorrelation of clipped standardised residuals: EWMAs of z·z₋₁ and z², and z₋₁ (float32).
  private get zPrev(): number { return this.p.g[this.p.c + G.zPrev]!; }
  private set zPrev(x: number) { this.p.g[this.p.c + G.zPrev] = x; }
  private get zz1(): number { return this.p.g[this.p.c + G.zz1]!; }
  private set zz1(x: number) { this.p.g[this.p.c + G.zz1] = x; }
  private get zz0(): number { return this.p.g[this.p.c + G.zz0]!; }
  private set zz0(x: number) { this.p.g[this.p.c + G.zz0] = x; }
  /** Typical wander of the fast model's slope (EWMA of |slope − its mean|, and the mean), units per ms. */
  private get slopeDev(): number { return this.p.g[this.p.c + G.slopeDev]!; }
  private set slopeDev(x: number) { this.p.g[this.p.c + G.slopeDev] = x; }
  private get slopeMean(): number { return this.p.g[this.p.c + G.slopeMean]!; }
  private set slopeMean(x: number) { this.p.g[this.p.c + G.slopeMean] = x; }
  // Anchors: the model when each CUSUM side last left zero (the slopes float32: over the
  // confirmation's window they move the old line by ~1e-7 of its trend's rise).
  private get upL(): number { return this.p.f[this.p.b + F.upL]!; }
  private set upL(x: number) { this.p.f[this.p.b + F.upL] = x; }
  private get upB(): number { return this.p.g[this.p.c + G.upB]!; }
  private set upB(x: number) { this.p.g[this.p.c + G.upB] = x; }
  private get upT(): number { return this.p.f[this.p.b + F.upT]!; }
  private set upT(x: number) { this.p.f[this.p.b + F.upT] = x; }
  private get dnL(): number { return this.p.f[this.p.b + F.dnL]!; }
  private set dnL(x: number) { this.p.f[this.p.b + F.dnL] = x; }
  private get dnB(): number { return this.p.g[this.p.c + G.dnB]!; }
  private set dnB(x: number) { this.p.g[this.p.c + G.dnB] = x; }
  private get dnT(): number { return this.p.f[this.p.b + F.dnT]!; }
  private set dnT(x: number) { this.p.f[this.p.b + F.dnT] = x; }
  /** Samples taken: the ring's next sequence number (both count every accepted sample). */
  private get n(): number { return this.p.ring.next; }
  /** Samples since the model was (re)initialised: early EWMA gains are 1/k. */
  private get k(): number { return this.p.h[this.p.s + H.k]!; }
  private set k(x: number) { this.p.h[this.p.s + H.k] = Math.min(x, K_MAX); }
  private get upSeq(): number { return this.p.w[this.p.e + N.upSeq]!; }
  private set upSeq(x: number) { this.p.w[this.p.e + N.upSeq] = x; }
  private get dnSeq(): number { return this.p.w[this.p.e + N.dnSeq]!; }
  private set dnSeq(x: number) { this.p.w[this.p.e + N.dnSeq] = x; }
  /**
   * Sample that raised the pending alarm, kept as its sequence number's low byte (uint8): it is
   * read only while the alarm is pending, which ends before the ring has moved RING_SIZE past it.
   * (The flags below share one byte, U.flags: see SEASON_ON.)
   */
  private get alarmSeq(): number { const last = this.p.ring.next - 1; return last - ((last - this.p.u[this.p.d + U.alarm]!) & 0xff); }
  private set alarmSeq(x: number) { this.p.u[this.p.d + U.alarm] = x & 0xff; }
  /** First sequence number of the current regime (splits never reach before it). */
  private get regimeSeq(): number { return this.p.w[this.p.e + N.regimeSeq]!; }
  private set regimeSeq(x: number) { this.p.w[this.p.e + N.regimeSeq] = x; }
  /**
   * Breaks confirmed, stopping at BREAKS_KEPT (only whether it reached that counts); their first
   * BREAKS_KEPT sequence numbers are int16 (H.seqs).
   */
  private get breaks(): number { return this.p.u[this.p.d + U.flags]! >> BREAKS_SHIFT; }
  private set breaks(x: number) { const at = this.p.d + U.flags; this.p.u[at] = (this.p.u[at]! & ~BREAKS) | (Math.min(x, BREAKS_KEPT) << BREAKS_SHIFT); }
  /** The model is initialised (init runs at the warmup-th sample). */
  private get ready(): boolean { return this.n >= this.o.warmup; }
  private get seasonOn(): boolean { return (this.p.u[this.p.d + U.flags]! & SEASON_ON) !== 0; }
  private set seasonOn(x: boolean) { const at = this.p.d + U.flags; this.p.u[at] = (this.p.u[at]! & ~SEASON_ON) | (x ? SEASON_ON : 0); }
  /** 0 tracking, +1/−1 confirming an upward/downward alarm (stored as 0, 1, 2). */
  private get pending(): number { const x = (this.p.u[this.p.d + U.flags]! & PENDING) >> PENDING_SHIFT; return x === 2 ? -1 : x; }
  private set pending(x: number) { const at = this.p.d + U.flags; this.p.u[at] = (this.p.u[at]! & ~PENDING) | ((x < 0 ? 2 : x) << PENDING_SHIFT); }

  /**
   * `held`: how the slot goes back (see Held); a cursor gets no slot of its own but is aimed at
   * a pool's slots one call at a time (./pool.ts).
   */
  constructor(private readonly o: DetectorOptions, held: Held.collected | Held.released | Held.cursor = Held.collected) {
    if (held === Held.cursor) {
      this.p = NOWHERE;
      this.id = -1;
      return;
    }
    const s = SLAB.alloc(held === Held.collected ? this : null);
    this.p = s.views.point(s.slot);
    this.id = s.id;
    this.reset(held);
  }

  /** Point this detector at slot `id` with the chunk's parts `p` (a pool's cursor, per call). */
  aim(p: Parts, id: number): this {
    this.p = p;
    this.id = id;
    return this;
  }

  /** A new series in the current slot. */
  reset(held: Held.collected | Held.released): void {
    const { f, g, w, h, u, b, c, e, s, d } = this.p.point(slotOf(this.id));
    f.set(OWN_DEFAULTS, b);
    g.fill(0, c, c + OWN_SLOT.f32);
    w.fill(0, e, e + OWN_SLOT.u32);
    h.fill(0, s, s + OWN_SLOT.i16);
    u.fill(0, d, d + OWN_SLOT.u8);
    u[d + U.flags] = held << HELD_SHIFT;
    this.p.clear();
  }

  /**
   * Done with this detector: it throws if used again. A slot taken without the registry (batch
   * mode) is free at once; a registry's goes back when this object is collected (it holds no
   * unregister token, see ./slab.ts).
   */
  release(): void {
    const id = this.id;
    if (this.retire()) SLAB.release(id);
  }

  /** Mark the slot free and this detector unusable; whether the slot is its holder's to free now. */
  retire(): boolean {
    const p = this.at();
    const flags = p.u[p.d + U.flags]!;
    const explicit = heldOf(flags) === Held.released;
    p.u[p.d + U.flags] = (flags & ~HELD) | (Held.free << HELD_SHIFT);
    this.id = -1;
    return explicit;
  }

  /** The parts pointed at this detector's slot; throws on a released detector. */
  private at(): Parts {
    const id = this.id;
    if (id < 0) throw released();
    const p = this.p.point(slotOf(id));
    if (heldOf(p.u[p.d + U.flags]!) === Held.free) throw released();
    return p;
  }

  update(t: number, v: number): DetectedBreak[] {
    // (the per-sample path works on the slot's views and indices directly, see ./slab.ts)
    const p = this.at();
    const { f, u, b, d } = p;
    const lastT = f[b + F.lastT]!;
    if (!Number.isFinite(t) || !Number.isFinite(v) || t <= lastT) return NONE;
    const n = p.ring.next + 1;
    if (n > 1) {
      const gap = t - lastT;
      const dt = f[b + F.dt]!;
      f[b + F.dt] = dt === 0 ? gap : gap > dt ? dt * 1.02 : dt * 0.98;
    } else f[b + F.t0] = t;
    f[b + F.lastT] = t;
    p.ring.push(t, v);
    const o = this.o;
    if (p.cycle.update(v) && o.seasonal) this.newPeriod(t);
    if (n <= o.warmup) {
      if (n === o.warmup) this.init();
      return NONE;
    }
    const { season, drift } = p;
    // (fixed for this sample from here on: the period and the interval are updated above)
    const seasonal = this.seasonal();
    if (seasonal && t - season.start >= (season.period === DAY_MS ? o.seasonalAfterMs : 2 * season.period)) this.checkSeason(t);
    const s = (u[d + U.flags]! & SEASON_ON) !== 0 ? season.offset(t) : 0;
    // (the level is the model's at the previous sample, lastT: every update of a ready model ends in track)
    const r = v - (f[b + F.level]! + f[b + F.slope]! * (t - lastT) + s);
    const sig = this.sigma();
    if ((u[d + U.flags]! & PENDING) !== 0) {
      this.track(t, lastT, v, r, sig, false, seasonal);
      return this.confirm(false);
    }
    if (n < 2 * o.warmup) {
      // second half of the warm-up: the model settles (EWMA gains 1/k), nothing alarms yet
      this.track(t, lastT, v, r, sig, true, seasonal);
      return NONE;
    }
    const z = Math.max(-o.cusumClip, Math.min(o.cusumClip, r / sig));
    if (f[b + F.sp] === 0 && z > o.cusumK) this.anchor(1, lastT);
    if (f[b + F.sn] === 0 && -z > o.cusumK) this.anchor(-1, lastT);
    const sp = Math.max(0, f[b + F.sp]! + z - o.cusumK);
    const sn = Math.max(0, f[b + F.sn]! - z - o.cusumK);
    f[b + F.sp] = sp;
    f[b + F.sn] = sn;
    if (sp > o.cusumH || sn > o.cusumH) {
      this.pending = sp > o.cusumH ? 1 : -1;
      this.alarmSeq = p.ring.next - 1;
    }
    this.track(t, lastT, v, r, sig, (u[d + U.flags]! & PENDING) === 0, seasonal);
    if ((u[d + U.flags]! & PENDING) !== 0) return this.confirm(false);
    const inflation = this.inflation();
    CTX.season = s;
    CTX.sigma = sig;
    CTX.dt = this.dt;
    CTX.inflation = inflation;
    CTX.seasonal = seasonal;
    const dv = drift.update(t, v, CTX, o);
    if (dv !== undefined) return [this.restartDrift(dv)];
    // An anchor without a known slope is replaced after 8 runs, a known one every driftHorizon samples.
    const horizon = Number.isFinite(drift.slopeVar) ? o.driftHorizon : 8 * o.minRun;
    // (not while an alarm builds up, unless it has stayed unconfirmed for another horizon)
    if (drift.n >= 2 * horizon || (drift.n >= horizon && drift.quiet(o.cusumH))) drift.rearm(t, this.dt, sig, inflation, this.levelRange());
    return NONE;
  }

  flush(): DetectedBreak[] {
    this.at();
    const out = this.pending === 0 ? NONE : this.confirm(true);
    const extra = this.o.retrospective && this.n <= SHORT_MAX ? this.retrospect(out) : NONE;
    return extra.length === 0 ? out : [...out, ...extra];
  }

  /** End of a short input: the retrospective segmentation (./retro.ts) adds what streaming missed. */
  private retrospect(streamed: readonly DetectedBreak[]): DetectedBreak[] {
    const h = this.p.cycle.history(this.n);
    if (h === undefined) return NONE;
    const at = this.p.s + H.seqs;
    const seqs = Array.from(this.p.h.subarray(at, at + Math.min(this.breaks, BREAKS_KEPT)));
    return retrospect(h, { n: this.n, t0: this.t0, lastT: this.lastT, ring: this.p.ring, seqs, streamed });
  }

  snapshot(): DetectorSnapshot {
    this.at();
    return {
      n: this.n,
      level: this.level,
      slope: this.slope * HOUR_MS,
      scale: this.ready ? this.sigma() : 0,
      lastT: this.lastT,
      intervalMs: this.dt,
      pending: this.pending,
      seasonal: this.seasonOn,
      bytes: this.stateBytes(),
    };
  }

  /** Payload bytes of the per-series state: its slot in the slab (./state.ts). */
  stateBytes(): number {
    return SLOT_BYTES;
  }

  /**
   * A profile is learned when a period was found in the data, or (the daily default) when the
   * series is sampled at least hourly: a coarser series (daily, monthly data) cannot show a daily
   * wave, and the daily-wave guard would only hide its changes.
   */
  private seasonal(): boolean {
    return this.o.seasonal && (this.p.cycle.samples > 0 || this.p.f[this.p.b + F.dt]! <= DAILY_MAX_DT);
  }

  /**
   * The period finder found a period (or lost it): the profile starts over on it (a period within
   * 5 % of a day keeps the daily profile and what it learned). The model is put back in raw units.
   */
  private newPeriod(t: number): void {
    const p = this.p.cycle.samples > 0 ? calendarPeriod(this.p.cycle.samples * this.dt) : DAY_MS;
    const sameDay = this.p.season.period === DAY_MS && Math.abs(p - DAY_MS) < 0.05 * DAY_MS;
    if (sameDay || p === this.p.season.period) return;
    if (this.seasonOn) {
      this.level += this.p.season.offset(t);
      this.seasonOn = false;
      this.sp = 0;
      this.sn = 0;
    }
    this.p.season.reset(Math.abs(p - DAY_MS) < 0.05 * DAY_MS ? DAY_MS : p);
  }

  /**
   * Period of a wave the profile does not explain yet: the found one; with none found, the
   * shortest the finder could have missed so far (it sees periods up to 1/2.5 of the history), at
   * most a day.
   */
  private wavePeriod(): number {
    if (this.p.cycle.samples > 0 || this.seasonOn) return this.p.season.period;
    return Math.min(this.p.season.period, Math.max(1, (this.n * this.dt) / 1.5));
  }

  private inflation(): number {
    // lag-1 autocorrelation of the residuals, clamped to [0, 0.8] (negative ρ is not rewarded)
    const { g, c } = this.p;
    const zz0 = g[c + G.zz0]!;
    const rho = zz0 > 0 ? Math.max(0, Math.min(0.8, g[c + G.zz1]! / zz0)) : 0;
    return (1 + rho) / (1 - rho);
  }

  /** Range of the deseasonalised level over about a day (the current level when nothing is known). */
  private levelRange(): [number, number] {
    const [lo, hi] = this.p.season.range();
    return Number.isNaN(lo) ? [this.level, this.level] : [Math.min(lo, this.level), Math.max(hi, this.level)];
  }

  private waveAmplitude(): number {
    if (!this.seasonal()) return 0;
    // A found period whose profile is still being learned: the cycle's own amplitude (the
    // envelope of the level is blind to sharp edges, which the model restarts on)
    const a = Math.max(this.p.season.unexplainedAmplitude(), this.p.cycle.samples > 0 && !this.seasonOn ? this.p.cycle.amplitude + this.sigma() : 0);
    // Once the profile is used, or when guarding against a wave too long to have been found yet,
    // only what exceeds the ±σ the smoothed level of plain noise sweeps by itself counts (short
    // series keep their changes).
    // (A finely sampled series, ≥ 144 samples a period, keeps the whole envelope: its smoothed
    // level follows a wave closely, and its first cycles are long.)
    const fine = this.p.season.period / this.dt >= 144;
    return this.seasonOn || !fine || this.wavePeriod() < this.p.season.period ? Math.max(0, a - this.sigma()) : a;
  }

  private sigma(): number {
    const o = this.o;
    const { f, b } = this.p;
    return Math.max(f[b + F.scale]!, o.relativeFloor * Math.abs(f[b + F.level]!), o.absoluteFloor);
  }

  private sigmaFor(scale: number, level: number): number {
    return Math.max(scale, this.o.relativeFloor * Math.abs(level), this.o.absoluteFloor);
  }

  /**
   * Model update with one sample (Huber-clipped); scale and profile learn only while tracking.
   * The level is the model's at the previous sample, `prevT` (no time of its own is kept: every
   * update of a ready model ends here, so it was always the last sample's).
   * The hottest code: it works on locals read from the slot once and written back (through the
   * accessors, V8 stops inlining the helpers around it; see ./slab.ts).
   */
  private track(t: number, prevT: number, v: number, r: number, sig: number, learn: boolean, seasonal: boolean): void {
    const { o } = this;
    const { f, h, u, b, s, d } = this.p;
    const c = o.huber * sig;
    const rc = Math.max(-c, Math.min(c, r));
    const dt = f[b + F.dt]!;
    let slope = f[b + F.slope]!;
    const level = f[b + F.level]! + (slope * (t - prevT) + o.alpha * rc);
    f[b + F.level] = level;
    if (dt > 0) f[b + F.slope] = slope += (o.alpha * o.beta * rc) / dt;
    if (!learn) return;
    const k = Math.min(h[s + H.k]! + 1, K_MAX);
    h[s + H.k] = k;
    const g = Math.max(o.scaleRate, 1 / k);
    const scale = f[b + F.scale]!;
    f[b + F.scale] = scale + g * (Math.min(Math.abs(r), c) * ABS_TO_SIGMA - scale);
    const z = rc / sig;
    const { g: g32, c: at } = this.p;
    const zz1 = g32[at + G.zz1]!;
    const zz0 = g32[at + G.zz0]!;
    g32[at + G.zz1] = zz1 + g * (z * g32[at + G.zPrev]! - zz1);
    g32[at + G.zz0] = zz0 + g * (z * z - zz0);
    g32[at + G.zPrev] = z;
    const slopeMean = g32[at + G.slopeMean]! + g * (slope - g32[at + G.slopeMean]!);
    g32[at + G.slopeMean] = slopeMean;
    const slopeDev = g32[at + G.slopeDev]!;
    g32[at + G.slopeDev] = slopeDev + g * (Math.abs(slope - slopeMean) - slopeDev);
    if (seasonal) this.p.season.learn(t, v, c, dt, level, (u[d + U.flags]! & SEASON_ON) !== 0);
  }

  /**
   * Remember the old regime where a CUSUM side leaves zero. Its slope is the leak watch's
   * long-run slope when that is known (the fast model's slope bends early into a ramp). The model
   * is that of the previous sample, at `prevT`.
   */
  private anchor(dir: 1 | -1, prevT: number): void {
    const seq = this.p.ring.next - 1;
    const slope = Number.isFinite(this.p.drift.slopeVar) ? this.p.drift.slope : this.slope;
    // (one store per field: destructuring into the slot's accessors built an array and ran its iterator)
    if (dir === 1) {
      this.upL = this.level;
      this.upB = slope;
      this.upT = prevT;
      this.upSeq = seq;
    } else {
      this.dnL = this.level;
      this.dnB = slope;
      this.dnT = prevT;
      this.dnSeq = seq;
    }
  }

  /** Robust line over the warm-up samples: Theil–Sen level/slope, MAD scale, median interval. */
  private init(): void {
    const ts: number[] = [];
    const vs: number[] = [];
    for (let q = this.p.ring.oldest; q < this.p.ring.next; q++) {
      ts.push(this.p.ring.timeAt(q) - this.lastT);
      vs.push(this.p.ring.valueAt(q));
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
    this.k = ts.length;
    this.p.drift.arm(this.level, this.slope, this.lastT, Infinity);
    this.regimeSeq = this.p.ring.oldest;
    // the profile's envelope follows the fitted line, not the samples: an outlier among the first
    // ones must not pass for a wave's amplitude
    const clip = this.o.huber * this.sigma();
    if (this.seasonal()) for (let i = 0; i < ts.length; i++) this.p.season.learn(ts[i]! + this.lastT, vs[i]!, clip, this.dt, this.level + this.slope * ts[i]!);
  }

  /**
   * Use the daily profile while it explains the level (it leaves < 50% of the variance around the
   * baseline; dropped again above 80%). Switching moves the level so the prediction does not jump.
   */
  private checkSeason(t: number): void {
    const share = this.p.season.unexplainedShare();
    const on = this.seasonOn ? share < 0.8 : share < 0.5;
    if (on === this.seasonOn) return;
    this.level += (on ? -1 : 1) * this.p.season.offset(t);
    this.seasonOn = on;
    this.sp = 0;
    this.sn = 0;
    // the leak watch's anchor level changes meaning too (its slope does not)
    this.p.drift.arm(this.level, Number.isFinite(this.p.drift.slopeVar) ? this.p.drift.slope : this.slope, t, this.p.drift.slopeVar, this.levelRange());
  }

  /** Run the confirmation; on a verdict, emit it and start the new regime. */
  private confirm(final: boolean): DetectedBreak[] {
    const up = this.pending === 1;
    const model = up ? { L: this.upL, B: this.upB, T: this.upT, seq: this.upSeq } : { L: this.dnL, B: this.dnB, T: this.dnT, seq: this.dnSeq };
    const ctx = {
      ring: this.p.ring,
      from: Math.max(this.regimeSeq, this.p.ring.oldest),
      cusumSeq: model.seq,
      alarmSeq: this.alarmSeq,
      dt: this.dt,
      sigma: this.sigma(),
      predict: (t: number) => model.L + model.B * (t - model.T) + (this.seasonOn ? this.p.season.offset(t) : 0),
      inflation: this.inflation(),
      waveAmplitude: this.waveAmplitude(),
      wavePeriod: this.wavePeriod(),
      slopeScale: ABS_TO_SIGMA * this.slopeDev * this.dt,
      regimeAge: this.p.ring.next - this.regimeSeq,
    };
    const verdict = judge(ctx, this.o, final);
    if (verdict === 'wait' || verdict === 'over') {
      // keep waiting while the buffer still holds the start of the excursion (a ramp needs time)
      if (!final && verdict === 'wait' && this.p.ring.next - 1 - this.alarmSeq < RING_SIZE - this.o.minRun) return NONE;
      this.cancel();
      return NONE;
    }
    return [this.restart(verdict, model)];
  }

  private noteBreak(seq: number): void {
    // (kept for the retrospective, which runs on inputs of up to SHORT_MAX samples only)
    if (this.breaks < BREAKS_KEPT) this.p.h[this.p.s + H.seqs + this.breaks] = Math.min(seq, K_MAX);
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
    let seq = this.p.ring.oldest;
    while (seq < this.p.ring.next - 1 && this.p.ring.timeAt(seq) < d.onset) seq++;
    // the reported time is a sample's when the onset is still buffered
    const time = seq > this.p.ring.oldest ? this.p.ring.timeAt(seq) : d.onset;
    this.regimeSeq = seq;
    this.noteBreak(seq);
    this.cancel();
    this.p.drift.arm(this.level, this.slope, now, Infinity);
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
    const tj = this.p.ring.timeAt(v.seq);
    const beforeLevel = old.L + old.B * (tj - old.T) + v.m;
    const newSlope = old.B + v.slopePerMs;
    this.level = old.L + old.B * (this.lastT - old.T) + v.m + v.endShift;
    this.slope = newSlope;
    this.scale = Math.max(this.scale, v.afterScale);
    this.k = Math.max(this.o.minRun, this.p.ring.next - v.seq);
    // While a found period is still being learned, its own edges confirm as steps; moving the
    // baseline with them would leave the profile nothing to learn.
    if (this.seasonOn || this.p.cycle.samples === 0) this.p.season.shift(v.jump);
    this.regimeSeq = v.seq;
    this.noteBreak(v.seq);
    this.cancel();
    // A level shift keeps the trend: the watch keeps its long-run slope (and trust). A new slope
    // from a short window is not trusted until a horizon has confirmed it.
    const range: [number, number] = [this.level, this.level]; // a new regime: the old range says nothing
    if (v.slopePerMs === 0) this.p.drift.arm(this.level, Number.isFinite(this.p.drift.slopeVar) ? this.p.drift.slope : this.slope, this.lastT, this.p.drift.slopeVar, range);
    else this.p.drift.arm(this.level, this.slope, this.lastT, Infinity, range);
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

/** The leak watch's context, filled in per sample (one object for all: no allocation per sample). */
const CTX: { -readonly [K in keyof DriftContext]: DriftContext[K] } = { season: 0, sigma: 0, dt: 0, inflation: 0, seasonal: false };

/** Slot positions of the own fields: float64 (F, the order of OWN_DEFAULTS), float32 (G), uint32 (N), int16 (H), uint8 (U). */
const enum F {
  t0, lastT, dt, level, slope, scale, sp, sn, upL, upT, dnL, dnT,
}
/**
 * float32: the typical wander of the fast model's slope (only scales the confirmation's slope
 * test) and the residuals' lag-1 autocorrelation (only gives the variance inflation, clamped).
 * Every other statistic stays float64 (as float32, the scale and the CUSUM sums moved detections
 * on real data).
 */
const enum G {
  slopeDev, slopeMean, zPrev, zz1, zz0, upB, dnB,
}
const enum N {
  upSeq, dnSeq, regimeSeq,
}
/** int16: the samples since the model was (re)initialised, and the first BREAKS_KEPT breaks' sequence numbers. */
const enum H {
  k, seqs,
}
/** uint8: the flags (SEASON_ON …) and the pending alarm's sequence number's low byte. */
const enum U {
  flags, alarm,
}
/**
 * Bits of the U.flags byte: whether the daily profile is used (1 bit), the pending alarm (0, 1,
 * 2 for −1: 2 bits), how the slot is held (Held: 2 bits) and the breaks confirmed (0 …
 * BREAKS_KEPT: 3 bits).
 */
const SEASON_ON = 1;
const PENDING_SHIFT = 1;
const PENDING = 3 << PENDING_SHIFT;
const HELD_SHIFT = 3;
const HELD = 3 << HELD_SHIFT;
const BREAKS_SHIFT = 5;
const BREAKS = 7 << BREAKS_SHIFT;
/** How the slot with these flags is held. */
const heldOf = (flags: number): Held => (flags & HELD) >> HELD_SHIFT;
/**
 * Largest k held (int16): its gain 1/k counts while above scaleRate (≥ 1e-4), so a k that stops
 * here gives the same gains.
 */
const K_MAX = 32767;

/** How a detector's slot is held (its HELD bits): free again, released explicitly, or by the registry. */
export const enum Held {
  free, released, collected,
  /** Not a slot state: a detector that is aimed at others' slots (./pool.ts). */
  cursor,
}

/** A released detector was used: a programming error in its owner. */
const released = (): EpicenterError => new EpicenterError('INTERNAL', 'a streaming detector was used after release()');
/** Where a cursor points before it is aimed (a chunk of one slot, never written). */
const NOWHERE = new Parts(new Chunk(-1, 1, LAYOUT));
const OWN_DEFAULTS = slotDefaults({
  t0: NaN, lastT: -Infinity, dt: 0, level: 0, slope: 0, scale: 0, sp: 0, sn: 0,
  upL: 0, upT: 0, dnL: 0, dnT: 0,
});
if (OWN_DEFAULTS.length !== OWN_SLOT.f64 || G.dnB + 1 !== OWN_SLOT.f32 || N.regimeSeq + 1 !== OWN_SLOT.u32 || H.seqs + BREAKS_KEPT !== OWN_SLOT.i16 || U.alarm + 1 !== OWN_SLOT.u8 || BREAKS_KEPT > 7) throw new Error('detector slot layout out of date (OWN_SLOT)');
