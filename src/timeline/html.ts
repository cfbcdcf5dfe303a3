import { chartSpecs, COLORS } from './charts';
import { escapeHtml as h, inlineScriptSource, jsonForScript } from './escape';
import { fmtClock, fmtDateTime, fmtPct, fmtRelative, humanKind } from './format';
import { hiddenNote, referenceTime } from './markdown';
import { PAGE_CSS, PAGE_SCRIPT } from './page';
import type { PageFrame, Timeline, TimelineEvent } from './types';
import { verdict } from './verdict';

/** The UMD sources inlined into the page (read by `loadChartAssets`). */
export interface ChartAssets {
  /** chart.js/dist/chart.umd.min.js */
  readonly chartJs: string;
  /** chartjs-plugin-annotation/dist/chartjs-plugin-annotation.min.js (registers itself on `Chart`). */
  readonly annotationPlugin: string;
}

const LEGEND: readonly [string, string][] = [
  [`border-color:${COLORS.page};border-top-width:3px`, 'page'],
  [`border-color:${COLORS.topSuspect};border-top-width:3px`, 'top suspect'],
  [`border-color:${COLORS.otherSuspect};border-top-style:dashed`, 'suspects #2–3'],
  [`border-color:${COLORS.rollback};border-top-style:dashed`, 'rollback'],
  [`border-color:${COLORS.onset}`, 'onset of the paged trouble'],
  [`border-color:${COLORS.breakpoint};border-top-style:dotted`, 'breakpoint in this series'],
  [`border-color:${COLORS.recovery}`, 'recovery'],
  [`border-color:${COLORS.limit};border-top-style:dashed`, 'limit'],
];

function eventRow(e: TimelineEvent, ref: number): string {
  const kind = e.kind === 'change' ? `${e.detail}` : e.kind === 'breakpoint' ? humanKind(e.detail) : e.kind;
  const rank =
    e.suspectRank === undefined ? '' : `<span class="badge rank${e.suspectRank > 1 ? ' low' : ''}">suspect #${e.suspectRank} · ${h(fmtPct(e.score ?? 0))}</span>`;
  const id = e.kind === 'change' || e.kind === 'rollback' ? ` <span class="ref">${h(e.ref ?? '')}</span>` : '';
  const cls = `kind-${e.kind}${e.suspectRank === undefined ? '' : ` suspect-${e.suspectRank}`}`;
  return (
    `<tr class="${cls}"><td class="time">${fmtClock(e.time)}</td><td class="rel">${fmtRelative(e.time, ref)}</td>` +
    `<td class="who">${h(e.team)}</td><td class="who">${h(e.service)}</td><td><span class="badge ${e.kind}">${h(kind)}</span>${rank}</td><td class="text">${h(e.text)}${id}</td></tr>`
  );
}

/**
 * The timeline as ONE self-contained HTML page: inline CSS, Chart.js and the annotation plugin
 * inlined from `assets`, the chart data as escaped JSON, no network access. Every text that came
 * from outside is HTML-escaped; chart labels are drawn on canvas, never parsed as HTML.
 */
