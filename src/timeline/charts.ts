import type { Breakpoint } from '../domain/types';
import { importance } from './importance';
import type { KeySeries, Timeline, TimelineEvent } from './types';
import { fmtNum, humanKind } from './format';

/**
 * Chart specs for the HTML page: plain JSON (data points and chartjs-plugin-annotation options)
 * that the page's small script hands to Chart.js. Marker styles are fixed here so the page legend
 * and the charts agree.
 */

export const COLORS = {
  victim: '#1d4ed8',
  suspectSeries: '#c2410c',
  topSuspect: '#dc2626',
  otherSuspect: '#ea580c',
  change: '#94a3b8',
  rollback: '#7c3aed',
  breakpoint: '#334155',
  recovery: '#16a34a',
  alertFill: 'rgba(220, 38, 38, 0.08)',
  limit: '#b91c1c',
} as const;

/** Line colours per instance, role colour first. */
const VICTIM_PALETTE = ['#1d4ed8', '#0891b2', '#4f46e5', '#0369a1', '#7c3aed', '#0f766e', '#1e40af', '#0e7490'];
const SUSPECT_PALETTE = ['#c2410c', '#b45309', '#be123c', '#a16207', '#9a3412', '#db2777', '#ca8a04', '#e11d48'];

/** One annotation, in chartjs-plugin-annotation's option shape. */
export type Annotation = Readonly<Record<string, unknown>>;

export interface ChartSpec {
  readonly canvasId: string;
  readonly title: string;
  readonly role: KeySeries['role'];
  /** Line colour of the chart's role, for its caption. */
  readonly color: string;
  /** Unit as reported by the source (`{file}`, `By`), when known. */
  readonly unit?: string;
  /** A round tick step for the time axis, ms (shared by every chart). */
  readonly stepMs: number;
  /** One dataset per instance. */
  readonly lines: readonly { readonly label: string; readonly color: string; readonly points: readonly { readonly x: number; readonly y: number }[] }[];
  readonly annotations: Readonly<Record<string, Annotation>>;
  /** Lifts the y axis to show the limit line when the series gets near it. */
  readonly suggestedMax?: number;
}

/** Show the limit line only when the series reaches at least this share of it. @default 0.3 */
const LIMIT_VISIBLE_SHARE = 0.3;

/** Where each breakpoint kind's label sits on its line (from the bottom), so kinds at one time do not overlap. */
const LABEL_HEIGHT: Readonly<Record<Breakpoint['kind'], string>> = { level_up: '45%', level_down: '45%', slope_change: '68%', variance_change: '22%' };

function label(content: string, color: string, position: string): Record<string, unknown> {
  return { display: true, content, position, backgroundColor: color, color: '#fff', font: { size: 10, weight: 'bold' }, padding: 3, borderRadius: 3 };
}

function vline(x: number, color: string, width: number, dash: readonly number[], lbl?: Record<string, unknown>): Annotation {
  return { type: 'line', xMin: x, xMax: x, borderColor: color, borderWidth: width, borderDash: dash, ...(lbl === undefined ? {} : { label: lbl }) };
}

/** Markers for the changes, rollbacks and recoveries of the whole timeline (same on every chart). */
function eventMarkers(events: readonly TimelineEvent[]): Record<string, Annotation> {
  const out: Record<string, Annotation> = {};
  events.forEach((e, i) => {
    if (e.kind === 'change' || e.kind === 'rollback') {
      if (e.suspectRank === 1) out[`suspect1_${i}`] = vline(e.time, COLORS.topSuspect, 2.5, [], label(`#1 ${e.detail} ${e.service}`, COLORS.topSuspect, 'end'));
      else if (e.kind === 'rollback') out[`rollback_${i}`] = vline(e.time, COLORS.rollback, 2, [6, 3], label(`rollback ${e.service}`, COLORS.rollback, 'end'));
      else if (e.suspectRank !== undefined && e.suspectRank <= 3) out[`suspect${e.suspectRank}_${i}`] = vline(e.time, COLORS.otherSuspect, 1.5, [6, 3]);
      else out[`change_${i}`] = vline(e.time, COLORS.change, 1, [3, 3]);
    } else if (e.kind === 'recovery' && e.detail === 'resolved') {
      // The alert's end concerns every chart; a series' own recovery is drawn on its chart only.
      out[`resolved_${i}`] = vline(e.time, COLORS.recovery, 2, [], label('alert resolved', COLORS.recovery, 'start'));
    }
  });
  return out;
}

