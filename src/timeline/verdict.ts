import type { Timeline, TimelineEvent } from './types';
import { CONFIDENT_SCORE } from '../domain/text';
import { fmtClock, fmtPct, fmtRelative } from './format';

/** A run of headline text; `strong` runs are emphasised by the renderers. */
export interface Part {
  readonly text: string;
  readonly strong: boolean;
}

export interface Verdict {
  /** `Most likely cause` when the top suspect is at least CONFIDENT_SCORE, else `No clear cause`. */
  readonly title: string;
  /** Whether the top suspect is named as the cause. */
  readonly confident: boolean;
  readonly headline: readonly Part[];
  /** The top suspect's change, described, with its id. */
  readonly detail?: string;
  /** Short plain-text notes for the reader: onset, rollbacks that did not help, recovery. */
  readonly notes: readonly string[];
}

/**
 * A rollback that belongs to the story: of the victim, of the top suspect's service, or of a
 * service whose change scores at least 10 % — whether it helped says where the cause is (not).
 * Other teams' rollbacks elsewhere are background.
 */
export function isStoryRollback(t: Timeline, e: TimelineEvent): boolean {
  return e.service === t.service || t.suspects.some((s, i) => s.service === e.service && (i === 0 || s.score >= 0.1));
}

/**
 * The one-paragraph answer a paged engineer reads first, shared by the Markdown and HTML
 * renderers so both say the same thing.
 */
export function verdict(t: Timeline): Verdict {
  const ref = t.alert?.startsAt ?? t.at;
  const top = t.suspects[0];
  const confident = top !== undefined && top.score >= CONFIDENT_SCORE;
  let headline: Part[];
  if (top === undefined) headline = [{ text: 'No suspect change found in the window.', strong: true }];
  else {
    const what = `${top.type} change on ${top.service}`;
    const when = ` (team ${top.team}) at ${fmtClock(top.time)} UTC, ${fmtRelative(top.time, ref)}`;
    headline = confident
      ? [{ text: what, strong: true }, { text: `${when} — confidence `, strong: false }, { text: fmtPct(top.score), strong: true }]
      : [
          { text: `No clear cause; top suspect at ${fmtPct(top.score)}`, strong: true },
          { text: `: ${what}${when} — no recorded change explains the trouble well.`, strong: false },
        ];
  }
  const event = top === undefined ? undefined : t.events.find((e) => e.suspectRank === 1);
  const detail = top === undefined ? undefined : `${event?.text ?? `change ${top.id}`} · change id ${top.id}`;

  const notes: string[] = [];
  if (t.onset !== undefined) {
    const first = t.events.find((e) => e.kind === 'breakpoint' && e.service === t.service && e.time === t.onset);
    notes.push(`Trouble began at ${fmtClock(t.onset)} (${fmtRelative(t.onset, ref)})${first === undefined ? '' : `: ${first.text}`}.`);
  }
  for (const e of t.events) {
    if (e.kind === 'rollback' && e.helped === false && isStoryRollback(t, e)) {
      notes.push(`The rollback on ${e.service} at ${fmtClock(e.time)} did not help: the cause is elsewhere.`);
    }
  }
  const rec = t.events.find((e) => e.kind === 'recovery' && (t.onset === undefined || e.time > t.onset));
  if (rec !== undefined) notes.push(`Recovery at ${fmtClock(rec.time)} (${fmtRelative(rec.time, ref)}): ${rec.text}.`);
  else if (t.trouble?.seenUntil !== undefined && t.trouble.seenUntil > t.trouble.top.time) {
    notes.push(`No recovery by ${fmtClock(t.trouble.seenUntil)} (its last point in the window): ${t.trouble.metric} on ${t.service} is still out of its normal range.`);
  }
  const base = { title: confident ? 'Most likely cause' : 'No clear cause', confident, headline, notes };
  return detail === undefined ? base : { ...base, detail };
}
