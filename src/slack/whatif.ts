import { blindLine } from '../whatif/report';
import type { Prediction, Proposal } from '../whatif/types';
import { enforceLimits, escapeMrkdwn, mrkdwn, oneLine, plain, SLACK_LIMITS, type Block, type SlackMessage } from './limits';

const MAX_SHOWN = 8;
const fmt = (x: number): string => (Math.abs(x) >= 1e6 ? `${(x / 2 ** 20).toFixed(0)} MiB` : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

/**
 * The Slack message for a what-if verdict: who is at risk, by how much, and which team to talk to
 * before the change ships. Pure; passes through `enforceLimits`.
 */
export function whatIfBlocks(pred: Prediction, p: Proposal): SlackMessage {
  const what = p.summary ?? `${p.type} of ${p.service}`;
  const icon = pred.verdict === 'breach' ? ':rotating_light:' : pred.verdict === 'risk' ? ':warning:' : pred.verdict === 'unknown' ? ':grey_question:' : ':white_check_mark:';
  const blocks: Block[] = [
    { type: 'header', text: plain(`What-if ${pred.verdict.toUpperCase()}: ${oneLine(what, 100)}`, SLACK_LIMITS.headerText) },
    { type: 'section', text: mrkdwn(`${icon} Proposed by team *${escapeMrkdwn(p.team ?? 'unknown')}* for \`${escapeMrkdwn(p.service)}\` (${escapeMrkdwn(p.id)}), planned ${new Date(p.time).toISOString().slice(0, 16)} UTC.`, SLACK_LIMITS.sectionText) },
  ];
  const shown = pred.effects.filter((e) => e.status !== 'ok').slice(0, MAX_SHOWN);
  for (const e of shown) {
    const over = e.limit === undefined ? '' : e.predicted >= e.limit ? ` — *over its limit of ${fmt(e.limit)} by ${fmt(e.predicted - e.limit)}*` : ` — limit ${fmt(e.limit)}, headroom ${fmt(e.limit - e.predicted)}`;
    const text = [
      `*${escapeMrkdwn(e.service)}* ${escapeMrkdwn(e.metric)}${e.peer === undefined ? '' : ` → ${escapeMrkdwn(e.peer)}`}${e.instance === undefined ? '' : ` [${escapeMrkdwn(e.instance)}]`}: ${fmt(e.baseline)} → *${fmt(e.predicted)}* (${fmt(e.low)}–${fmt(e.high)})${over}`,
      `from ${e.at.slice(11, 16)} UTC · path ${e.path.map(escapeMrkdwn).join(' → ')} · talk to team *${escapeMrkdwn(e.team)}*`,
    ].join('\n');
    blocks.push({ type: 'section', text: mrkdwn(text, SLACK_LIMITS.sectionText) });
  }
  const blind = blindLine(pred);
  if (blind !== undefined) blocks.push({ type: 'section', text: mrkdwn(`${pred.verdict === 'unknown' ? 'Cannot tell: ' : 'Also: '}${escapeMrkdwn(blind)}.`, SLACK_LIMITS.sectionText) });
  if (shown.length === 0 && blind === undefined) blocks.push({ type: 'section', text: mrkdwn('No series is predicted to reach a limit or leave its normal range over the horizon.', SLACK_LIMITS.sectionText) });
  if (pred.assumptions.length > 0) {
    blocks.push({ type: 'context', elements: [mrkdwn(`Assumptions: ${pred.assumptions.slice(0, 4).map(escapeMrkdwn).join(' · ')}`, SLACK_LIMITS.contextText)] });
  }
  const teams = [...new Set(shown.map((e) => e.team))];
  const text = `What-if ${pred.verdict}: ${what}${teams.length > 0 ? ` — warn ${teams.join(', ')}` : ''}`;
  return enforceLimits({ text: oneLine(text, SLACK_LIMITS.fallbackText), blocks });
}
