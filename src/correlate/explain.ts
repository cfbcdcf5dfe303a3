import type { Analysis, ChangeEvent } from '../domain/types';
import { instanceLabel } from '../domain/series';
import type { SeriesData } from '../ports';
import { effectWindow, toSignals, typicalStep, type Context } from './context';
import { stitchVersions } from './stitch';
import { troubleWeight } from './signals';
import { movedAtAll, type CandidateEvidence, type FeatureName } from './features';
import { acuteLines } from './explain-acute';
import { ACUTE } from './acute-model';
import { MODEL, type Model } from './model';
import { COUNTLESS, shortName, type Signal } from './signals';

/** "14:07" (UTC): evidence lines are read next to dashboards, which show the same clock. */
export function hhmm(t: number): string {
  return new Date(t).toISOString().slice(11, 16);
}

/** "3 min", "2 h 10 min". */
export function duration(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** A value in the series' unit: bytes as MiB/GiB, small numbers with a decimal. */
export function fmtValue(v: number, s: Signal): string {
  if (s.series.series.unit === 'By' || s.cls === 'memory') {
    const mib = v / 2 ** 20;
    return mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : `${Math.round(mib)} MiB`;
  }
  const a = Math.abs(v);
  return a >= 100 ? String(Math.round(v)) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function what(s: Signal): string {
  const growth = s.bp.kind === 'slope_change' && s.bp.after.slope > s.bp.before.slope;
  const up = s.effect.shift > 0;
  return growth ? (up ? 'started growing' : 'growth changed') : up ? 'level up' : 'level down';
}

/** "fds of checkout-api: level up 540→1024 (+12.3σ) at 13:05" */
export function describeSignal(s: Signal): string {
  // From a series flat at one value (a failed share at exactly 0) any move is countless σ: say so.
  const sigma = Math.abs(s.effect.shift) >= COUNTLESS ? 'from a flat level' : `${s.effect.shift >= 0 ? '+' : ''}${s.effect.shift.toFixed(1)}σ`;
  const where = s.peer === undefined ? `${shortName(s.series.series)} of ${s.service}` : `${shortName(s.series.series, s.peer)} from ${s.service}`;
  const inst = instanceLabel(s.series.series.labels);
  const limit = s.bp.limit !== undefined && s.effect.after >= 0.8 * s.bp.limit ? ` (limit ${s.bp.limit})` : '';
  return `${where}${inst === undefined ? '' : ` [${inst}]`}: ${what(s)} ${fmtValue(s.effect.before, s)}→${fmtValue(s.effect.after, s)} (${sigma}) at ${hhmm(s.time)}${limit}`;
}

function after(s: Signal, c: ChangeEvent): string {
  const lag = s.time - c.time;
  return lag >= 0 ? `${duration(lag)} after this change` : `${duration(lag)} before this change`;
}

/** Human-readable reasons, strongest first, each with the numbers behind it. */
export function explain(ctx: Context, e: CandidateEvidence, model: Model = MODEL): string[] {
  const c = e.change;
  const lines: { w: number; text: string }[] = [];
  const contrib = (f: FeatureName): number => model.weights[f] * e.x[f];
  const p = e.path;
  // The victim's own breakpoint is what a reader checks first: always lead with it when aligned.
  if (e.onset.signal !== undefined && e.x.onset > 0.05) lines.push({ w: 10, text: `${describeSignal(e.onset.signal)}, ${after(e.onset.signal, c)}` });
  else if (e.delayed.signal !== undefined && e.x.delayed > 0.05) lines.push({ w: contrib('delayed'), text: `${describeSignal(e.delayed.signal)}, ${after(e.delayed.signal, c)} (delayed effect)` });
  const link = p.victimHop.value >= p.near.value ? p.victimHop : p.near;
  if (link.signal !== undefined && link.value > 0.05) lines.push({ w: contrib('near') + contrib('victimHop') + contrib('chain') + 0.5, text: `${describeSignal(link.signal)}, ${after(link.signal, c)}` });
  if (p.dist >= 2 && Number.isFinite(p.dist)) {
    const route = [c.service, ...p.path.map((st) => `${st.direction === 'calls' ? '→' : '←'} ${st.to}`)].join(' ');
    lines.push({ w: contrib('chain') + contrib('interior'), text: `path ${route} (→ calls, ← is called by): weakest link moved ${(p.chain.value * 100).toFixed(0)}%, services in between ${(p.interior.value * 100).toFixed(0)}%` });
  }
  if (p.interiorChange !== undefined) lines.push({ w: Math.abs(contrib('interiorChange')), text: `${p.interiorChange.service}, between this change and ${ctx.victim}, changed itself at ${hhmm(p.interiorChange.time)} (${p.interiorChange.type})` });
  if (p.self.signal !== undefined && p.self.value > 0.3) lines.push({ w: contrib('self'), text: `${describeSignal(p.self.signal)}, ${after(p.self.signal, c)}` });
  const rb = e.rollback;
  if (rb.rollback !== undefined && rb.value !== 0) {
    const lv = rb.levels !== undefined && rb.signal !== undefined ? ` (${shortName(rb.signal.series.series, rb.signal.peer)} of ${rb.signal.service}: ${fmtValue(rb.levels.pre, rb.signal)} before the change, ${fmtValue(rb.levels.mid, rb.signal)} before the rollback, ${fmtValue(rb.levels.post, rb.signal)} after)` : '';
    lines.push({ w: Math.abs(contrib('rollback')) + 1, text: `rollback of this change at ${hhmm(rb.rollback.time)} ${rb.value > 0 ? 'reverted' : 'did not revert'} the trend${lv}` });
  }
  const v = e.version;
  if (v.value !== 0 && v.onNew !== undefined && v.onOld !== undefined) {
    const pct = (r: number): string => `${r >= 0 ? '+' : ''}${Math.round(r * 100)}%`;
    const cmp = `${shortName({ id: '', service: c.service, metric: v.metric ?? '', labels: {} })} ${pct(v.onNew)} on instances moved to ${c.version ?? 'the new version'}, ${pct(v.onOld)} on those still on ${v.oldVersion ?? 'the old one'} over the same minutes`;
    lines.push({ w: Math.abs(contrib('version')) + 0.5, text: v.value > 0 ? `version differential: ${cmp}` : `version differential: ${cmp} — not this release` });
  }
  const op = e.oldPods;
  if (op.value > 0.3 && op.metric !== undefined) {
    const moved = `${op.metric} ${(op.before ?? 0).toPrecision(3)} → ${(op.after ?? 0).toPrecision(3)} (median of ${op.instances ?? 0})`;
    lines.push({ w: 15 * op.value, text: op.scaleOut === true ? `instances running before this scale-out got worse after it: ${moved} — it took load off them, so the trouble is not its doing` : `instances still on the old version got worse too: ${moved} after this release — the trouble is not what the new version serves` });
  }
  if (e.before.signal !== undefined && e.x.before > 0.3) lines.push({ w: Math.abs(contrib('before')), text: `trouble started before this change: ${describeSignal(e.before.signal)}, ${duration(c.time - e.before.signal.time)} earlier` });
  const lb = p.linkBefore;
  if (lb?.signal !== undefined && lb.value > 0.3) lines.push({ w: Math.abs(contrib('linkBefore')), text: `the link had moved before this change: ${describeSignal(lb.signal)}, ${duration(c.time - lb.signal.time)} earlier` });
  if (e.elsewhere.signal !== undefined && e.x.elsewhere > 0.3 && e.elsewhere.signal.effect.shift > 0) lines.push({ w: Math.abs(contrib('elsewhere')), text: `another link explains it: ${describeSignal(e.elsewhere.signal)}` });
  const f = e.fan;
  if (f.moved.length >= 2 && f.share >= 0.6 && (e.x.fanInUp > 0 || e.x.fanInDown > 0)) {
    const who = `${f.moved.length} of ${f.visible} callers of ${ctx.victim} (${f.moved.slice(0, 3).join(', ')}${f.moved.length > 3 ? ', …' : ''}) hold more connections to it at once`;
    lines.push({ w: Math.abs(contrib(e.x.fanInUp > 0 ? 'fanInUp' : 'fanInDown')), text: e.x.fanInUp > 0 ? `${who}: ${ctx.victim} got slow, not one caller` : `${who}: it got slow, consistent with a dependency` });
  } else if (e.x.soleCaller > 0) {
    lines.push({ w: contrib('soleCaller'), text: `only ${f.moved[0] ?? ''}, of ${f.visible} callers of ${ctx.victim}, holds more connections to it: a change on the caller's side` });
  }
  if (e.x.slowBelow >= 0.5 && e.x.soleCaller === 0) {
    lines.push({ w: Math.abs(contrib('upOutbound') + contrib('slowBelow')), text: `${ctx.victim}'s own connections to a dependency grew around the onset while its request rate did not: the trouble looks like it comes from below, not from a caller` });
  }
  const dep = p.path[p.path.length - 1]?.from;
  if (e.x.slowPath >= 0.5 && dep !== undefined) {
    lines.push({ w: Math.abs(contrib('slowPath')) + 0.5, text: `${ctx.victim} holds more connections to ${dep} since the onset while its request rate did not grow: ${dep} got slower, the side this change is on` });
  }
  if (e.passThrough.signal !== undefined && e.x.passThrough > 0.3) {
    lines.push({ w: Math.abs(contrib('passThrough')), text: `${describeSignal(e.passThrough.signal)}: ${c.service} received more traffic itself, so the trouble came through it from upstream, not from this change` });
  }
  if (e.downThrough.signal !== undefined && e.x.downThrough > 0.3) {
    lines.push({ w: Math.abs(contrib('downThrough')), text: `${describeSignal(e.downThrough.signal)}: ${c.service} is itself waiting on ${e.downThrough.signal.peer ?? 'a dependency'}, so the slowness began further down` });
  }
  const turn = p.path.findIndex((st) => st.direction !== p.path[0]?.direction);
  const before = p.path[turn - 1];
  if (e.x.mixedPath > 0 && before !== undefined) {
    // The shared service is where the path turns: both ends call it, or it calls both.
    lines.push({ w: Math.abs(contrib('mixedPath')), text: `${c.service} and ${ctx.victim} are linked only through ${before.to}, which both sides of the path ${before.direction === 'calls' ? 'call' : 'are called by'}: a change here reaches ${ctx.victim} only by exhausting ${before.to}` });
  }
  if (!Number.isFinite(p.dist)) {
    const lead = ctx.unproven.includes(c.service) ? `; nothing moved on ${ctx.victim} to tie it to, so what moved here is a lead, not an explanation` : '';
    lines.push({ w: 0.1, text: `${c.service} is not linked to ${ctx.victim} by the topology or by any series${lead}` });
  }
  // The hop into the victim, when its other end is a dependency inferred from timing alone.
  const guessed = p.path.map((st) => (st.to === ctx.victim ? st.from : st.from === ctx.victim ? st.to : undefined)).find((d) => d !== undefined && ctx.inferred.includes(d));
  if (guessed !== undefined) {
    lines.push({ w: 0.3, text: `${guessed}'s own trouble began with ${ctx.victim}'s, though no recorded call links them either way (topology or series): taken as a dependency nobody recorded` });
  }
  const below = e.passedOn.signal;
  if (below !== undefined && e.passedOn.value > 0.3) {
    lines.push({ w: 5 * e.passedOn.value, text: `${describeSignal(below)}: ${below.service}, which ${ctx.victim} calls, got worse as early; ${ctx.victim} passes that on, so its own change counts only for the rest` });
  }
  lines.push(...acuteLines(ctx, e));
  const first = e.first.signal;
  const discounted = Math.max(e.acute.self - e.a.acuteSelf, e.acute.callers - e.a.acuteCallers);
  if (first !== undefined && discounted > 0.1 && e.first.value > 0.1) {
    lines.push({ w: ACUTE.weights.acuteSelf * discounted + 1, text: `the trouble after this change follows a lasting move below ${c.service}: ${describeSignal(first)}, ${after(first, c)} — not this change's doing` });
  }
  // The paged service's own change: "on frontend or on frontend" said it twice.
  const where = `${c.service}${p.dist > 0 && Number.isFinite(p.dist) ? `, on the ${p.dist}-hop path` : ''}${c.service === ctx.victim ? '' : ` or on ${ctx.victim}`}`;
  // Nothing within minutes, but the trouble itself came hours later (a leak's slow climb): saying
  // "no breakpoint follows" beside the line quoting that breakpoint would contradict itself.
  const late = e.delayed.signal;
  const lateBy = e.delayed.value >= 0.1 && late !== undefined && late.time > c.time ? (ctx.onset > c.time ? ctx.onset : late.time) - c.time : undefined;
  // A burst that one further down explains ("looks like a symptom") moved all the same.
  if (movedAtAll(e) < 0.1 && e.later.value <= 0.3 && e.acute.below <= 0.3) {
    const text = lateBy === undefined ? `evidence missing: no breakpoint and no burst on ${where} follows this change` : `nothing moved on ${where} within minutes of this change: the trouble came ${duration(lateBy)} after it`;
    lines.push({ w: 20, text });
  } else if (lines.length === 0 || Math.max(e.onset.value, e.delayed.value, e.x.near, e.x.victimHop, e.path.self.value) < 0.1) lines.push({ w: 0.1, text: `no breakpoint on ${where} follows this change` });
  const rel = ctx.onset - c.time;
  lines.push({ w: 0.05, text: rel >= 0 ? `${duration(rel)} before the onset of trouble at ${hhmm(ctx.onset)}` : `${duration(rel)} after the onset of trouble at ${hhmm(ctx.onset)}` });
  // One move can be both the onset and the link (the victim's calls to the changed service): say it once.
  const texts = lines.sort((a, b) => b.w - a.w).map((l) => l.text);
  return [...new Set(texts)].slice(0, 4);
}

/**
 * The victim's key breakpoints of an analysis, as evidence-style lines (strongest trouble first,
 * one per series), measured on `series` (the points the analysis saw, e.g. re-read from a store).
 */
export function keyBreakpoints(a: Analysis, series: readonly SeriesData[], max = 5): string[] {
  const own = stitchVersions(series.filter((s) => s.series.service === a.service));
  const bps = a.breakpoints.filter((b) => b.series.service === a.service && b.time <= a.to);
  const known = new Set([a.service, ...series.map((s) => s.series.service), ...a.suspects.map((s) => s.service)]);
  const sig = toSignals(bps, own, known, effectWindow(typicalStep(own)));
  const seen = new Set<string>();
  return sig
    .map((s) => ({ s, w: troubleWeight(s) }))
    .filter((x) => x.w > 0.1 && x.s.effect.shift > 0)
    .sort((x, y) => y.w - x.w)
    .filter((x) => !seen.has(x.s.series.series.metric + (x.s.peer ?? '')) && seen.add(x.s.series.series.metric + (x.s.peer ?? '')) !== undefined)
    .slice(0, max)
    .sort((x, y) => x.s.time - y.s.time)
    .map((x) => describeSignal(x.s));
}

/** How far before the named suspect another change of its service still reads as a rival. */
const RIVAL_MS = 30 * 60_000;

/**
 * For the first suspect: the strongest other change of the same service in the half hour before
 * it, or after it up to the trouble's onset. Both precede the same trouble, and what tells them
 * apart is mostly timing, which deploy stamps and delayed effects blur: the reader should look at
 * both (a pool setting changed minutes before a flag flip that got the blame).
 */
export function rivalLine(ctx: Context, top: ChangeEvent, ranked: readonly { readonly e: CandidateEvidence }[]): string | undefined {
  const hi = Math.min(ctx.at, Math.max(top.time, ctx.onset) + ctx.tolMs);
  // Only one the paged service's lasting trouble follows as well (a burst of its own may be an
  // earlier incident that is over).
  const rival = ranked.find(({ e }) => e.change.service === top.service && e.change.id !== top.id && e.change.time >= top.time - RIVAL_MS && e.change.time <= hi && Math.max(e.onset.value, e.delayed.value) >= 0.3)?.e.change;
  if (rival === undefined) return undefined;
  const rel = rival.time - top.time;
  const what = rival.summary === undefined ? '' : `: "${rival.summary.length > 80 ? `${rival.summary.slice(0, 77)}…` : rival.summary}"`;
  return `${top.service} also changed at ${hhmm(rival.time)}, ${duration(rel)} ${rel < 0 ? 'before' : 'after'} this one (${rival.type} ${rival.id}${what}): the same trouble follows both, so check it too`;
}

