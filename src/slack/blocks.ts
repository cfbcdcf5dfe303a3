import { confidencePct, CONFIDENT_SCORE } from '../domain/text';
import type { Suspect } from '../domain/types';
import { enforceLimits, escapeMrkdwn, escapeTruncate, mrkdwn, oneLine, plain, SLACK_LIMITS, type Block, type SlackMessage } from './limits';

/**
 * Block Kit messages for alert enrichment and the slash command. Pure: data in, JSON out.
 * Every message passes through `enforceLimits`, so no input (a 10 kB evidence string, 60
 * suspects) can make Slack refuse it.
 */

export interface AlertView {
  /** `alertname` label. */
  readonly name: string;
  readonly severity?: string;
  readonly service: string;
  /** epoch ms */
  readonly startsAt: number;
  /** `summary` (or `description`) annotation. */
  readonly summary?: string;
  readonly status: 'firing' | 'resolved';
}

export interface AnalysisView {
  /** Analysis id, shown so people can find it in the API and ClickHouse. */
  readonly id?: string;
  /** Ranked, best first. */
  readonly suspects: readonly Suspect[];
  /** Breakpoints considered, for the "nothing found" line. */
  readonly breakpointCount?: number;
}

/** How many suspects an alert shows. @default 3 */
export const DEFAULT_SHOWN_SUSPECTS = 3;
/** Never more than this many suspect blocks, whatever the caller asks. */
const MAX_SHOWN_SUSPECTS = 10;
const EVIDENCE_CHARS = 300;
const SUMMARY_CHARS = 1000;
const NAME_CHARS = 80;
const ALERT_REF = 'alert start';
const COMMAND_REF = 'the time asked';

/**
 * "3 min", "2 h 5 min", "1 d 4 h": the coarse, readable form of a duration in ms (sign ignored).
 */
