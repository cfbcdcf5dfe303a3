import type { Timeline } from './types';
import { isStoryRollback } from './verdict';
import { layoutLabels, roundTicks, xRange, type LabelRequest } from './layout';
import { countNoun, displayScale, fmtValue } from './units';

/**
 * Chart specs for the HTML page: plain JSON (data points and chartjs-plugin-annotation options)
 * that the page's small script hands to Chart.js. Marker styles are fixed here so the page legend
 * and the charts agree. Only the story is labelled (the page, the suspects, rollbacks, onset,
 * recovery); every other change is a faint tick at the foot of the chart.
 */

export const COLORS = {
  victim: '#1d4ed8',
  suspectSeries: '#c2410c',
  topSuspect: '#dc2626',
  otherSuspect: '#ea580c',
  change: '#94a3b8',
  rollback: '#7c3aed',
  breakpoint: '#64748b',
  onset: '#0f172a',
  page: '#be185d',
  recovery: '#16a34a',
  alertFill: 'rgba(220, 38, 38, 0.08)',
  limit: '#b91c1c',
} as const;

/** Line colours per instance, role colour first. */
const VICTIM_PALETTE = ['#1d4ed8', '#0891b2', '#4f46e5', '#0369a1', '#7c3aed', '#0f766e', '#1e40af', '#0e7490'];
const SUSPECT_PALETTE = ['#c2410c', '#b45309', '#be123c', '#a16207', '#9a3412', '#db2777', '#ca8a04', '#e11d48'];

/** Suspects #2–3 get a labelled marker only from this score; weaker ones are plain changes. @default 0.05 */
const LABELLED_SUSPECT_SCORE = 0.05;
/** Height of one row of labels above the plot, px. */
export const LABEL_ROW_PX = 18;

/** One annotation, in chartjs-plugin-annotation's option shape. */
export type Annotation = Readonly<Record<string, unknown>>;

export interface ChartSpec {
  readonly canvasId: string;
  readonly title: string;
  readonly role: 'victim' | 'suspect';
  /** Line colour of the chart's role, for its caption. */
  readonly color: string;
  /** Unit the values are drawn in (`MiB`, `s`), '' for counts. */
  readonly unit: string;
  /** What the caption says the values are: the unit, or what a count counts (`files`). */
  readonly caption: string;
  /** X range and tick positions (round UTC times), shared by every chart. */
  readonly xMin: number;
  readonly xMax: number;
  readonly xTicks: readonly number[];
  /** One dataset per instance, values in `unit`. */
  readonly lines: readonly { readonly label: string; readonly color: string; readonly points: readonly { readonly x: number; readonly y: number }[] }[];
  readonly annotations: Readonly<Record<string, Annotation>>;
  /** Rows of marker labels above the plot (the page script reserves room for them). */
  readonly labelRows: number;
  /** Times of the changes that are not suspects: faint ticks at the foot of the chart. */
  readonly otherChanges: readonly number[];
  /** Lifts the y axis to show the limit line when the series gets near it. */
  readonly suggestedMax?: number;
}

/** Show the limit line only when the series reaches at least this share of it. @default 0.3 */
const LIMIT_VISIBLE_SHARE = 0.3;

interface Marker extends LabelRequest {
  readonly id: string;
  readonly color: string;
  readonly width: number;
  readonly dash: readonly number[];
}

function vline(m: Marker, row: number | undefined): Annotation {
  const base = { type: 'line', xMin: m.time, xMax: m.time, borderColor: m.color, borderWidth: m.width, borderDash: m.dash };
  if (row === undefined) return base;
  // Labels sit in rows above the plot: 'end' is the top of a vertical line, then lifted row by row.
  const label = { display: true, content: m.text, position: 'end', yAdjust: -(LABEL_ROW_PX * row + 22), backgroundColor: m.color, color: '#fff', font: { size: 10, weight: 'bold' }, padding: 3, borderRadius: 3 };
  return { ...base, label };
}

/** The story's markers, the same on every chart; the rest of the changes as plain times. */
function storyMarkers(t: Timeline): { markers: Marker[]; others: number[] } {
  const markers: Marker[] = [];
  const others: number[] = [];
  t.events.forEach((e, i) => {
    const id = `${e.kind}_${i}`;
    if (e.kind === 'change' || e.kind === 'rollback') {
      if (e.suspectRank === 1) markers.push({ id: `suspect1_${i}`, time: e.time, text: `#1 ${e.detail} ${e.service}`, priority: 1, color: COLORS.topSuspect, width: 2.5, dash: [] });
      // Rollbacks of the victim or a suspect are part of the story (did they help?); others are background.
      else if (e.kind === 'rollback' && isStoryRollback(t, e)) markers.push({ id: `rollback_${i}`, time: e.time, text: `rollback ${e.service}`, priority: 3, color: COLORS.rollback, width: 2, dash: [6, 3] });
      else if (e.suspectRank !== undefined && e.suspectRank <= 3 && (e.score ?? 0) >= LABELLED_SUSPECT_SCORE) {
        markers.push({ id: `suspect${e.suspectRank}_${i}`, time: e.time, text: `#${e.suspectRank}`, priority: 5, color: COLORS.otherSuspect, width: 1.5, dash: [6, 3] });
      } else others.push(e.time);
    } else if (e.kind === 'recovery') {
      markers.push({ id, time: e.time, text: e.detail === 'resolved' ? 'resolved' : 'recovered', priority: 2, color: COLORS.recovery, width: 2, dash: [] });
    } else if (e.kind === 'alert') {
      markers.push({ id: 'page', time: e.time, text: 'page', priority: 0, color: COLORS.page, width: 2, dash: [] });
    }
  });
  if (t.onset !== undefined) markers.push({ id: 'onset', time: t.onset, text: 'onset', priority: 4, color: COLORS.onset, width: 1.5, dash: [] });
  return { markers, others };
}

