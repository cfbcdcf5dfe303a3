import { LABEL_ROW_PX } from './charts';

/**
 * The static parts of the HTML timeline page: its stylesheet and the script that turns the
 * embedded JSON chart specs into Chart.js charts. No data is interpolated into these strings.
 */

export const PAGE_CSS = `
:root { --fg:#0f172a; --muted:#475569; --line:#e2e8f0; --bg:#f8fafc; --card:#fff; --red:#dc2626; --redbg:#fef2f2; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 "DejaVu Sans", "Liberation Sans", system-ui, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 40px; }
header .brand { color: var(--muted); font-size: 12px; letter-spacing: .06em; text-transform: uppercase; }
h1 { margin: 4px 0 2px; font-size: 26px; }
h1 .team { font-size: 14px; font-weight: normal; color: var(--muted); margin-left: 8px; }
h2 { font-size: 16px; margin: 0 0 10px; }
.meta { color: var(--muted); margin: 0 0 16px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 0 0 16px; }
.verdict { border-left: 6px solid var(--red); }
.verdict.none { border-left-color: #94a3b8; }
.verdict .headline { font-size: 17px; margin: 0 0 8px; }
.verdict .headline strong { color: #991b1b; }
.verdict ul { margin: 6px 0 0 18px; padding: 0; }
.verdict .notes li { color: #7c2d12; font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12px; color: var(--muted); margin-bottom: 10px; }
.legend i { display: inline-block; width: 18px; height: 0; vertical-align: middle; margin-right: 5px; border-top: 2px solid; }
.legend i.box { height: 10px; border: 0; }
.legend i.tick { width: 2px; height: 8px; border: 0; background: #94a3b8; margin-left: 6px; margin-right: 8px; }
.grid { display: grid; grid-template-columns: minmax(940px, 1fr); gap: 12px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
figcaption { font-weight: 600; font-size: 13px; margin-bottom: 4px; overflow-wrap: anywhere; }
.role { font-size: 11px; font-weight: 600; padding: 1px 6px; border-radius: 8px; margin-left: 6px; color: #fff; }
.role.victim { background: #1d4ed8; } .role.suspect { background: #c2410c; }
.canvas-wrap { position: relative; height: 250px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; white-space: nowrap; }
td.who { white-space: nowrap; }
figcaption .unit { font-weight: normal; color: var(--muted); margin-left: 6px; }
.verdict .detail { color: var(--muted); margin: 0 0 8px; }
td.time { font-family: "DejaVu Sans Mono", monospace; white-space: nowrap; }
td.rel { color: var(--muted); white-space: nowrap; font-family: "DejaVu Sans Mono", monospace; }
tr.suspect-1 { background: var(--redbg); }
tr.suspect-1 td.text { font-weight: 700; }
td.text .ref { font: 11px "DejaVu Sans Mono", monospace; color: var(--muted); font-weight: normal; margin-left: 4px; }
.badge { display: inline-block; font-size: 11px; font-weight: 700; padding: 1px 7px; border-radius: 9px; white-space: nowrap; color: #fff; }
.badge.change { background: #64748b; } .badge.rollback { background: #7c3aed; } .badge.breakpoint { background: #334155; }
.badge.alert { background: #dc2626; } .badge.recovery { background: #16a34a; } .badge.rank { background: #dc2626; margin-left: 4px; }
.badge.rank.low { background: #ea580c; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; }
`;

/**
 * Reads the specs from #timeline-data and draws them. Exposes the Chart instances as
 * `window.__timelineCharts` and sets `data-ready` on <body> so headless checks know when
 * drawing is done; animation is off so a screenshot shows the final picture.
 */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('timeline-data').textContent);
  var MONTHS = ['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'];
  function iso(ms) { return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z'; }
  function tick(ms) {
    var d = new Date(ms);
    if (ms % 86400000 === 0) return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()];
    return d.toISOString().slice(11, 16);
  }
  // Changes that are not suspects: short faint ticks at the foot of the plot, no line, no label.
  var otherChanges = {
    id: 'otherChanges',
    afterDatasetsDraw: function (chart, args, opts) {
      var times = opts.times || [];
      var x = chart.scales.x, a = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = '#94a3b8';
      ctx.lineWidth = 1.5;
      times.forEach(function (t) {
        var px = x.getPixelForValue(t);
        ctx.beginPath(); ctx.moveTo(px, a.bottom); ctx.lineTo(px, a.bottom - 7); ctx.stroke();
      });
      ctx.restore();
    }
  };
  window.__timelineCharts = data.charts.map(function (c) {
    var canvas = document.getElementById(c.canvasId);
    return new Chart(canvas, {
      type: 'line',
      plugins: [otherChanges],
      data: { datasets: c.lines.map(function (l) { return { label: l.label || c.title, data: l.points, borderColor: l.color,
        backgroundColor: l.color, borderWidth: 1.4, pointRadius: 0, pointHitRadius: 6, tension: 0 }; }) },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
        layout: { padding: { top: c.labelRows * ${LABEL_ROW_PX} + 6, right: 8 } },
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', min: c.xMin, max: c.xMax,
               afterBuildTicks: function (axis) { axis.ticks = c.xTicks.map(function (v) { return { value: v }; }); },
               ticks: { autoSkip: false, maxRotation: 0, callback: function (v) { return tick(v); } },
               grid: { color: '#eef2f6' } },
          y: { beginAtZero: true, suggestedMax: c.suggestedMax, grid: { color: '#eef2f6' },
               title: { display: c.unit !== '', text: c.unit, color: '#64748b', font: { size: 11 } } }
        },
        plugins: {
          legend: { display: c.lines.length > 1, position: 'bottom', labels: { boxWidth: 10, boxHeight: 2, font: { size: 10 } } },
          tooltip: { callbacks: {
            title: function (items) { return items.length ? iso(items[0].parsed.x) : ''; },
            label: function (item) { return (item.dataset.label || '') + ': ' + item.formattedValue + (c.unit ? ' ' + c.unit : ''); } } },
          annotation: { clip: false, annotations: c.annotations },
          otherChanges: { times: c.otherChanges }
        }
      }
    });
  });
  document.body.setAttribute('data-ready', String(window.__timelineCharts.length));
})();
`;
