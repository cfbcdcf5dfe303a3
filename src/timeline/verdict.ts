import type { Timeline } from './types';
import { fmtClock, fmtPct, fmtRelative } from './format';

/** A run of headline text; `strong` runs are emphasised by the renderers. */
export interface Part {
  readonly text: string;
  readonly strong: boolean;
}

export interface Verdict {
  readonly headline: readonly Part[];
  /** The top suspect's change, described, with its id. */
  readonly detail?: string;
  /** Short plain-text notes for the reader: onset, rollbacks that did not help, recovery. */
  readonly notes: readonly string[];
}

/**
 * The one-paragraph answer a paged engineer reads first, shared by the Markdown and HTML
 * renderers so both say the same thing.
 */
export function verdict(t: Timeline): Verdict {
  const ref = t.alert?.startsAt ?? t.at;
  const top = t.suspects[0];
  const headline: Part[] =
    top === undefined
      ? [{ text: 'No suspect change found in the window.', strong: true }]
      : [
          { text: `${top.type} change on ${top.service}`, strong: true },
          { text: ` (team ${top.team}) at ${fmtClock(top.time)} UTC, ${fmtRelative(top.time, ref)} — confidence `, strong: false },
          { text: fmtPct(top.score), strong: true },
        ];
  const event = top === undefined ? undefined : t.events.find((e) => e.suspectRank === 1);
  const detail = top === undefined ? undefined : `${event?.text ?? `change ${top.id}`} · change id ${top.id}`;

  const notes: string[] = [];
  if (t.onset !== undefined) {
    const first = t.events.find((e) => e.kind === 'breakpoint' && e.service === t.service && e.time === t.onset);
    notes.push(`Trouble began at ${fmtClock(t.onset)} (${fmtRelative(t.onset, ref)})${first === undefined ? '' : `: ${first.text}`}.`);
  }
  for (const e of t.events) {
    if (e.kind === 'rollback' && e.helped === false) {
      notes.push(`The rollback on ${e.service} at ${fmtClock(e.time)} did not help: the cause is elsewhere.`);
    }
  }
  const rec = t.events.find((e) => e.kind === 'recovery' && (t.onset === undefined || e.time > t.onset));
  if (rec !== undefined) notes.push(`Recovery at ${fmtClock(rec.time)} (${fmtRelative(rec.time, ref)}): ${rec.text}.`);
  return detail === undefined ? { headline, notes } : { headline, detail, notes };
}
