import type { Analysis, Breakpoint, ChangeEvent, Point, SeriesRef, Suspect, Topology } from '../domain/types';
import type { SeriesData } from '../ports';
import type { Trouble } from './trouble';

/**
 * The postmortem timeline: what happened around an incident, in order, with the suspects and
 * the few series worth charting. Built by `buildTimeline` (pure), rendered to Markdown and HTML.
 * Times are epoch ms.
 */

/** The alert that paged someone (Alertmanager's startsAt/endsAt, epoch ms). */
export interface TimelineAlert {
  readonly name: string;
  readonly startsAt: number;
  readonly endsAt?: number;
}

export const EVENT_KINDS = ['change', 'rollback', 'breakpoint', 'alert', 'recovery'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface TimelineEvent {
  /** epoch ms */
  readonly time: number;
  /** The owning team of `service`, or `unknown`. */
  readonly team: string;
  readonly service: string;
  readonly kind: EventKind;
  /** Finer kind: the change type (deploy, config…), the breakpoint kind (level_up…), `firing`/`resolved`. */
  readonly detail: string;
  /** One line for people; plain text (renderers escape it). */
  readonly text: string;
  /** Change id (changes, rollbacks) or series id (breakpoints, recoveries). */
  readonly ref?: string;
  /** 1-based rank among the suspects when this change is one. */
  readonly suspectRank?: number;
  /** Suspect score in [0,1] when this change is one. */
  readonly score?: number;
  /** Rollbacks after the onset: whether the victim recovered afterwards. */
  readonly helped?: boolean;
}

export type SeriesRole = 'victim' | 'suspect';

/** One line of a chart: one instance of a series, its versions stitched together. */
export interface ChartLine {
  /** Instance id (or host), `''` when the series names none. */
  readonly label: string;
  /** The stored series drawn as this line (one per version the instance ran). */
  readonly series: readonly SeriesRef[];
  /** Sorted by time; possibly thinned for drawing (see `thinPoints`). */
  readonly points: readonly Point[];
  /** Line colour; default: the chart role's palette by position. */
  readonly color?: string;
}

/**
 * A chart: one metric of one service (labels other than instance/version/host kept apart, e.g.
 * the peer of a connection count), one line per instance, with the breakpoints found in it.
 */
export interface KeySeries {
  /** `service` + `seriesTitle`, stable. */
  readonly key: string;
  readonly service: string;
  readonly metric: string;
  readonly unit?: string;
  readonly role: SeriesRole;
  readonly title: string;
  readonly lines: readonly ChartLine[];
  /** Breakpoints found in the chart's series (recoveries excluded), by time. */
  readonly breakpoints: readonly Breakpoint[];
  /** When the trouble that paged went away, on its chart only, epoch ms. */
  readonly recoveries: readonly number[];
  /** This chart is the trouble that paged. */
  readonly paged?: boolean;
  /** Resource limit from the topology or the breakpoint, in the series' units. */
  readonly limit?: number;
}

export interface Timeline {
  readonly service: string;
  readonly team: string;
  /** epoch ms: the time asked about. */
  readonly at: number;
  readonly from: number;
  readonly to: number;
  readonly alert?: TimelineAlert;
  /** Sorted by time (ties: changes first, so a cause precedes its effect). */
  readonly events: readonly TimelineEvent[];
  /** Sorted by score, best first (at most `MAX_SUSPECTS`). */
  readonly suspects: readonly Suspect[];
  /** At most `MAX_KEY_SERIES` charts: the victim's broken series, then the top suspect's supporting series. */
  readonly keySeries: readonly KeySeries[];
  /** When the trouble that paged began (its first breakpoint, see `Trouble`), epoch ms, when known. */
  readonly onset?: number;
  /** The trouble that paged: its series, first and strongest breakpoints, normal range and recovery. */
  readonly trouble?: Trouble;
  /** Breakpoints in the window left out of `events` as too small, too uncertain or too many. */
  readonly hiddenBreakpoints: number;  /** Charts run at least to here, epoch ms (a replay shows its whole window); default: a little after the story. */
  readonly chartEnd?: number;
}

/**
 * Another page built on the timeline (a what-if replay): its own title and brand line, sections
 * of its own before the timeline's, and whether the timeline's verdict (the correlator's answer)
 * is shown. Without a frame the renderers write the postmortem timeline unchanged.
 */
export interface PageFrame {
  /** `<title>` and the page heading. */
  readonly title: string;
  /** The small line above the heading, e.g. `epicenter · what-if replay`. */
  readonly brand: string;
  /** The first lines under the heading (Markdown, already escaped). */
  readonly markdown: readonly string[];
  /** The first sections (HTML, already escaped). */
  readonly html: string;
  readonly showVerdict: boolean;
}

export interface TimelineInput {
  readonly service: string;
  readonly at: number;
  readonly analysis: Analysis;
  readonly changes: readonly ChangeEvent[];
  readonly breakpoints: readonly Breakpoint[];
  readonly series: readonly SeriesData[];
  readonly alert?: TimelineAlert;
  /** Gives teams and limits, and narrows changes to the victim's neighbourhood. Optional. */
  readonly topology?: Topology;
  /**
   * The metric the page is about (e.g. `process.open_file_descriptor.count`), when the caller knows
   * it. @default the victim's limited resource near its limit at `at`, else its heaviest breakpoint's metric
   */
  readonly pagedMetric?: string;
}

/** Charts per page. @default 6 */
export const MAX_KEY_SERIES = 6;
/** Breakpoint events listed at most (most important kept). @default 30 */
export const MAX_BREAKPOINT_EVENTS = 30;
/** Lines per chart (instances); the rest are left out. @default 8 */
export const MAX_LINES_PER_CHART = 8;
/** Suspects kept. @default 10 */
export const MAX_SUSPECTS = 10;
/** Points per drawn line after thinning. @default 1200 */
export const MAX_POINTS_PER_SERIES = 1200;