/** Round time-axis steps, ms: 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h, 1 d. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * 60_000);

/** The smallest round step giving at most 8 ticks over `rangeMs`, so ticks land on 14:00, 14:10… */
export function tickStep(rangeMs: number): number {
  return STEPS.find((s) => rangeMs / s <= 8) ?? Math.ceil(rangeMs / 8 / 86_400_000) * 86_400_000;
}

/** Build one chart spec per key series. */
export function chartSpecs(t: Timeline): ChartSpec[] {
  const step = tickStep(t.to - t.from);
  const shared = eventMarkers(t.events);
  if (t.alert !== undefined) {
    shared['alert'] = {
      type: 'box',
      xMin: t.alert.startsAt,
      xMax: t.alert.endsAt ?? t.to,
      backgroundColor: COLORS.alertFill,
      borderWidth: 0,
      // No label: the page legend names the band, and top/bottom are taken by change labels.
    };
  }
  return t.keySeries.map((k, idx) => {
    const annotations: Record<string, Annotation> = { ...shared };
    // Instances break together: label the most important breakpoint of each kind, draw the rest plain.
    const lead = new Map<string, Breakpoint>();
    for (const b of k.breakpoints) if (importance(b) > importance(lead.get(b.kind) ?? b) || !lead.has(b.kind)) lead.set(b.kind, b);
    k.breakpoints.forEach((b, i) => {
      const lbl = lead.get(b.kind) === b ? label(humanKind(b.kind), COLORS.breakpoint, LABEL_HEIGHT[b.kind]) : undefined;
      annotations[`bp_${i}`] = vline(b.time, COLORS.breakpoint, 1.5, [2, 2], lbl);
    });
    k.recoveries.forEach((time, i) => {
      annotations[`recovery_${i}`] = vline(time, COLORS.recovery, 2, [], i === 0 ? label('recovered', COLORS.recovery, 'start') : undefined);
    });
    const max = k.lines.reduce((m, l) => l.points.reduce((mm, p) => Math.max(mm, p.v), m), -Infinity);
    const showLimit = k.limit !== undefined && max >= LIMIT_VISIBLE_SHARE * k.limit;
    if (showLimit && k.limit !== undefined) {
      annotations['limit'] = {
        type: 'line',
        yMin: k.limit,
        yMax: k.limit,
        borderColor: COLORS.limit,
        borderWidth: 1.5,
        borderDash: [8, 4],
        label: label(`limit ${fmtNum(k.limit)}`, COLORS.limit, 'end'),
      };
    }
    const spec: ChartSpec = {
      canvasId: `chart-${idx}`,
      stepMs: step,
      ...(k.unit === undefined ? {} : { unit: k.unit }),
      title: k.title,
      role: k.role,
      color: k.role === 'victim' ? COLORS.victim : COLORS.suspectSeries,
      lines: k.lines.map((l, i) => {
        const palette = k.role === 'victim' ? VICTIM_PALETTE : SUSPECT_PALETTE;
        return { label: l.label, color: palette[i % palette.length] ?? COLORS.victim, points: l.points.map((p) => ({ x: p.t, y: p.v })) };
      }),
      annotations,
    };
    return showLimit && k.limit !== undefined ? { ...spec, suggestedMax: k.limit * 1.05 } : spec;
  });
}
