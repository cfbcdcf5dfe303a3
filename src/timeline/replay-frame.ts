import type { ReplayResult } from '../whatif/replay';
import type { PredictedEffect, Prediction, Proposal } from '../whatif/types';
import { escapeHtml as h, escapeMarkdown as md } from './escape';
import { fmtClock, fmtDateTime, fmtPct } from './format';
import type { PageFrame } from './types';
import { fmtValue } from './units';
import type { Part } from './verdict';

/** A charted effect: the what-if's prediction and the peaks after the proposal's time, recorded and replayed. */
export interface ChartedEffect {
  readonly effect: PredictedEffect;
  readonly recordedPeak: number;
  readonly replayedPeak: number;
  readonly unit: string | undefined;
}

/** The replay's answer in plain parts, rendered the same way to Markdown and HTML. */
interface Answer {
  readonly title: string;
  readonly headline: readonly Part[];
  readonly facts: readonly string[];
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly assumptions: readonly string[];
}

function answer(p: Proposal, pred: Prediction, r: ReplayResult, charted: readonly ChartedEffect[]): Answer {
  const page = r.page;
  const named = r.rank === 1 ? `epicenter would have named it: #1 suspect (${fmtPct(r.score)})` : r.rank > 1 ? `epicenter would have ranked it #${r.rank} (${fmtPct(r.score)}), not first` : 'epicenter would not have named it';
  const headline: Part[] = page === undefined
    ? [{ text: 'Would not have paged', strong: true }, { text: ': no series reached its limit in the replayed window.', strong: false }]
    : [
        { text: 'Would have paged', strong: true },
        { text: `: ${page.service} ${page.metric} reaches ${fmtValue(page.value, undefined)} (limit ${fmtValue(page.limit, undefined)}) at ${fmtClock(page.at)} UTC — `, strong: false },
        { text: named, strong: r.rank === 1 },
        { text: '.', strong: false },
      ];
  const facts = [
    `Proposal: ${p.summary ?? `${p.type} of ${p.service}`} [${p.id}] · ${p.type} of ${p.service} (team ${p.team ?? 'unknown'}) at ${fmtDateTime(p.time)}, injected into the recorded series from then on.`,
    `What-if verdict: ${pred.verdict.toUpperCase()} (${pred.breaches.length} breach${pred.breaches.length === 1 ? '' : 'es'} predicted over the horizon).`,
    ...pred.breaches.slice(0, 5).map((b) => `Predicted breach: ${b.service} ${b.metric}${b.instance === undefined ? '' : ` [${b.instance}]`} ${fmtValue(b.predicted, undefined)} (${fmtValue(b.low, undefined)}–${fmtValue(b.high, undefined)}) against ${fmtValue(b.limit, undefined)}; path ${b.path.join(' → ')}; warn team ${b.team}.`),
  ];
  const rows = charted.map((c) => {
    const e = c.effect;
    const v = (x: number): string => (Number.isFinite(x) ? fmtValue(x, c.unit) : '–');
    return [`${e.service} ${e.metric}${e.peer === undefined ? '' : ` → ${e.peer}`}`, v(c.recordedPeak), v(c.replayedPeak), `${v(e.predicted)} (${v(e.low)}–${v(e.high)})`, e.limit === undefined ? '–' : v(e.limit), e.status, e.team];
  });
  return {
    title: 'Replay: would it have paged?',
    headline,
    facts,
    header: ['Series', 'Recorded peak', 'Replayed peak', 'What-if peak (24 h, interval)', 'Limit', 'Status', 'Team'],
    rows,
    assumptions: pred.assumptions,
  };
}

function toMarkdown(a: Answer): string[] {
  const out = [`## ${a.title}`, '', a.headline.map((x) => (x.strong ? `**${md(x.text)}**` : md(x.text))).join(''), ''];
  for (const f of a.facts) out.push(`- ${md(f)}`);
  out.push('');
  if (a.rows.length > 0) {
    out.push(`| ${a.header.join(' | ')} |`, `|${a.header.map(() => '---').join('|')}|`);
    for (const r of a.rows) out.push(`| ${r.map(md).join(' | ')} |`);
    out.push('', '_Peaks after the proposal\'s time over the highest instance; the charts below draw recorded vs replayed series with their limits._', '');
  }
  if (a.assumptions.length > 0) {
    out.push('Assumptions of the prediction:', '');
    for (const x of a.assumptions) out.push(`- ${md(x)}`);
    out.push('');
  }
  return out;
}

function toHtml(a: Answer, paged: boolean): string {
  const p: string[] = [`<section class="verdict${paged ? '' : ' none'}" id="replay"><h2>${h(a.title)}</h2>`];
  p.push(`<p class="headline">${a.headline.map((x) => (x.strong ? `<strong>${h(x.text)}</strong>` : h(x.text))).join('')}</p>`);
  p.push(`<ul class="evidence">${a.facts.map((f) => `<li>${h(f)}</li>`).join('')}</ul>`);
  if (a.rows.length > 0) {
    p.push(`<table><thead><tr>${a.header.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>`);
    for (const r of a.rows) p.push(`<tr${r[5] === 'breach' ? ' class="suspect-1"' : ''}>${r.map((x) => `<td>${h(x)}</td>`).join('')}</tr>`);
    p.push('</tbody></table>');
  }
  if (a.assumptions.length > 0) p.push(`<details><summary>Assumptions of the prediction</summary><ul>${a.assumptions.map((x) => `<li>${h(x)}</li>`).join('')}</ul></details>`);
  p.push('</section>');
  return p.join('\n');
}

/** The frame of the replay page: its title and its first section; the correlator's verdict is shown only when it paged. */
export function replayFrame(p: Proposal, pred: Prediction, r: ReplayResult, charted: readonly ChartedEffect[]): PageFrame {
  const a = answer(p, pred, r, charted);
  return {
    title: `Replay · ${p.summary ?? p.id}`,
    brand: 'epicenter · what-if replay',
    markdown: toMarkdown(a),
    html: toHtml(a, r.page !== undefined),
    showVerdict: r.page !== undefined,
  };
}