/** The x range: the data actually there, up to a little after the story's last moment. */
function axisOf(t: Timeline): { min: number; max: number } {
  let dataStart: number | undefined;
  let dataEnd: number | undefined;
  for (const k of t.keySeries) {
    for (const l of k.lines) {
      const a = l.points[0]?.t;
      const b = l.points[l.points.length - 1]?.t;
      if (a !== undefined && (dataStart === undefined || a < dataStart)) dataStart = a;
      if (b !== undefined && (dataEnd === undefined || b > dataEnd)) dataEnd = b;
    }
  }
  const page = t.alert?.startsAt ?? t.at;
  const story = t.events.filter((e) => e.kind === 'recovery' || e.suspectRank === 1 || (e.kind === 'rollback' && e.helped !== undefined && e.service === t.service));
  const storyEnd = Math.max(page, t.chartEnd ?? page, ...story.map((e) => e.time));
  return xRange({ from: t.from, to: t.to, page, storyEnd, ...(dataStart === undefined ? {} : { dataStart }), ...(dataEnd === undefined ? {} : { dataEnd }) });
}

/** Build one chart spec per key series. */
export function chartSpecs(t: Timeline): ChartSpec[] {
  const axis = axisOf(t);
  const xTicks = roundTicks(axis.min, axis.max);
  const { markers, others } = storyMarkers(t);
  const shown = markers.filter((m) => m.time >= axis.min && m.time <= axis.max);
  const rows = layoutLabels(shown, axis);
  const labelRows = Math.max(0, ...rows.map((r) => (r === undefined ? 0 : r + 1)));
  const shared: Record<string, Annotation> = {};
  if (t.alert !== undefined) {
    // No label: the page marker names it and the legend names the band.
    shared['alert'] = { type: 'box', xMin: t.alert.startsAt, xMax: Math.min(t.alert.endsAt ?? axis.max, axis.max), backgroundColor: COLORS.alertFill, borderWidth: 0 };
  }
  shown.forEach((m, i) => (shared[m.id] = vline(m, rows[i])));
  return t.keySeries.map((k, idx) => {
    const max = k.lines.reduce((m, l) => l.points.reduce((mm, p) => Math.max(mm, Math.abs(p.v)), m), 0);
    const scale = displayScale(k.unit, Math.max(max, k.limit ?? 0));
    const annotations: Record<string, Annotation> = { ...shared };
    // Breakpoints of this chart: thin dotted lines; the table and the Markdown say what they were.
    k.breakpoints.forEach((b, i) => {
      if (b.time >= axis.min && b.time <= axis.max) annotations[`bp_${i}`] = { type: 'line', xMin: b.time, xMax: b.time, borderColor: COLORS.breakpoint, borderWidth: 1, borderDash: [2, 3] };
    });
    const showLimit = k.limit !== undefined && max >= LIMIT_VISIBLE_SHARE * k.limit;
    if (showLimit && k.limit !== undefined) {
      const y = k.limit / scale.factor;
      const label = { display: true, content: `limit ${fmtValue(k.limit, k.unit)}`, position: 'start', backgroundColor: COLORS.limit, color: '#fff', font: { size: 10, weight: 'bold' }, padding: 3, borderRadius: 3 };
      annotations['limit'] = { type: 'line', yMin: y, yMax: y, borderColor: COLORS.limit, borderWidth: 1.5, borderDash: [8, 4], label };
    }
    const palette = k.role === 'victim' ? VICTIM_PALETTE : SUSPECT_PALETTE;
    const spec: ChartSpec = {
      canvasId: `chart-${idx}`,
      title: k.title,
      role: k.role,
      color: k.role === 'victim' ? COLORS.victim : COLORS.suspectSeries,
      unit: scale.label,
      caption: scale.label === '' ? countNoun(k.unit) : scale.label,
      xMin: axis.min,
      xMax: axis.max,
      xTicks,
      lines: k.lines.map((l, i) => ({
        label: l.label,
        color: l.color ?? palette[i % palette.length] ?? COLORS.victim,
        points: l.points.filter((p) => p.t >= axis.min && p.t <= axis.max).map((p) => ({ x: p.t, y: p.v / scale.factor })),
      })),
      annotations,
      labelRows,
      otherChanges: others.filter((x) => x >= axis.min && x <= axis.max),
    };
    return showLimit && k.limit !== undefined ? { ...spec, suggestedMax: (k.limit * 1.05) / scale.factor } : spec;
  });
}