export function renderHtml(t: Timeline, assets: ChartAssets, frame?: PageFrame): string {
  const ref = referenceTime(t);
  const v = verdict(t);
  const top = t.suspects[0];
  const specs = chartSpecs(t);
  const p: string[] = [];
  p.push('<!doctype html>', '<html lang="en"><head><meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">');
  p.push(`<title>${frame === undefined ? `Timeline · ${h(t.service)} · ${fmtDateTime(t.at)}` : h(frame.title)}</title>`, `<style>${PAGE_CSS}</style></head>`, '<body><main>');

  p.push(`<header><div class="brand">${h(frame?.brand ?? 'epicenter · postmortem timeline')}</div>`);
  p.push(frame === undefined ? `<h1>${h(t.service)}<span class="team">team ${h(t.team)}</span></h1>` : `<h1>${h(frame.title)}</h1>`);
  const alertMeta = t.alert === undefined ? '' : ` · T = alert <b>${h(t.alert.name)}</b> at ${fmtClock(t.alert.startsAt)}`;
  p.push(`<p class="meta">asked about ${fmtDateTime(t.at)} · window ${fmtDateTime(t.from)} → ${fmtDateTime(t.to)} · all times UTC${alertMeta}</p></header>`);
  if (frame !== undefined) p.push(frame.html);

  if (frame?.showVerdict ?? true) {
    p.push(`<section class="verdict${v.confident ? '' : ' none'}" id="verdict"><h2>${h(v.title)}</h2>`);
    p.push(`<p class="headline">${v.headline.map((x) => (x.strong ? `<strong>${h(x.text)}</strong>` : h(x.text))).join('')}</p>`);
    if (v.detail !== undefined) p.push(`<p class="detail">${h(v.detail)}</p>`);
    if (top !== undefined && top.evidence.length > 0) p.push(`<ul class="evidence">${top.evidence.map((e) => `<li>${h(e)}</li>`).join('')}</ul>`);
    if (v.notes.length > 0) p.push(`<ul class="notes">${v.notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul>`);
    p.push('</section>');
  }

  p.push('<section class="charts" id="charts"><h2>Key series</h2>');
  if (specs.length === 0) p.push('<p class="empty">No series data in the window.</p>');
  else {
    const legend = LEGEND.map(([style, name]) => `<span><i style="${style}"></i>${name}</span>`);
    if (t.alert !== undefined) legend.push(`<span><i class="box" style="background:${COLORS.alertFill.replace('0.08', '0.25')}"></i>alert firing</span>`);
    const others = specs[0]?.otherChanges.length ?? 0;
    if (others > 0) legend.push(`<span><i class="tick"></i>${others} other change${others === 1 ? '' : 's'} (ticks at the foot; listed below)</span>`);
    p.push(`<div class="legend">${legend.join('')}</div><div class="grid">`);
    for (const s of specs) {
      p.push(
        `<figure><figcaption>${h(s.title)}${s.caption === '' ? '' : `<span class="unit">${h(s.caption)}</span>`}<span class="role ${s.role}">${s.role}</span></figcaption>` +
          `<div class="canvas-wrap"><canvas id="${s.canvasId}" role="img" aria-label="${h(s.title)}"></canvas></div></figure>`,
      );
    }
    p.push('</div>');
  }
  p.push('</section>');

  p.push('<section class="events" id="events"><h2>What happened</h2>');
  if (t.events.length === 0) p.push('<p class="empty">No changes, breakpoints or alerts in the window.</p>');
  else {
    p.push('<table><thead><tr><th>Time (UTC)</th><th>T</th><th>Team</th><th>Service</th><th>Kind</th><th>What happened</th></tr></thead><tbody>');
    for (const e of t.events) p.push(eventRow(e, ref));
    p.push('</tbody></table>');
  }
  if (t.hiddenBreakpoints > 0) p.push(`<p class="empty">${h(hiddenNote(t.hiddenBreakpoints))}</p>`);
  p.push('</section>');

  p.push('<section class="suspects" id="suspects"><h2>All suspects</h2>');
  if (t.suspects.length === 0) p.push('<p class="empty">No candidate change found.</p>');
  else {
    p.push('<table><thead><tr><th>#</th><th>Confidence</th><th>Change</th><th>Type</th><th>Service</th><th>Team</th><th>Time (UTC)</th><th>Evidence</th></tr></thead><tbody>');
    t.suspects.forEach((s, i) => {
      p.push(
        `<tr${i === 0 ? ' class="suspect-1"' : ''}><td>${i + 1}</td><td>${h(fmtPct(s.score))}</td><td>${h(s.id)}</td><td>${h(s.type)}</td><td>${h(s.service)}</td>` +
          `<td>${h(s.team)}</td><td class="time">${fmtClock(s.time)} <span class="rel">${fmtRelative(s.time, ref)}</span></td><td>${h(s.evidence.slice(0, 3).join(' · '))}</td></tr>`,
      );
    });
    p.push('</tbody></table>');
  }
  p.push('</section>');

  p.push('<footer>Generated by epicenter from stored changes, breakpoints and series. Self-contained page: no network access needed.</footer></main>');
  p.push(`<script type="application/json" id="timeline-data">${jsonForScript({ from: t.from, to: t.to, charts: specs })}</script>`);
  p.push(`<script>${inlineScriptSource(assets.chartJs)}</script>`);
  p.push(`<script>${inlineScriptSource(assets.annotationPlugin)}</script>`);
  p.push(`<script>${PAGE_SCRIPT}</script>`, '</body></html>', '');
  return p.join('\n');
}
