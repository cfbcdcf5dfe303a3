/**
 * Where the marker labels above a chart go, and which time range and ticks its x axis gets. Pure:
 * the page's charts are at least MIN_PLOT_PX wide (the grid's minimum column less the y axis), so
 * labels laid out for that width cannot overlap at any wider size.
 */

/** Narrowest plot area a chart gets on the page (a 940 px figure minus y axis and padding), px. */
export const MIN_PLOT_PX = 840;
/** Width of one character of a marker label (10 px bold DejaVu Sans), px; generous. */
const CHAR_PX = 7;
/** Label padding and border, px. */
const LABEL_PAD_PX = 9;
/** Space kept between two labels in one row, px. */
const GAP_PX = 6;
/** Rows of labels above a chart at most; later labels are left off (their lines stay). @default 3 */
export const MAX_LABEL_ROWS = 3;

export interface LabelRequest {
  readonly time: number;
  readonly text: string;
  /** Lower is placed first (and so kept when rows run out). */
  readonly priority: number;
}

/** Estimated width of a marker label, px. */
export function labelWidth(text: string): number {
  return [...text].length * CHAR_PX + LABEL_PAD_PX;
}

/**
 * Assign each label a row (0 = nearest the plot) so that no two labels in a row overlap, labels
 * near the edges being pushed inside the plot as chartjs-plugin-annotation does; undefined for
 * labels that did not fit in `maxRows`.
 */
export function layoutLabels(labels: readonly LabelRequest[], axis: { min: number; max: number }, plotPx = MIN_PLOT_PX, maxRows = MAX_LABEL_ROWS): (number | undefined)[] {
  const span = Math.max(1, axis.max - axis.min);
  const rows: [number, number][][] = [];
  const out: (number | undefined)[] = labels.map(() => undefined);
  const order = labels.map((l, i) => ({ l, i })).sort((a, b) => a.l.priority - b.l.priority || a.l.time - b.l.time);
  for (const { l, i } of order) {
    const w = labelWidth(l.text);
    const centre = ((l.time - axis.min) / span) * plotPx;
    const left = Math.max(0, Math.min(plotPx - w, centre - w / 2));
    const box: [number, number] = [left, left + w];
    for (let r = 0; r < maxRows; r++) {
      const row = rows[r] ?? (rows[r] = []);
      if (row.every(([a, b]) => box[1] + GAP_PX <= a || b + GAP_PX <= box[0])) {
        row.push(box);
        out[i] = r;
        break;
      }
    }
  }
  return out;
}

/** Round time-axis steps, ms: 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h, 1 d. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * 60_000);

/** The smallest round step giving at most 8 ticks over `rangeMs`, so ticks land on 14:00, 14:10… */
export function tickStep(rangeMs: number): number {
  return STEPS.find((s) => rangeMs / s <= 8) ?? Math.ceil(rangeMs / 8 / 86_400_000) * 86_400_000;
}

/** Ticks at whole multiples of `tickStep` inside [min, max] (UTC: epoch multiples of round steps are round times). */
export function roundTicks(min: number, max: number): number[] {
  const step = tickStep(max - min);
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max; t += step) out.push(t);
  return out;
}

/** Share of the shown range added after the last thing worth showing. @default 0.06 */
const END_PAD_SHARE = 0.06;
/** … at least this much, ms. @default 10 min */
const MIN_END_PAD_MS = 10 * 60_000;

/**
 * The x range of every chart: from the first point actually present (not the window start, which
 * may be hours earlier) to a little after the last moment of the story — the page, and the
 * rollbacks, recovery or alert end after it — or the end of the data, whichever comes first (but
 * never before the page).
 */
export function xRange(o: { dataStart?: number; dataEnd?: number; from: number; to: number; page: number; storyEnd: number }): { min: number; max: number } {
  const min = Math.max(o.from, Math.min(o.dataStart ?? o.from, o.page));
  const last = Math.max(o.page, o.storyEnd);
  const pad = Math.max(MIN_END_PAD_MS, END_PAD_SHARE * (last - min));
  let max = Math.min(o.to, last + pad);
  if (o.dataEnd !== undefined && o.dataEnd < max) max = Math.max(o.dataEnd, Math.min(o.to, o.page + MIN_END_PAD_MS));
  return { min, max: Math.max(max, min + 60_000) };
}
