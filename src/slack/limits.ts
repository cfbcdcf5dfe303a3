/**
 * Slack Block Kit limits and the helpers that keep a message inside them. Pure.
 *
 * Slack refuses a whole message (`invalid_blocks`) when one text is too long, so every text we
 * build goes through `truncate`/`mrkdwnText` and the final message through `enforceLimits`.
 */

export const SLACK_LIMITS = {
  /** Blocks per message. */
  maxBlocks: 50,
  /** Header block text, characters. */
  headerText: 150,
  /** Section block text, characters. */
  sectionText: 3000,
  /** Each section field, characters; at most `maxFields` of them. */
  fieldText: 2000,
  maxFields: 10,
  /** Context block: elements and characters per element. */
  maxContextElements: 10,
  contextText: 2000,
  /** Our own cap on the top-level fallback `text` (notifications show the start only). */
  fallbackText: 300,
  /** Our own cap on the JSON size of a message: very long block payloads are refused well below the text limits. */
  maxPayloadChars: 12_000,
} as const;

export interface PlainText {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji?: boolean;
}
export interface MrkdwnText {
  readonly type: 'mrkdwn';
  readonly text: string;
}
export type TextObject = PlainText | MrkdwnText;

export type Block =
  | { readonly type: 'header'; readonly text: PlainText }
  | { readonly type: 'section'; readonly text?: TextObject; readonly fields?: readonly TextObject[] }
  | { readonly type: 'divider' }
  | { readonly type: 'context'; readonly elements: readonly TextObject[] };

/** A message for an incoming webhook or a slash-command response. */
export interface SlackMessage {
  /** Fallback shown in notifications and by clients that cannot render blocks. */
  readonly text: string;
  readonly blocks: readonly Block[];
  /** Slash commands only. */
  readonly response_type?: 'in_channel' | 'ephemeral';
  /** Slash commands (response_url) only. */
  readonly replace_original?: boolean;
}

const ELLIPSIS = '…';

/**
 * Cut `s` to at most `max` UTF-16 units, ending with `…` when cut, never splitting a surrogate pair.
 *
 *   truncate('abcdef', 4) === 'abc…'
 */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  let end = max - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // high surrogate: keep the pair whole or drop it
  return s.slice(0, end) + ELLIPSIS;
}

/** Escape the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape then truncate, without leaving half an entity (`&am…`) at the cut. */
export function escapeTruncate(s: string, max: number): string {
  const escaped = escapeMrkdwn(s);
  if (escaped.length <= max) return escaped;
  let cut = truncate(escaped, max);
  const amp = cut.lastIndexOf('&', cut.length - 1);
  if (amp >= 0 && cut.indexOf(';', amp) === -1) cut = cut.slice(0, amp) + ELLIPSIS;
  return cut;
}

/** First line of `s`, trimmed, escaped and cut to `max`. */
export function oneLine(s: string, max: number): string {
  const first = s.split(/\r?\n/, 1)[0] ?? '';
  return escapeTruncate(first.trim(), max);
}

export function plain(text: string, max: number): PlainText {
  return { type: 'plain_text', text: truncate(text.trim() === '' ? '—' : text, max), emoji: true };
}

/** A mrkdwn text object from text that is ALREADY escaped/trusted markup, cut to `max`. */
export function mrkdwn(text: string, max: number): MrkdwnText {
  return { type: 'mrkdwn', text: truncate(text.trim() === '' ? '—' : text, max) };
}

function clampText(t: TextObject, max: number): TextObject {
  return t.text.length <= max ? t : { ...t, text: truncate(t.text, max) };
}

function clampBlock(b: Block): Block {
  switch (b.type) {
    case 'header':
      return { type: 'header', text: clampText(b.text, SLACK_LIMITS.headerText) as PlainText };
    case 'section':
      return {
        type: 'section',
        ...(b.text === undefined ? {} : { text: clampText(b.text, SLACK_LIMITS.sectionText) }),
        ...(b.fields === undefined ? {} : { fields: b.fields.slice(0, SLACK_LIMITS.maxFields).map((f) => clampText(f, SLACK_LIMITS.fieldText)) }),
      };
    case 'context':
      return { type: 'context', elements: b.elements.slice(0, SLACK_LIMITS.maxContextElements).map((e) => clampText(e, SLACK_LIMITS.contextText)) };
    case 'divider':
      return b;
  }
}

/**
 * Safety net applied to every outgoing message: clamps every text to its limit, keeps at most
 * 50 blocks (the last kept one says how many were dropped), then drops blocks from the end
 * (never the first) until the JSON fits `maxPayloadChars`.
 */
export function enforceLimits(msg: SlackMessage): SlackMessage {
  let blocks = msg.blocks.map(clampBlock);
  if (blocks.length > SLACK_LIMITS.maxBlocks) {
    const dropped = blocks.length - (SLACK_LIMITS.maxBlocks - 1);
    blocks = [...blocks.slice(0, SLACK_LIMITS.maxBlocks - 1), { type: 'context', elements: [mrkdwn(`_${dropped} more blocks left out (Slack allows ${SLACK_LIMITS.maxBlocks})_`, 200)] }];
  }
  const out = { ...msg, text: truncate(msg.text, SLACK_LIMITS.fallbackText), blocks };
  while (JSON.stringify(out).length > SLACK_LIMITS.maxPayloadChars && out.blocks.length > 1) out.blocks = out.blocks.slice(0, -1);
  return out;
}

/** Every limit a message breaks, as readable strings; empty when Slack would accept it. Used by tests. */
export function slackLimitViolations(msg: SlackMessage): string[] {
  const v: string[] = [];
  if (msg.blocks.length > SLACK_LIMITS.maxBlocks) v.push(`${msg.blocks.length} blocks > ${SLACK_LIMITS.maxBlocks}`);
  const size = JSON.stringify(msg).length;
  if (size > SLACK_LIMITS.maxPayloadChars) v.push(`payload ${size} chars > ${SLACK_LIMITS.maxPayloadChars}`);
  msg.blocks.forEach((b, i) => {
    const over = (what: string, t: TextObject | undefined, max: number): void => {
      if (t !== undefined && t.text.length > max) v.push(`blocks[${i}] ${what} ${t.text.length} chars > ${max}`);
      if (t !== undefined && t.text.trim() === '') v.push(`blocks[${i}] ${what} is empty`);
    };
    if (b.type === 'header') over('header', b.text, SLACK_LIMITS.headerText);
    if (b.type === 'section') {
      over('section text', b.text, SLACK_LIMITS.sectionText);
      if ((b.fields?.length ?? 0) > SLACK_LIMITS.maxFields) v.push(`blocks[${i}] has ${b.fields?.length} fields > ${SLACK_LIMITS.maxFields}`);
      b.fields?.forEach((f) => over('field', f, SLACK_LIMITS.fieldText));
      if (b.text === undefined && (b.fields?.length ?? 0) === 0) v.push(`blocks[${i}] section has neither text nor fields`);
    }
    if (b.type === 'context') {
      if (b.elements.length > SLACK_LIMITS.maxContextElements) v.push(`blocks[${i}] has ${b.elements.length} context elements`);
      b.elements.forEach((e) => over('context', e, SLACK_LIMITS.contextText));
    }
  });
  return v;
}