export function formatDuration(ms: number): string {
  const min = Math.round(Math.abs(ms) / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/**
 * "12 min before alert start", "3 min after alert start", or "at alert start" (within 30 s).
 * Times in epoch ms. The reference is the alert's startsAt (its onset as Alertmanager knows it) —
 * named so, because the correlator's evidence speaks of the "onset of trouble" it detected, which
 * is usually earlier.
 */
export function relativeTo(t: number, ref: number, refName = 'alert start'): string {
  const diff = ref - t;
  if (Math.abs(diff) < 30_000) return `at ${refName}`;
  return `${formatDuration(diff)} ${diff > 0 ? 'before' : 'after'} ${refName}`;
}

/** Slack renders `<!date^…>` in each reader's time zone; the ISO form is the fallback. */
export function slackDate(t: number): string {
  return `<!date^${Math.floor(t / 1000)}^{date_short_pretty} {time_secs}|${new Date(t).toISOString()}>`;
}

function link(url: string, label: string): string {
  // `|` and `>` end a Slack link; a URL we built never contains them unencoded, but be sure.
  return `<${url.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${label}>`;
}

/** Confidence as a percentage (src/domain/text.ts). */
export const percent = confidencePct;

function suspectBlock(s: Suspect, rank: number, onset: number, refName: string): Block {
  const pct = escapeMrkdwn(percent(s.score)); // "<1%": a bare < would start a Slack link
  const head =
    `*${rank}. ${escapeTruncate(s.type, 20)} change on \`${escapeTruncate(s.service, NAME_CHARS)}\`* ` +
    `(team ${escapeTruncate(s.team === '' ? 'unknown' : s.team, NAME_CHARS)}) · ${relativeTo(s.time, onset, refName)} · *${pct}* confidence`;
  const evidence = s.evidence.find((e) => e.trim() !== '');
  const lines = [head];
  if (evidence !== undefined) lines.push(`> ${oneLine(evidence, EVIDENCE_CHARS)}`);
  lines.push(`change \`${escapeTruncate(s.id, NAME_CHARS)}\``);
  return { type: 'section', text: mrkdwn(lines.join('\n'), SLACK_LIMITS.sectionText) };
}

function suspectsBlocks(analysis: AnalysisView, onset: number, shown: number, refName: string): Block[] {
  const n = Math.max(0, Math.min(shown, MAX_SHOWN_SUSPECTS));
  const top = analysis.suspects.slice(0, n);
  if (top.length === 0) {
    const bps = analysis.breakpointCount === undefined ? '' : ` (${analysis.breakpointCount} trend breakpoints in the window)`;
    return [{ type: 'section', text: mrkdwn(`*No recorded change explains this yet*${bps}.`, SLACK_LIMITS.sectionText) }];
  }
  // Below an even chance the first suspect is more likely not the cause: say so before listing them.
  const first = top[0]?.score ?? 0;
  const head = first >= CONFIDENT_SCORE
    ? `*Likely causes* — top ${top.length} of ${analysis.suspects.length} ranked changes`
    : `*No clear cause* — no recorded change explains this well; the best ${top.length} of ${analysis.suspects.length} ranked changes, the first at ${escapeMrkdwn(percent(first))}`;
  return [{ type: 'section', text: mrkdwn(head, 200) }, ...top.map((s, i) => suspectBlock(s, i + 1, onset, refName))];
}

function footer(analysis: AnalysisView, timelineUrl: string | undefined, shown: number): Block {
  const parts: string[] = [];
  const hidden = analysis.suspects.length - Math.min(shown, MAX_SHOWN_SUSPECTS);
  if (hidden > 0) parts.push(`${hidden} more suspects in the timeline`);
  if (timelineUrl !== undefined) parts.push(link(timelineUrl, 'Open timeline'));
  if (analysis.id !== undefined) parts.push(`analysis \`${escapeTruncate(analysis.id, 120)}\``);
  return { type: 'context', elements: [mrkdwn(parts.length === 0 ? 'epicenter' : parts.join(' · '), SLACK_LIMITS.contextText)] };
}

/** Top-level `text`: Slack parses it as mrkdwn too, so it is escaped like the blocks. */
function fallbackText(prefix: string, analysis: AnalysisView, onset: number, refName: string): string {
  const s = analysis.suspects[0];
  const text =
    s === undefined
      ? `${prefix}: no change explains it yet`
      : `${prefix}: ${s.score >= CONFIDENT_SCORE ? 'likely' : 'no clear cause; first suspect'} ${s.type} change on ${s.service} (team ${s.team}), ${relativeTo(s.time, onset, refName)}, ${percent(s.score)}`;
  return escapeTruncate(text, SLACK_LIMITS.fallbackText);
}

/** The enrichment posted for a FIRING alert: the alert, the top suspects, a timeline link. */
export function buildAlertMessage(p: { alert: AlertView; analysis: AnalysisView; timelineUrl?: string; shownSuspects?: number }): SlackMessage {
  const { alert, analysis } = p;
  const shown = p.shownSuspects ?? DEFAULT_SHOWN_SUSPECTS;
  const fields = [
    mrkdwn(`*Severity*\n${escapeTruncate(alert.severity ?? 'unknown', NAME_CHARS)}`, SLACK_LIMITS.fieldText),
    mrkdwn(`*Service*\n\`${escapeTruncate(alert.service, NAME_CHARS)}\``, SLACK_LIMITS.fieldText),
    mrkdwn(`*Started*\n${slackDate(alert.startsAt)}`, SLACK_LIMITS.fieldText),
    mrkdwn(`*Status*\n${alert.status}`, SLACK_LIMITS.fieldText),
  ];
  const blocks: Block[] = [
    { type: 'header', text: plain(`:fire: ${alert.name} — ${alert.service}`, SLACK_LIMITS.headerText) },
    { type: 'section', fields },
  ];
  if (alert.summary !== undefined && alert.summary.trim() !== '') {
    blocks.push({ type: 'section', text: mrkdwn(escapeTruncate(alert.summary.trim(), SUMMARY_CHARS), SLACK_LIMITS.sectionText) });
  }
  blocks.push({ type: 'divider' }, ...suspectsBlocks(analysis, alert.startsAt, shown, ALERT_REF), footer(analysis, p.timelineUrl, shown));
  return enforceLimits({ text: fallbackText(`${alert.name} on ${alert.service}`, analysis, alert.startsAt, ALERT_REF), blocks });
}

/**
 * The follow-up posted once when an alert resolves (incoming webhooks cannot edit the original,
 * so this message quotes it: alert, start time, the suspect named first).
 */
export function buildResolvedMessage(p: { alert: AlertView; endsAt: number; original?: { topSuspect?: Suspect }; timelineUrl?: string }): SlackMessage {
  const { alert } = p;
  const lasted = formatDuration(p.endsAt - alert.startsAt);
  const lines = [`*RESOLVED* after ${lasted}: *${escapeTruncate(alert.name, NAME_CHARS)}* on \`${escapeTruncate(alert.service, NAME_CHARS)}\`, which started ${slackDate(alert.startsAt)}.`];
  const top = p.original?.topSuspect;
  if (top !== undefined) {
    lines.push(`The first suspect named then was the ${escapeTruncate(top.type, 20)} change \`${escapeTruncate(top.id, NAME_CHARS)}\` on \`${escapeTruncate(top.service, NAME_CHARS)}\` (team ${escapeTruncate(top.team, NAME_CHARS)}).`);
  } else if (p.original === undefined) {
    lines.push('_This instance did not post the original message (restart or another instance)._');
  }
  const blocks: Block[] = [
    { type: 'header', text: plain(`:white_check_mark: RESOLVED: ${alert.name} — ${alert.service}`, SLACK_LIMITS.headerText) },
    { type: 'section', text: mrkdwn(lines.join('\n'), SLACK_LIMITS.sectionText) },
  ];
  if (p.timelineUrl !== undefined) blocks.push({ type: 'context', elements: [mrkdwn(link(p.timelineUrl, 'Open timeline'), SLACK_LIMITS.contextText)] });
  return enforceLimits({ text: escapeTruncate(`RESOLVED after ${lasted}: ${alert.name} on ${alert.service}`, SLACK_LIMITS.fallbackText), blocks });
}

/** The answer to `/epicenter <service> [time]`. */
export function buildCommandMessage(p: { service: string; at: number; analysis: AnalysisView; timelineUrl?: string; responseType?: 'in_channel' | 'ephemeral' }): SlackMessage {
  const blocks: Block[] = [
    { type: 'header', text: plain(`:mag: What changed before trouble on ${p.service}?`, SLACK_LIMITS.headerText) },
    { type: 'section', text: mrkdwn(`Analysis of \`${escapeTruncate(p.service, NAME_CHARS)}\` at ${slackDate(p.at)}.`, SLACK_LIMITS.sectionText) },
    { type: 'divider' },
    ...suspectsBlocks(p.analysis, p.at, DEFAULT_SHOWN_SUSPECTS, COMMAND_REF),
    footer(p.analysis, p.timelineUrl, DEFAULT_SHOWN_SUSPECTS),
  ];
  return enforceLimits({ response_type: p.responseType ?? 'in_channel', text: fallbackText(p.service, p.analysis, p.at, COMMAND_REF), blocks });
}

/** A short text-only answer (usage, unknown service…), visible only to the person who typed the command. */
export function buildEphemeralText(text: string): SlackMessage {
  return enforceLimits({ response_type: 'ephemeral', text: escapeTruncate(text, SLACK_LIMITS.fallbackText), blocks: [{ type: 'section', text: mrkdwn(escapeTruncate(text, SLACK_LIMITS.sectionText), SLACK_LIMITS.sectionText) }] });
}
